"""The draft's rules, roles and groups as the lead adds, changes and removes them.

Every value is checked as policy-format.md says before it is stored (the format's own field
checks, plus ids unique within the draft), and every change is recorded in the audit trail
with who, when, before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import audit
from bot.policy.model import FormatIssue, issue
from bot.policy.validation import validate_group, validate_role, validate_rule
from bot.reviewing.draft import (
    DEFAULT,
    apply_group,
    apply_role,
    apply_rule,
    group_dict,
    group_rows,
    new_group_row,
    new_role_row,
    new_rule_row,
    role_dict,
    role_rows,
    rule_dict,
    rule_rows,
    setting,
)
from bot.reviewing.errors import InUse, Invalid, NotFound
from bot.reviewing.fields import field_of, without_empty
from bot.storage import utcnow
from bot.storage.models.policy import DraftGroup, DraftRole, DraftRule
from bot.vocabulary import Verdict


# -- what the Slack side sees ---------------------------------------------------------------
@dataclass(frozen=True)
class RuleItem:
    """A draft rule; `pk` is None for one not stored yet (the add form)."""

    pk: int | None
    id: str
    verdict: str
    text: str
    section: str | None = None
    role: str | None = None
    applies_to: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    detect: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()

    @classmethod
    def of(cls, row: DraftRule) -> RuleItem:
        return cls(
            row.pk,
            row.rule_id,
            row.verdict,
            row.text,
            row.section,
            row.role,
            tuple(row.applies_to or ()),
            tuple(row.keywords or ()),
            tuple(row.unless or ()),
            tuple(row.detect or ()),
            tuple(row.patterns or ()),
            tuple(row.context or ()),
            tuple(row.examples or ()),
            tuple(row.not_examples or ()),
        )


@dataclass(frozen=True)
class RoleItem:
    pk: int | None
    id: str
    name: str
    contact: str
    handles: str
    keywords: tuple[str, ...] = ()
    section: str | None = None

    @classmethod
    def of(cls, row: DraftRole) -> RoleItem:
        keywords = tuple(row.keywords or ())
        return cls(row.pk, row.role_id, row.name, row.contact, row.handles, keywords, row.section)


@dataclass(frozen=True)
class GroupItem:
    pk: int | None
    id: str
    name: str
    slack: str

    @classmethod
    def of(cls, row: DraftGroup) -> GroupItem:
        return cls(row.pk, row.group_id, row.name, row.slack)


def rules(session: Session, section: str | None = None) -> list[RuleItem]:
    return [RuleItem.of(r) for r in rule_rows(session, section)]


def roles(session: Session) -> list[RoleItem]:
    return [RoleItem.of(r) for r in role_rows(session)]


def groups(session: Session) -> list[GroupItem]:
    return [GroupItem.of(g) for g in group_rows(session)]


def rule(session: Session, pk: int) -> RuleItem:
    return RuleItem.of(_existing(session, DraftRule, pk))


def role(session: Session, pk: int) -> RoleItem:
    return RoleItem.of(_existing(session, DraftRole, pk))


def group(session: Session, pk: int) -> GroupItem:
    return GroupItem.of(_existing(session, DraftGroup, pk))


def new_rule(session: Session, section: str | None) -> RuleItem:
    """A rule to fill in: the next free id (R01, R02 …), a review verdict, the section."""
    return RuleItem(None, next_rule_id(session), Verdict.REVIEW.value, "", section)


def next_rule_id(session: Session) -> str:
    """`R` and the first number from the count of rules on that no rule uses yet."""
    taken = {r.rule_id.casefold() for r in rule_rows(session)}
    number = len(taken) + 1
    while f"r{number:02d}" in taken:
        number += 1
    return f"R{number:02d}"


# -- checks -----------------------------------------------------------------------------------
def _id_issue(value: str, taken: set[str], what: str) -> FormatIssue | None:
    """Uniqueness within the draft; the id's form is the format's own check."""
    if value and value.casefold() in {t.casefold() for t in taken}:
        return issue("id", "reviewing.error_taken_any", value=repr(value), what=what)
    return None


def _item_issues(
    data: dict[str, Any], taken: set[str], what: str, check: Callable[[], list[FormatIssue]]
) -> list[FormatIssue]:
    """Uniqueness of the id within the draft first, then the format's own checks."""
    id_issue = _id_issue(data.get("id", ""), taken, what)
    return ([id_issue] if id_issue else []) + check()


