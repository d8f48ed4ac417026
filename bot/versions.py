"""Adopted versions: numbered, frozen snapshots of the whole policy, and what changed between them.

Adoption freezes the draft (or an imported document) into version N: the complete
`policybot/1` document with its approval (who approved it, when, and the decisions on the
cover sheet). A version is never updated or deleted; going back to an earlier one adopts it
again as a new number. Employees' questions are answered from the latest version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import audit
from bot.draft_policy import (
    ADOPTED,
    VERSION,
    Contributor,
    contributors,
    draft_dict,
    put_setting,
    setting,
)
from bot.policy.model import PolicyDocument, PolicyFormatError
from bot.policy.validation import parse_policy
from bot.policy.yaml_io import json_safe, policy_to_json
from bot.storage.models.policy import PolicyVersion
from bot.storage.models.reviewing import VersionRecord

_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")


@dataclass(frozen=True)
class Approval:
    """Management's approval, as the lead records it."""

    by: str
    on: dt.date
    decisions: list[str]

    def as_adopted(self) -> dict[str, Any]:
        return {"at": self.on.isoformat(), "by": self.by, "decisions": list(self.decisions)}


@dataclass(frozen=True)
class Problem:
    """Why a document cannot be adopted: `code` is a catalogue suffix, `detail` fills it in."""

    code: str  # no_rules | review_without_role | invalid
    detail: list[str] = field(default_factory=list)


class AdoptionRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.code for p in problems))
        self.problems = problems


class DraftChanged(Exception):
    """The draft changed between the confirmation and the approval: confirm again."""


class UnknownVersion(LookupError):
    pass


