"""Adopted versions: numbered, frozen snapshots of the whole policy.

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
from bot.policy.model import FormatIssue, PolicyDocument, PolicyFormatError
from bot.policy.validation import parse_policy
from bot.policy.yaml_io import json_safe, policy_to_json
from bot.reviewing.diff import diff
from bot.reviewing.draft import (
    ADOPTED,
    VERSION,
    Contributor,
    contributors,
    draft_dict,
    put_setting,
    setting,
)
from bot.storage.models.policy import PolicyVersion
from bot.storage.models.reviewing import VersionRecord
from bot.vocabulary import Language

_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")


@dataclass(frozen=True)
class Approval:
    """Management's approval: as the lead records it (a council's decision, with its
    `reference`), or as the approvers gave it in Slack (`approvals`: each one's decision and
    time, `{"by": "@U…", "decision": "approved", "at": ISO}`)."""

    by: str
    on: dt.date
    decisions: list[str]
    reference: str | None = None
    approvals: tuple[dict[str, str], ...] = ()

    def as_adopted(self) -> dict[str, Any]:
        adopted: dict[str, Any] = {
            "at": self.on.isoformat(),
            "by": self.by,
            "decisions": list(self.decisions),
        }
        if self.reference:
            adopted["reference"] = self.reference
        if self.approvals:
            adopted["approvals"] = [dict(a) for a in self.approvals]
        return adopted


NO_RULES, REVIEW_WITHOUT_ROLE, INVALID = "no_rules", "review_without_role", "invalid"
ROLE_WITHOUT_CONTACT = "role_without_contact"


@dataclass(frozen=True)
class Problem:
    """Why a document cannot be adopted: `code` says what, `detail` lists the rules, roles or
    issues (as text, in English); `issues` keeps the format's issues to tell them in the
    reader's language."""

    code: str  # NO_RULES | REVIEW_WITHOUT_ROLE | ROLE_WITHOUT_CONTACT | INVALID
    detail: list[str] = field(default_factory=list)
    issues: tuple[FormatIssue, ...] = ()


@dataclass(frozen=True)
class AdoptedVersion:
    """A version as the rest of the code sees it: plain values, no database object."""

    number: int
    label: str
    approved_by: str
    approved_on: dt.date
    decisions: tuple[str, ...]
    recorded_by: str
    based_on: int | None
    announced_in: str | None
    document: dict[str, Any]

    @classmethod
    def of(cls, row: PolicyVersion) -> AdoptedVersion:
        return cls(
            row.number,
            row.label,
            row.approved_by,
            row.approved_on,
            tuple(row.decisions or ()),
            row.recorded_by,
            row.based_on,
            row.announced_in,
            dict(row.document),
        )


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
    roles = [r for r in data.get("roles") or [] if isinstance(r, dict)]
    if not rules:
        problems.append(Problem(NO_RULES))
    roleless = [
        str(r.get("id", "?")) for r in rules if r.get("verdict") == "review" and not r.get("role")
    ]
    if roleless:
        problems.append(Problem(REVIEW_WITHOUT_ROLE, roleless))
    unreachable = [str(r.get("id", "?")) for r in roles if not str(r.get("contact") or "").strip()]
    if unreachable:
        problems.append(Problem(ROLE_WITHOUT_CONTACT, unreachable))
    try:
        parse_policy(data)
    except PolicyFormatError as error:
        # What the lines above say already is not said again as a format issue.
        already = {f"rules[{i}].role" for i, r in enumerate(rules) if str(r.get("id")) in roleless}
        already |= {
            f"roles[{i}].contact" for i, r in enumerate(roles) if str(r.get("id")) in unreachable
        }
        issues = [
            issue
            for issue in error.errors
            if issue.path not in already and not (issue.path == "rules" and not rules)
        ]
        if issues:
            problems.append(Problem(INVALID, [str(i) for i in issues], tuple(issues)))
    return problems


# -- reading versions -----------------------------------------------------------------------
def list_versions(session: Session) -> list[AdoptedVersion]:
    """Every version, the one in force first."""
    query = select(PolicyVersion).order_by(PolicyVersion.number.desc())
    return [AdoptedVersion.of(row) for row in session.scalars(query)]


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
    announce_in: str | None = None,
    acknowledged: list[dict[str, Any]] | None = None,
) -> AdoptedVersion:
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
        announced_in=announce_in,
    )
    session.add(version)
    session.flush()  # the version row first: the record refers to it
    session.add(
        VersionRecord(
            number=number,
            source=source,
            contributors=[{"id": p.user_id, "name": p.name} for p in people],
            changes=changes.as_dict(),
            acknowledged=list(acknowledged or []),
            approvals=[dict(a) for a in approval.approvals],
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
            "reference": approval.reference,
            "approvals": [dict(a) for a in approval.approvals],
            "based_on": based_on,
            "acknowledged": list(acknowledged or []),
        },
    )
    session.flush()
    return AdoptedVersion.of(version)


def adopt_draft(
    session: Session,
    actor: str,
    approval: Approval,
    fallback_language: Language,
    *,
    expected: str | None = None,
    announce_in: str | None = None,
    acknowledged: list[dict[str, Any]] | None = None,
    snapshot: dict[str, Any] | None = None,
) -> AdoptedVersion:
    """Freeze the draft as version N. `expected` is the fingerprint the lead confirmed; if
    the draft moved since, DraftChanged is raised and nothing is adopted. `announce_in` is
    the channel the new version will be announced in; `acknowledged`, what was not ready and
    the lead confirmed adopting all the same (`bot.reviewing.readiness`), kept with it.
    `snapshot`: the draft as it was when management was asked to approve it (a sign-off in
    Slack), frozen as it is: what the approvers saw is what is adopted."""
    data = dict(snapshot) if snapshot is not None else draft_dict(session, fallback_language)
    if expected is not None and fingerprint(data) != expected:
        raise DraftChanged()
    people = contributors(session)
    version = _freeze(
        session,
        actor,
        data,
        approval,
        source="draft",
        people=people,
        announce_in=announce_in,
        acknowledged=acknowledged,
    )
    # The draft stays open for the next round and now says which version it became.
    if setting(session, VERSION) != version.label:
        put_setting(session, VERSION, version.label, actor)
    if setting(session, ADOPTED) != approval.as_adopted():
        put_setting(session, ADOPTED, approval.as_adopted(), actor)
    return version


def adopt_document(
    session: Session, actor: str, doc: PolicyDocument, approval: Approval, *, source: str = "import"
) -> AdoptedVersion:
    """Adopt a whole document as it is (the CLI's `import --adopt`)."""
    return _freeze(session, actor, policy_to_json(doc), approval, source=source, people=[])


def readopt(
    session: Session,
    actor: str,
    number: int,
    approval: Approval,
    *,
    announce_in: str | None = None,
) -> AdoptedVersion:
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
        announce_in=announce_in,
    )
