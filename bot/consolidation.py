"""Consolidation: the communications lead turns the working group's contributions into a policy.

Accept or reject contributions, write a section's consolidated text (prefilled from the
accepted contributions in question order), and add, edit or remove the draft's rules, roles
and groups. Every value is checked as policy-format.md says before it is stored, and every
change is recorded in the audit trail with who, when, before and after.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import audit
from bot.draft_policy import (
    DECISIONS,
    DEFAULT,
    LANGUAGE,
    ORGANISATION,
    VERSION,
    apply_group,
    apply_role,
    apply_rule,
    draft_language,
    draft_sections,
    ensure_sections,
    group_dict,
    group_rows,
    new_group_row,
    new_role_row,
    new_rule_row,
    put_setting,
    role_dict,
    role_rows,
    rule_dict,
    rule_rows,
    setting,
    template_sections,
)
from bot.policy.model import FormatIssue, PolicyFormatError
from bot.policy.validation import validate_group, validate_role, validate_rule
from bot.storage import utcnow
from bot.storage.models.drafting import Contribution
from bot.storage.models.policy import DraftGroup, DraftRole, DraftRule, DraftSection
from bot.vocabulary import DEFAULT_VERDICTS, LANGUAGES, is_language

REVIEW_STATES = ("pending", "accepted", "rejected")


class NotFound(LookupError):
    """The contribution, section, rule, role or group no longer exists (someone removed it)."""


class Invalid(ValueError):
    """Values that break policy-format.md; `issues` name each bad field."""

    def __init__(self, issues: list[FormatIssue]) -> None:
        super().__init__("; ".join(f"{i.path}: {i.message}" for i in issues))
        self.issues = issues


class InUse(ValueError):
    """A role or group that rules (or the default) still refer to cannot be removed."""

    def __init__(self, used_by: list[str]) -> None:
        super().__init__(", ".join(used_by))
        self.used_by = used_by


def split_list(text: str | None) -> list[str]:
    """Words or phrases typed one per line or separated by commas, trimmed, without repeats."""
    items: list[str] = []
    for piece in re.split(r"[\n,;]", text or ""):
        item = piece.strip().strip("•-*").strip()
        if item and item not in items:
            items.append(item)
    return items


def split_lines(text: str | None) -> list[str]:
    """One item per line (patterns may contain commas, so only newlines split them)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# -- contributions --------------------------------------------------------------------------
def section_contributions(session: Session, section_id: str) -> list[Contribution]:
    """The section's standing contributions, in question order, then oldest first."""
    query = (
        select(Contribution)
        .where(Contribution.section_id == section_id, Contribution.status == "active")
        .order_by(Contribution.created_at, Contribution.id)
    )
    rows = list(session.scalars(query))
    order = question_order(section_id)
    return sorted(rows, key=lambda c: order.get(c.question_id, len(order)))


def question_order(section_id: str) -> dict[str, int]:
    from bot.drafting.template import load_template

    try:
        questions = load_template().section(section_id).questions
    except KeyError:
        return {}
    return {q.id: i for i, q in enumerate(questions)}


def review_contribution(
    session: Session, actor: str, contribution_id: int, decision: str
) -> Contribution:
    """Accept, reject or reset (pending) one contribution."""
    if decision not in REVIEW_STATES:
        raise ValueError(decision)
    contribution = session.get(Contribution, contribution_id)
    if contribution is None or contribution.status != "active":
        raise NotFound(str(contribution_id))
    before = contribution.review
    if before != decision:
        contribution.review = decision
        contribution.reviewed_by = actor
        contribution.reviewed_at = utcnow()
        audit.record(
            session,
            actor=actor,
            entity="contribution",
            entity_id=str(contribution_id),
            section=contribution.section_id,
            action=decision if decision != "pending" else "reset",
            before={"review": before, "text": contribution.text},
            after={"review": decision, "text": contribution.text},
        )
    return contribution


