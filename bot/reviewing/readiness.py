"""Is the draft ready to be adopted? What must be fixed first, and what the lead must confirm.

`/policy adopt` refuses while the draft breaks the policy format (no rules at all, a review
rule nobody to ask, a role nobody can reach, any other format issue: `blocking`). Everything
else that is not ready is listed for the lead to confirm explicitly (`to_confirm`): answers
still waiting for review (their proposals are not in the draft, so they will not be adopted),
sections with neither text nor rules, rules that name nobody to ask, no decisions on the
cover. What the lead confirmed is kept with the version (`acknowledged`), as part of the
approval record.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.drafting.cover import decisions_section
from bot.reviewing.draft import cover_decisions, draft_dict
from bot.reviewing.versions import Problem, adoption_problems, fingerprint
from bot.storage.models.drafting import Contribution

PENDING_CONTRIBUTIONS = "pending_contributions"
EMPTY_SECTIONS = "empty_sections"
RULES_WITHOUT_ROLE = "rules_without_role"
NO_DECISIONS = "no_decisions"


@dataclass(frozen=True)
class Unready:
    """Something not ready that the lead may adopt anyway: `items` are section or rule ids,
    `count` how many there are (contributions, for pending ones)."""

    code: str
    items: tuple[str, ...] = ()
    count: int = 0

    def as_record(self) -> dict[str, Any]:
        return {"code": self.code, "items": list(self.items), "count": self.count}


@dataclass(frozen=True)
class Readiness:
    blocking: list[Problem]
    to_confirm: list[Unready]
    titles: dict[str, str] = field(default_factory=dict)  # section id → title
    fingerprint: str = ""  # of the draft and of what is to confirm, as shown

    @property
    def ready(self) -> bool:
        return not self.blocking and not self.to_confirm

    def record(self) -> list[dict[str, Any]]:
        return [u.as_record() for u in self.to_confirm]


def readiness(session: Session, fallback_language: str) -> Readiness:
    data = draft_dict(session, fallback_language)
    to_confirm = unready(session, data)
    titles = {str(s.get("id")): str(s.get("title") or s.get("id")) for s in data["sections"]}
    return Readiness(
        adoption_problems(data), to_confirm, titles, combined_fingerprint(data, to_confirm)
    )


def combined_fingerprint(data: dict[str, Any], to_confirm: list[Unready]) -> str:
    """The draft's fingerprint and what was not ready, together: confirming one list and then
    adopting another must not happen."""
    listed = json.dumps([u.as_record() for u in to_confirm], sort_keys=True)
    return hashlib.sha256(f"{fingerprint(data)}:{listed}".encode()).hexdigest()[:16]


def unready(session: Session, data: dict[str, Any]) -> list[Unready]:
    found: list[Unready] = []
    waiting = dict(
        session.execute(
            select(Contribution.section_id, func.count(Contribution.id))
            .where(Contribution.status == "active", Contribution.review == "pending")
            .group_by(Contribution.section_id)
        ).all()
    )
    if waiting:
        order = [str(s.get("id")) for s in data["sections"]]
        sections = sorted(waiting, key=lambda s: (order.index(s) if s in order else len(order), s))
        found.append(Unready(PENDING_CONTRIBUTIONS, tuple(sections), sum(waiting.values())))
    rules = [r for r in data.get("rules") or [] if isinstance(r, dict)]
    decisions = cover_decisions(session)
    # The cover holds its decisions even before it has a summary text.
    written = {r.get("section") for r in rules} | ({decisions_section()} if decisions else set())
    empty = [
        str(s.get("id"))
        for s in data["sections"]
        if not str(s.get("text") or "").strip() and s.get("id") not in written
    ]
    if empty:
        found.append(Unready(EMPTY_SECTIONS, tuple(empty), len(empty)))
    # A review rule without a role breaks the format (blocking); the others only leave an
    # employee who hits them without anyone to ask.
    roleless = [
        str(r.get("id")) for r in rules if not r.get("role") and r.get("verdict") != "review"
    ]
    if roleless:
        found.append(Unready(RULES_WITHOUT_ROLE, tuple(roleless), len(roleless)))
    if not decisions:
        found.append(Unready(NO_DECISIONS))
    return found