def _deduplicated(issues: list[FormatIssue]) -> list[FormatIssue]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for found in issues:
        key = (field_of(found), found.message)
        if key not in seen:
            seen.add(key)
            kept.append(found)
    return kept


def _role_ids(session: Session) -> set[str]:
    return {r.role_id for r in role_rows(session)}


def _group_ids(session: Session) -> set[str]:
    return {g.group_id for g in group_rows(session)}


# -- storing, with the audit trail -----------------------------------------------------------
_DraftItem = TypeVar("_DraftItem", DraftRule, DraftRole, DraftGroup)


def _existing(session: Session, model: type[_DraftItem], pk: int) -> _DraftItem:
    """The rule, role or group with this key; NotFound when someone removed it meanwhile."""
    row = session.get(model, pk)
    if row is None:
        raise NotFound(str(pk))
    return row


def _item_id(row: DraftRule | DraftRole | DraftGroup) -> str:
    if isinstance(row, DraftRule):
        return row.rule_id
    return row.role_id if isinstance(row, DraftRole) else row.group_id


def _item_section(row: DraftRule | DraftRole | DraftGroup) -> str | None:
    # Groups belong to the whole document, never to a section.
    return None if isinstance(row, DraftGroup) else row.section


def _item_dict(row: DraftRule | DraftRole | DraftGroup) -> dict[str, Any]:
    if isinstance(row, DraftRule):
        return rule_dict(row)
    return role_dict(row) if isinstance(row, DraftRole) else group_dict(row)


def _insert(session: Session, actor: str, entity: str, row: _DraftItem) -> _DraftItem:
    """Stores a new rule, role or group and records the addition in the audit trail."""
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        entity=entity,
        entity_id=_item_id(row),
        section=_item_section(row),
        action="add",
        after=_item_dict(row),
    )
    return row


def _record_edit(
    session: Session,
    actor: str,
    entity: str,
    row: _DraftItem,
    before: dict[str, Any],
    *,
    section: str | None,
) -> None:
    """Stamps and audits an edit of a rule, role or group, when it changed anything."""
    after = _item_dict(row)
    if before == after:
        return
    if isinstance(row, DraftGroup):
        row.updated_at = utcnow()  # a group row keeps no `updated_by`
    else:
        row.updated_by, row.updated_at = actor, utcnow()
    audit.record(
        session,
        actor=actor,
        entity=entity,
        entity_id=_item_id(row),
        section=section,
        action="edit",
        before=before,
        after=after,
    )


def _remove(session: Session, actor: str, entity: str, row: _DraftItem) -> None:
    before = _item_dict(row)
    section = _item_section(row)
    session.delete(row)
    audit.record(
        session,
        actor=actor,
        entity=entity,
        entity_id=before["id"],
        section=section,
        action="remove",
        before=before,
    )


def _next_position(session: Session, model: type[DraftRule] | type[DraftRole]) -> int:
    return int(session.scalar(select(func.max(model.position))) or 0) + 1


# -- rules ----------------------------------------------------------------------------------
def save_rule(
    session: Session, actor: str, data: dict[str, Any], pk: int | None = None
) -> RuleItem:
    """Add a rule (pk None) or change one; raises Invalid with every bad field."""
    values = without_empty(data)
    row = _existing(session, DraftRule, pk) if pk is not None else None
    taken = {r.rule_id for r in rule_rows(session) if row is None or r.pk != row.pk}
    role_ids, group_ids = _role_ids(session), _group_ids(session)
    issues = _item_issues(
        values,
        taken,
        "rule",
        lambda: validate_rule(values, role_ids=role_ids, group_ids=group_ids),
    )
    if issues:
        raise Invalid(_deduplicated(issues))
    if row is None:
        new_row = new_rule_row(values, actor, position=_next_position(session, DraftRule))
        return RuleItem.of(_insert(session, actor, "rule", new_row))
    before = rule_dict(row)
    apply_rule(row, values | dict(row.extras or {}))
    # A rule moved out of every section is still recorded under the one it left.
    _record_edit(session, actor, "rule", row, before, section=row.section or before.get("section"))
    return RuleItem.of(row)


def remove_rule(session: Session, actor: str, pk: int) -> RuleItem:
    row = _existing(session, DraftRule, pk)
    removed = RuleItem.of(row)
    _remove(session, actor, "rule", row)
    return removed