def prefill_text(session: Session, section_id: str) -> str:
    """The accepted contributions in question order: the starting point of the section text."""
    accepted = [
        c.text.strip()
        for c in section_contributions(session, section_id)
        if c.review == "accepted" and c.text.strip()
    ]
    return "\n\n".join(accepted)


# -- sections -------------------------------------------------------------------------------
def reviewable_sections(session: Session, fallback_language: str) -> list[dict[str, Any]]:
    """The draft's sections, plus any template section the working group wrote about that
    the draft does not have (an imported policy may leave some out)."""
    language = draft_language(session, fallback_language)
    sections = draft_sections(session, language)
    present = {s["id"] for s in sections}
    with_contributions = set(
        session.scalars(
            select(Contribution.section_id).where(Contribution.status == "active").distinct()
        )
    )
    for template in template_sections(language):
        if template["id"] not in present and template["id"] in with_contributions:
            sections.append(template)
    return sections


def section_view(session: Session, section_id: str, fallback_language: str) -> dict[str, Any]:
    """A section's title and text as they stand, without writing anything."""
    for section in reviewable_sections(session, fallback_language):
        if section["id"] == section_id:
            return section
    raise NotFound(section_id)


def section_row(session: Session, section_id: str, fallback_language: str) -> DraftSection:
    """The section's row, created when the draft shows it but has not stored it yet."""
    language = draft_language(session, fallback_language)
    ensure_sections(session, language)
    row = session.get(DraftSection, section_id)
    if row is not None:
        return row
    section = section_view(session, section_id, fallback_language)  # NotFound if unknown
    position = (session.scalar(select(func.max(DraftSection.position))) or 0) + 1
    row = DraftSection(section_id=section_id, title=section["title"], text="", position=position)
    session.add(row)
    session.flush()
    return row


def save_section(
    session: Session,
    actor: str,
    section_id: str,
    text: str,
    fallback_language: str,
    title: str | None = None,
) -> DraftSection:
    row = section_row(session, section_id, fallback_language)
    issues = []
    if title is not None and not title.strip():
        issues.append(FormatIssue("title", "a section needs a title"))
    if issues:
        raise Invalid(issues)
    before = {"title": row.title, "text": row.text}
    after = {"title": title.strip() if title is not None else row.title, "text": text.strip()}
    if before != after:
        row.title, row.text = after["title"], after["text"]
        row.updated_by, row.updated_at = actor, utcnow()
        audit.record(
            session,
            actor=actor,
            entity="section",
            entity_id=section_id,
            section=section_id,
            action="edit",
            before=before,
            after=after,
        )
    return row


# -- rules, roles, groups -------------------------------------------------------------------
def _issues(check: Callable[..., Any], data: dict[str, Any], **known: Any) -> list[FormatIssue]:
    """The format's own checks, whether they return their issues or raise them."""
    try:
        result = check(data, **known)
    except PolicyFormatError as error:
        return list(error.errors)
    if isinstance(result, list | tuple):
        return [i for i in result if isinstance(i, FormatIssue)]
    return []


def _id_issue(value: str, taken: set[str], what: str) -> FormatIssue | None:
    """Uniqueness within the draft; the id's form is the format's own check."""
    if value and value.casefold() in {t.casefold() for t in taken}:
        return FormatIssue("id", f"{value!r} is already the id of another {what}")
    return None


def _dedupe(issues: list[FormatIssue]) -> list[FormatIssue]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for issue in issues:
        key = (_field(issue.path), issue.message)
        if key not in seen:
            seen.add(key)
            kept.append(issue)
    return kept


def _field(path: str) -> str:
    """`rules[3].verdict` → `verdict`; `keywords[2]` → `keywords`."""
    last = path.rsplit(".", 1)[-1]
    return last.split("[", 1)[0]


def field_of(issue: FormatIssue) -> str:
    return _field(issue.path)


