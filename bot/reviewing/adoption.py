"""The steps of adopting a version, as the lead goes through them: what will be frozen, what
changed and what is not ready (the preview), management's approval (checked), the freeze of
the draft with what the lead confirmed (`adopt`), and what the announcement says.

The freezing itself is `versions.adopt_draft` / `versions.readopt`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.reviewing.diff import PolicyDiff, diff, section_titles
from bot.reviewing.draft import cover_decisions, draft_dict
from bot.reviewing.fields import split_lines
from bot.reviewing.readiness import Unready, readiness
from bot.reviewing.versions import (
    AdoptedVersion,
    Approval,
    DraftChanged,
    Problem,
    UnknownVersion,
    adopt_draft,
    get_version,
    latest_version,
    previous_version,
)
from bot.vocabulary import Language, language_or


@dataclass(frozen=True)
class Preview:
    """What adopting the draft now would freeze, and what changed since the last version."""

    number: int  # the number the new version gets
    fingerprint: str  # of the draft and what is not ready, as shown; adoption refuses if
    # either moved meanwhile
    problems: list[Problem]  # what must be fixed first: adoption is refused
    to_confirm: list[Unready]  # what is not ready: the lead must confirm adopting anyway
    sections: int
    written: int  # sections with text
    rules: int
    rule_sections: int  # the sections those rules are in
    roles: int
    groups: int
    default_verdict: str
    default_role: str  # the default role's name (its id when it has none)
    previous_label: str | None
    changes: PolicyDiff | None  # None for the first version
    titles: dict[str, str]  # section id → title, old and new, for naming changed sections


def preview(session: Session, fallback_language: Language) -> Preview:
    ready = readiness(session, fallback_language)
    data = draft_dict(session, fallback_language)
    return _preview(session, data, ready.fingerprint, ready.blocking, ready.to_confirm)


def preview_of_request(session: Session, document: dict[str, Any]) -> Preview:
    """What a sign-off request asks to adopt: `document`, the draft as the request took it
    (its readiness was checked, and confirmed, then: nothing left to fix or confirm)."""
    return _preview(session, document, "", [], [])


def _preview(
    session: Session,
    data: dict[str, Any],
    fingerprint: str,
    problems: list[Problem],
    to_confirm: list[Unready],
) -> Preview:
    latest = latest_version(session)
    previous = dict(latest.document) if latest is not None else None
    default = data.get("default") or {}
    role_names = {r.get("id"): r.get("name") for r in data.get("roles") or []}
    sections = data.get("sections") or []
    return Preview(
        number=(latest.number if latest else 0) + 1,
        fingerprint=fingerprint,
        problems=problems,
        to_confirm=to_confirm,
        sections=len(sections),
        written=sum(1 for s in sections if str(s.get("text") or "").strip()),
        rules=len(data.get("rules") or []),
        rule_sections=rule_sections(data),
        roles=len(data.get("roles") or []),
        groups=len(data.get("groups") or []),
        default_verdict=str(default.get("verdict", "allowed")),
        default_role=str(role_names.get(default.get("role")) or default.get("role") or ""),
        previous_label=latest.label if latest is not None else None,
        changes=diff(previous, data) if previous is not None else None,
        titles=section_titles(previous or {}) | section_titles(data),
    )


def rule_sections(document: dict[str, Any]) -> int:
    """In how many sections the rules are ("10 rules in 2 sections", not in all 8)."""
    return len({r.get("section") for r in document.get("rules") or [] if r.get("section")})


def proposed_decisions(session: Session) -> list[str]:
    """The decisions the approval form starts with: what management is asked to decide."""
    return cover_decisions(session)


class NeedsConfirmation(Exception):
    """Something is not ready and the lead did not confirm adopting it all the same."""


def adopt(
    session: Session,
    actor: str,
    approval: Approval,
    fallback_language: Language,
    *,
    expected: str,
    confirmed: bool,
    announce_in: str | None = None,
) -> AdoptedVersion:
    """Freeze the draft as the lead confirmed it in step 1 (`expected`: the fingerprint of the
    draft and of what was not ready). DraftChanged when either moved since; NeedsConfirmation
    when something is not ready and `confirmed` is false; AdoptionRefused when the format is
    broken. What was not ready is recorded with the version."""
    ready = readiness(session, fallback_language)
    if ready.fingerprint != expected:
        raise DraftChanged()
    if ready.to_confirm and not confirmed:
        raise NeedsConfirmation()
    return adopt_draft(
        session,
        actor,
        approval,
        fallback_language,
        announce_in=announce_in,
        acknowledged=ready.record(),
    )


@dataclass(frozen=True)
class Readoption:
    """Adopting earlier version `number` again, as version `next_number`."""

    number: int
    label: str
    decisions: tuple[str, ...]
    next_number: int


def readoption(session: Session, number: int) -> Readoption:
    """UnknownVersion when there is no such version."""
    earlier = get_version(session, number)
    latest = latest_version(session)
    if latest is None:
        raise UnknownVersion(str(number))
    return Readoption(number, earlier.label, tuple(earlier.decisions or ()), latest.number + 1)


# -- management's approval ------------------------------------------------------------------
REQUIRED, IN_THE_FUTURE, NOT_A_DATE = "required", "in_the_future", "not_a_date"


class ApprovalInvalid(ValueError):
    """`errors` maps each bad field of the approval form to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def approval_from(
    approved_by: str,
    approved_on: str,
    decisions: str,
    announce_in: str,
    today: dt.date,
    *,
    reference: str = "",
) -> Approval:
    """Management's approval from the form's fields (`announce_in` is the channel for the
    announcement, required too; `reference`: where an approval given outside Slack is
    written down, such as a council's decision number); raises ApprovalInvalid naming each
    bad field."""
    errors: dict[str, str] = {}
    if not approved_by.strip():
        errors["approved_by"] = REQUIRED
    on: dt.date | None = None
    try:
        on = dt.date.fromisoformat(approved_on)
    except ValueError:
        errors["approved_on"] = NOT_A_DATE
    if on is not None and on > today:
        errors["approved_on"] = IN_THE_FUTURE
    if not announce_in:
        errors["announce"] = REQUIRED
    if errors or on is None:
        raise ApprovalInvalid(errors)
    return Approval(
        by=approved_by.strip(),
        on=on,
        decisions=split_lines(decisions),
        reference=reference.strip() or None,
    )


# -- the announcement -----------------------------------------------------------------------
@dataclass(frozen=True)
class Announcement:
    """What the channel is told about a new version, in the policy's own language."""

    language: Language
    label: str
    approved_by: str
    approved_on: dt.date
    readopted_label: str | None  # the earlier version adopted again, if that is what it was
    rules: int
    sections: int  # the sections the rules are in
    previous_label: str | None  # None for the first version
    changes: PolicyDiff | None
    titles: dict[str, str]


def announcement(session: Session, version: AdoptedVersion) -> Announcement:
    document: dict[str, Any] = version.document
    previous = previous_version(session, version.number)
    readopted = None
    if version.based_on:
        try:
            readopted = get_version(session, version.based_on).label
        except UnknownVersion:
            readopted = str(version.based_on)
    old = dict(previous.document) if previous is not None else None
    return Announcement(
        language=language_or(document.get("language"), "en"),
        label=version.label,
        approved_by=version.approved_by,
        approved_on=version.approved_on,
        readopted_label=readopted,
        rules=len(document.get("rules") or []),
        sections=rule_sections(document),
        previous_label=previous.label if previous is not None else None,
        changes=diff(old, document) if old is not None else None,
        titles=section_titles(old or {}) | section_titles(document),
    )