# -- roles ----------------------------------------------------------------------------------
def _rules_using_role(session: Session, role_id: str) -> list[str]:
    return [r.rule_id for r in rule_rows(session) if r.role == role_id]


def _is_default_role(session: Session, role_id: str) -> bool:
    return bool((setting(session, DEFAULT) or {}).get("role") == role_id)


def save_role(
    session: Session, actor: str, data: dict[str, Any], pk: int | None = None
) -> RoleItem:
    """Add a role (pk None) or change one; its id cannot change while rules use it. Raises
    Invalid or NotFound before writing anything (`check_role`)."""
    row = check_role(session, data, pk)
    values = without_empty(data)
    section = values.pop("section", None)
    if row is None:
        position = _next_position(session, DraftRole)
        new_row = new_role_row(values | {"section": section}, actor, position=position)
        return RoleItem.of(_insert(session, actor, "role", new_row))
    before = role_dict(row)
    apply_role(row, values | dict(row.extras or {}))
    if section is not None:
        row.section = section
    _record_edit(session, actor, "role", row, before, section=row.section)
    return RoleItem.of(row)


def check_role(session: Session, data: dict[str, Any], pk: int | None = None) -> DraftRole | None:
    """Raise Invalid (or NotFound) for whatever `save_role` would refuse, writing nothing;
    else the role it would change (None: a new one). Its contact may be a name Slack has yet
    to resolve (`NameToResolve`: the role modal's typed `@name`, checked before the ack);
    `save_role` is given the id Slack resolved it to."""
    values = without_empty(data)
    values.pop("section", None)
    row = _existing(session, DraftRole, pk) if pk is not None else None
    taken = {r.role_id for r in role_rows(session) if row is None or r.pk != row.pk}
    issues = _item_issues(values, taken, "role", lambda: validate_role(values))
    old_id = row.role_id if row is not None else None
    renamed = old_id is not None and values.get("id") != old_id
    if (
        renamed
        and old_id
        and (_rules_using_role(session, old_id) or _is_default_role(session, old_id))
    ):
        issues.append(issue("id", "reviewing.error_id_in_use", value=repr(old_id)))
    if issues:
        raise Invalid(_deduplicated(issues))
    return row


def remove_role(session: Session, actor: str, pk: int) -> RoleItem:
    """Remove a role; InUse when rules (or the default) still send people to it."""
    row = _existing(session, DraftRole, pk)
    used = _rules_using_role(session, row.role_id)
    if _is_default_role(session, row.role_id):
        used.append("default")
    if used:
        raise InUse(row.role_id, used)
    removed = RoleItem.of(row)
    _remove(session, actor, "role", row)
    return removed


# -- groups ---------------------------------------------------------------------------------
def _rules_using_group(session: Session, group_id: str) -> list[str]:
    return [r.rule_id for r in rule_rows(session) if group_id in (r.applies_to or [])]


def save_group(
    session: Session, actor: str, data: dict[str, Any], pk: int | None = None
) -> GroupItem:
    """Add a group (pk None) or change one; its id cannot change while rules apply to it."""
    values = without_empty(data)
    row = _existing(session, DraftGroup, pk) if pk is not None else None
    taken = {g.group_id for g in group_rows(session) if row is None or g.pk != row.pk} | {"all"}
    issues = _item_issues(values, taken, "group", lambda: validate_group(values))
    renamed = row is not None and values.get("id") != row.group_id
    if renamed and row is not None and _rules_using_group(session, row.group_id):
        issues.append(issue("id", "reviewing.error_id_in_use", value=repr(row.group_id)))
    if issues:
        raise Invalid(_deduplicated(issues))
    if row is None:
        return GroupItem.of(_insert(session, actor, "group", new_group_row(values, actor)))
    before = group_dict(row)
    apply_group(row, values | dict(row.extras or {}))
    _record_edit(session, actor, "group", row, before, section=None)
    return GroupItem.of(row)


def remove_group(session: Session, actor: str, pk: int) -> GroupItem:
    """Remove a group; InUse when rules still apply to it."""
    row = _existing(session, DraftGroup, pk)
    used = _rules_using_group(session, row.group_id)
    if used:
        raise InUse(row.group_id, used)
    removed = GroupItem.of(row)
    _remove(session, actor, "group", row)
    return removed