def role_ids(session: Session) -> set[str]:
    return {r.role_id for r in role_rows(session)}


def group_ids(session: Session) -> set[str]:
    return {g.group_id for g in group_rows(session)}


def clean_rule(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty optional fields, as the policy file leaves them out."""
    rule: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", [], ()):
            continue
        rule[key] = list(value) if isinstance(value, tuple) else value
    return rule


_DraftItem = TypeVar("_DraftItem", DraftRule, DraftRole, DraftGroup)


def _existing(session: Session, model: type[_DraftItem], pk: int) -> _DraftItem:
    """The rule, role or group with this key; NotFound when someone removed it meanwhile."""
    row = session.get(model, pk)
    if row is None:
        raise NotFound(str(pk))
    return row


def _item_issues(
    data: dict[str, Any], taken: set[str], what: str, check: Callable[..., Any], **known: Any
) -> list[FormatIssue]:
    """Uniqueness of the id within the draft first, then the format's own checks."""
    id_issue = _id_issue(data.get("id", ""), taken, what)
    return ([id_issue] if id_issue else []) + _issues(check, data, **known)


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


def save_rule(
    session: Session, actor: str, data: dict[str, Any], pk: int | None = None
) -> DraftRule:
    """Add a rule (pk None) or change one; raises Invalid with every bad field."""
    rule = clean_rule(data)
    row = _existing(session, DraftRule, pk) if pk is not None else None
    taken = {r.rule_id for r in rule_rows(session) if row is None or r.pk != row.pk}
    issues = _item_issues(
        rule, taken, "rule", validate_rule, role_ids=role_ids(session), group_ids=group_ids(session)
    )
    if issues:
        raise Invalid(_dedupe(issues))
    if row is None:
        position = (session.scalar(select(func.max(DraftRule.position))) or 0) + 1
        return _insert(session, actor, "rule", new_rule_row(rule, actor, position=position))
    before = rule_dict(row)
    extras = dict(row.extras or {})
    apply_rule(row, rule | extras)
    # A rule moved out of every section is still recorded under the one it left.
    _record_edit(session, actor, "rule", row, before, section=row.section or before.get("section"))
    return row


def remove_rule(session: Session, actor: str, pk: int) -> dict[str, Any]:
    row = _existing(session, DraftRule, pk)
    before = rule_dict(row)
    session.delete(row)
    audit.record(
        session,
        actor=actor,
        entity="rule",
        entity_id=before["id"],
        section=before.get("section"),
        action="remove",
        before=before,
    )
    return before


def save_role(
    session: Session, actor: str, data: dict[str, Any], pk: int | None = None
) -> DraftRole:
    role = clean_rule(data)
    section = role.pop("section", None)
    row = _existing(session, DraftRole, pk) if pk is not None else None
    taken = {r.role_id for r in role_rows(session) if row is None or r.pk != row.pk}
    issues = _item_issues(role, taken, "role", validate_role)
    old_id = row.role_id if row is not None else None
    if old_id and role.get("id") != old_id:
        used = _rules_using_role(session, old_id)
        if used or (setting(session, DEFAULT) or {}).get("role") == old_id:
            issues.append(FormatIssue("id", f"rules use {old_id!r}: the id cannot change"))
    if issues:
        raise Invalid(_dedupe(issues))
    if row is None:
        position = (session.scalar(select(func.max(DraftRole.position))) or 0) + 1
        new_row = new_role_row(role | {"section": section}, actor, position=position)
        return _insert(session, actor, "role", new_row)
    before = role_dict(row)
    apply_role(row, role | dict(row.extras or {}))
    if section is not None:
        row.section = section
    _record_edit(session, actor, "role", row, before, section=row.section)
    return row


def _rules_using_role(session: Session, role_id: str) -> list[str]:
    return [r.rule_id for r in rule_rows(session) if r.role == role_id]


def remove_role(session: Session, actor: str, pk: int) -> dict[str, Any]:
    row = _existing(session, DraftRole, pk)
    used = _rules_using_role(session, row.role_id)
    if (setting(session, DEFAULT) or {}).get("role") == row.role_id:
        used.append("default")
    if used:
        raise InUse(used)
    before = role_dict(row)
    section = row.section
    session.delete(row)
    audit.record(
        session,
        actor=actor,
        entity="role",
        entity_id=before["id"],
        section=section,
        action="remove",
        before=before,
    )
    return before


def save_group(
    session: Session, actor: str, data: dict[str, Any], pk: int | None = None
) -> DraftGroup:
    group = clean_rule(data)
    row = _existing(session, DraftGroup, pk) if pk is not None else None
    taken = {g.group_id for g in group_rows(session) if row is None or g.pk != row.pk} | {"all"}
    issues = _item_issues(group, taken, "group", validate_group)
    if row is not None and group.get("id") != row.group_id and _rules_using_group(session, row):
        issues.append(FormatIssue("id", f"rules use {row.group_id!r}: the id cannot change"))
    if issues:
        raise Invalid(_dedupe(issues))
    if row is None:
        return _insert(session, actor, "group", new_group_row(group, actor))
    before = group_dict(row)
    apply_group(row, group | dict(row.extras or {}))
    _record_edit(session, actor, "group", row, before, section=None)
    return row


def _rules_using_group(session: Session, row: DraftGroup) -> list[str]:
    return [r.rule_id for r in rule_rows(session) if row.group_id in (r.applies_to or [])]


def remove_group(session: Session, actor: str, pk: int) -> dict[str, Any]:
    row = _existing(session, DraftGroup, pk)
    used = _rules_using_group(session, row)
    if used:
        raise InUse(used)
    before = group_dict(row)
    session.delete(row)
    audit.record(
        session, actor=actor, entity="group", entity_id=before["id"], action="remove", before=before
    )
    return before


# -- document-level settings ----------------------------------------------------------------
@dataclass(frozen=True)
class DocumentSettings:
    organisation: str
    language: str
    version: str
    default_verdict: str
    default_role: str
    decisions: list[str]


def document_settings(session: Session, fallback_language: str) -> DocumentSettings:
    default = setting(session, DEFAULT) or {}
    from bot.draft_policy import cover_decisions

    return DocumentSettings(
        organisation=setting(session, ORGANISATION, "") or "",
        language=draft_language(session, fallback_language),
        version=str(setting(session, VERSION, "") or ""),
        default_verdict=default.get("verdict", ""),
        default_role=default.get("role", ""),
        decisions=cover_decisions(session),
    )


def save_document_settings(session: Session, actor: str, new: DocumentSettings) -> None:
    issues = []
    if not new.organisation.strip():
        issues.append(FormatIssue("organisation", "the organisation's name is required"))
    if not is_language(new.language):
        issues.append(
            FormatIssue("language", f"{new.language!r} is not one of {', '.join(LANGUAGES)}")
        )
    if new.default_verdict not in DEFAULT_VERDICTS:
        issues.append(
            FormatIssue(
                "default.verdict",
                f"{new.default_verdict!r} is not one of {', '.join(DEFAULT_VERDICTS)}",
            )
        )
    if new.default_role not in role_ids(session):
        issues.append(FormatIssue("default.role", f"{new.default_role!r} is not a role id"))
    if issues:
        raise Invalid(issues)
    changes: dict[str, Any] = {
        ORGANISATION: new.organisation.strip(),
        LANGUAGE: new.language,
        VERSION: new.version.strip() or None,
        DEFAULT: {"verdict": new.default_verdict, "role": new.default_role},
        DECISIONS: [d.strip() for d in new.decisions if d.strip()] or None,
    }
    for key, value in changes.items():
        if setting(session, key) != value:
            put_setting(session, key, value, actor)