def fingerprint(data: dict[str, Any]) -> str:
    """A short hash of a document, to notice that the draft moved under a pending adoption."""
    encoded = json.dumps(json_safe(data), sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


# -- refusals -------------------------------------------------------------------------------
def adoption_problems(data: dict[str, Any]) -> list[Problem]:
    """Everything that stands in the way of adopting `data`, most telling first."""
    problems: list[Problem] = []
    rules = [r for r in data.get("rules") or [] if isinstance(r, dict)]
    if not rules:
        problems.append(Problem("no_rules"))
    roleless = [
        str(r.get("id", "?")) for r in rules if r.get("verdict") == "review" and not r.get("role")
    ]
    if roleless:
        problems.append(Problem("review_without_role", roleless))
    try:
        parse_policy(data)
    except PolicyFormatError as error:
        already = {f"rules[{i}].role" for i, r in enumerate(rules) if str(r.get("id")) in roleless}
        issues = [
            f"{issue.path}: {issue.message}"
            for issue in error.errors
            if issue.path not in already and not (issue.path == "rules" and not rules)
        ]
        if issues:
            problems.append(Problem("invalid", issues))
    return problems


# -- reading versions -----------------------------------------------------------------------
def list_versions(session: Session) -> list[PolicyVersion]:
    return list(session.scalars(select(PolicyVersion).order_by(PolicyVersion.number.desc())))


def latest_version(session: Session) -> PolicyVersion | None:
    return session.scalars(
        select(PolicyVersion).order_by(PolicyVersion.number.desc()).limit(1)
    ).first()


def previous_version(session: Session, number: int) -> PolicyVersion | None:
    """The version adopted just before `number`."""
    query = (
        select(PolicyVersion)
        .where(PolicyVersion.number < number)
        .order_by(PolicyVersion.number.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def get_version(session: Session, number: int) -> PolicyVersion:
    version = session.get(PolicyVersion, number)
    if version is None:
        raise UnknownVersion(str(number))
    return version


def version_record(session: Session, number: int) -> VersionRecord | None:
    return session.get(VersionRecord, number)


def version_contributors(session: Session, number: int) -> list[Contributor]:
    record = version_record(session, number)
    if record is None:
        return []
    return [Contributor(c.get("id", ""), c.get("name", "")) for c in record.contributors]


# -- adopting -------------------------------------------------------------------------------
def next_label(session: Session, wanted: str | None, number: int) -> str:
    """`wanted` if no version carries it yet; else its trailing number counted up
    (`2026.1` → `2026.2`); else the version number itself."""
    used = set(session.scalars(select(PolicyVersion.label)))
    if wanted and wanted not in used:
        return wanted
    match = _TRAILING_NUMBER.match(wanted or "")
    if match:
        prefix, digits = match.groups()
        count = int(digits)
        for _ in range(1000):
            count += 1
            label = f"{prefix}{count}"
            if label not in used:
                return label
    label = str(number)
    while label in used:
        label += "'"
    return label


def _freeze(
    session: Session,
    actor: str,
    data: dict[str, Any],
    approval: Approval,
    *,
    source: str,
    people: list[Contributor],
    based_on: int | None = None,
) -> PolicyVersion:
    problems = adoption_problems(data)
    if problems:
        raise AdoptionRefused(problems)
    previous = latest_version(session)
    number = (session.scalar(select(func.max(PolicyVersion.number))) or 0) + 1
    label = next_label(session, str(data.get("version") or "") or None, number)
    frozen = dict(data) | {"version": label, "adopted": approval.as_adopted()}
    snapshot = policy_to_json(parse_policy(frozen))
    changes = diff(dict(previous.document) if previous else None, snapshot)
    version = PolicyVersion(
        number=number,
        label=label,
        document=snapshot,
        approved_by=approval.by,
        approved_on=approval.on,
        decisions=list(approval.decisions),
        recorded_by=actor,
        based_on=based_on,
    )
    session.add(version)
    session.flush()  # the version row first: the record refers to it
    session.add(
        VersionRecord(
            number=number,
            source=source,
            contributors=[{"id": p.user_id, "name": p.name} for p in people],
            changes=changes.as_dict(),
        )
    )
    audit.record(
        session,
        actor=actor,
        entity="version",
        entity_id=str(number),
        action="readopt" if based_on else "adopt",
        after={
            "number": number,
            "label": label,
            "approved_by": approval.by,
            "approved_on": approval.on.isoformat(),
            "decisions": list(approval.decisions),
            "based_on": based_on,
        },
    )
    session.flush()
    return version


def adopt_draft(
    session: Session,
    actor: str,
    approval: Approval,
    fallback_language: str,
    *,
    expected: str | None = None,
) -> PolicyVersion:
    """Freeze the draft as version N. `expected` is the fingerprint the lead confirmed; if
    the draft moved since, DraftChanged is raised and nothing is adopted."""
    data = draft_dict(session, fallback_language)
    if expected is not None and fingerprint(data) != expected:
        raise DraftChanged()
    version = _freeze(session, actor, data, approval, source="draft", people=contributors(session))
    # The draft stays open for the next round and now says which version it became.
    if setting(session, VERSION) != version.label:
        put_setting(session, VERSION, version.label, actor)
    if setting(session, ADOPTED) != approval.as_adopted():
        put_setting(session, ADOPTED, approval.as_adopted(), actor)
    return version


def adopt_document(
    session: Session, actor: str, doc: PolicyDocument, approval: Approval, *, source: str = "import"
) -> PolicyVersion:
    """Adopt a whole document as it is (the CLI's `import --adopt`)."""
    return _freeze(session, actor, policy_to_json(doc), approval, source=source, people=[])


def readopt(session: Session, actor: str, number: int, approval: Approval) -> PolicyVersion:
    """Adopt earlier version `number` again, as a new version; nothing is rewritten."""
    earlier = get_version(session, number)
    data = dict(earlier.document)
    data.pop("adopted", None)
    return _freeze(
        session,
        actor,
        data,
        approval,
        source="readopt",
        people=version_contributors(session, number),
        based_on=number,
    )


# -- differences ----------------------------------------------------------------------------
@dataclass
class PolicyDiff:
    rules_added: list[str] = field(default_factory=list)
    rules_removed: list[str] = field(default_factory=list)
    rules_changed: dict[str, list[str]] = field(default_factory=dict)  # id → fields changed
    sections_added: list[str] = field(default_factory=list)
    sections_removed: list[str] = field(default_factory=list)
    sections_changed: list[str] = field(default_factory=list)
    roles_added: list[str] = field(default_factory=list)
    roles_removed: list[str] = field(default_factory=list)
    roles_changed: list[str] = field(default_factory=list)
    groups_changed: list[str] = field(default_factory=list)
    default_changed: bool = False
    first: bool = False  # there was nothing to compare with

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.rules_added,
                self.rules_removed,
                self.rules_changed,
                self.sections_added,
                self.sections_removed,
                self.sections_changed,
                self.roles_added,
                self.roles_removed,
                self.roles_changed,
                self.groups_changed,
                self.default_changed,
            )
        )

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


def _by_id(items: Any) -> dict[str, dict[str, Any]]:
    return {str(i.get("id")): i for i in items or [] if isinstance(i, dict)}


def _changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> PolicyDiff:
    """What changed from `old` to `new` (two policy dicts); `old` None: everything is new."""
    result = PolicyDiff(first=old is None)
    old = json_safe(old or {})
    new = json_safe(new)
    old_rules, new_rules = _by_id(old.get("rules")), _by_id(new.get("rules"))
    result.rules_added = [i for i in new_rules if i not in old_rules]
    result.rules_removed = [i for i in old_rules if i not in new_rules]
    for rule_id, rule in new_rules.items():
        if rule_id in old_rules and old_rules[rule_id] != rule:
            result.rules_changed[rule_id] = _changed_fields(old_rules[rule_id], rule)
    old_sections, new_sections = _by_id(old.get("sections")), _by_id(new.get("sections"))
    result.sections_added = [i for i in new_sections if i not in old_sections]
    result.sections_removed = [i for i in old_sections if i not in new_sections]
    result.sections_changed = [
        i for i, s in new_sections.items() if i in old_sections and old_sections[i] != s
    ]
    old_roles, new_roles = _by_id(old.get("roles")), _by_id(new.get("roles"))
    result.roles_added = [i for i in new_roles if i not in old_roles]
    result.roles_removed = [i for i in old_roles if i not in new_roles]
    result.roles_changed = [i for i, r in new_roles.items() if i in old_roles and old_roles[i] != r]
    old_groups, new_groups = _by_id(old.get("groups")), _by_id(new.get("groups"))
    result.groups_changed = sorted(
        i for i in set(old_groups) | set(new_groups) if old_groups.get(i) != new_groups.get(i)
    )
    result.default_changed = not result.first and old.get("default") != new.get("default")
    return result


def section_titles(data: dict[str, Any]) -> dict[str, str]:
    sections = data.get("sections") or []
    return {str(s.get("id")): str(s.get("title") or s.get("id")) for s in sections}
