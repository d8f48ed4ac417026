"""The working group's contributions as the lead reviews them: what each proposes, where it
stands, what of it is in the draft, and the accepted ones as the start of a section's text.
The decisions themselves are `bot.reviewing.proposals`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.drafting.answers import RoleLine, RuleLine
from bot.drafting.draft_changes import applied_state, drafted_by, proposal
from bot.drafting.template import load_template
from bot.reviewing.proposals import ACCEPTED, DECISIONS, PENDING, REJECTED
from bot.storage.models.drafting import Contribution

REVIEW_STATES = DECISIONS
__all__ = ["ACCEPTED", "PENDING", "REJECTED", "REVIEW_STATES", "ContributionItem"]


@dataclass(frozen=True)
class ContributionItem:
    id: int
    question_id: str
    author: str
    text: str
    review: str  # pending | accepted | rejected
    reviewed_by: str | None = None
    kind: str = "text"
    proposed_rules: tuple[RuleLine, ...] = ()
    proposed_roles: tuple[RoleLine, ...] = ()
    proposed_options: tuple[str, ...] = ()  # standard rules or options picked
    in_draft: tuple[str, ...] = ()  # ids of the rules and roles it has in the draft

    @property
    def changed_since_accepted(self) -> bool:
        """Edited by its author after the lead accepted it: the draft still holds what was
        accepted, and the new version waits."""
        return self.review == PENDING and bool(self.in_draft)


def section_contributions(session: Session, section_id: str) -> list[ContributionItem]:
    """The section's standing contributions, in question order, then oldest first."""
    query = (
        select(Contribution)
        .where(Contribution.section_id == section_id, Contribution.status == "active")
        .order_by(Contribution.created_at, Contribution.id)
    )
    order = question_order(section_id)
    rows = sorted(session.scalars(query), key=lambda c: order.get(c.question_id, len(order)))
    return [_item(session, c) for c in rows]


def _item(session: Session, row: Contribution) -> ContributionItem:
    proposed = proposal(row)
    rules, roles = drafted_by(session, row.id) if applied_state(row) is not None else ([], [])
    return ContributionItem(
        row.id,
        row.question_id,
        row.author,
        row.text,
        row.review,
        row.reviewed_by,
        proposed.kind,
        proposed.rules,
        proposed.roles,
        proposed.options if proposed.kind == "library" else (),
        tuple(rules + roles),
    )


def question_order(section_id: str) -> dict[str, int]:
    try:
        questions = load_template().section(section_id).questions
    except KeyError:
        return {}
    return {q.id: i for i, q in enumerate(questions)}


def prefill_text(session: Session, section_id: str) -> str:
    """The accepted contributions in question order: the starting point of the section text.
    Answers whose substance went elsewhere (rules, roles, standard rules, the cover's
    decisions) are left out: the document shows those in their own places."""
    accepted = [
        c.text.strip()
        for c in section_contributions(session, section_id)
        if c.review == ACCEPTED and c.text.strip() and not _elsewhere(c)
    ]
    return "\n\n".join(accepted)


def _elsewhere(item: ContributionItem) -> bool:
    if item.kind in ("rules", "roles", "library"):
        return True
    try:
        return load_template().question(item.question_id).fills is not None
    except KeyError:
        return False
