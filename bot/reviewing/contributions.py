"""The working group's contributions as the lead reviews them: accepted, rejected or reset,
and the accepted ones as the starting point of a section's text."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.drafting.template import load_template
from bot.reviewing.errors import NotFound
from bot.storage import utcnow
from bot.storage.models.drafting import Contribution

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
REVIEW_STATES = (PENDING, ACCEPTED, REJECTED)


@dataclass(frozen=True)
class ContributionItem:
    id: int
    question_id: str
    author: str
    text: str
    review: str  # pending | accepted | rejected


def section_contributions(session: Session, section_id: str) -> list[ContributionItem]:
    """The section's standing contributions, in question order, then oldest first."""
    query = (
        select(Contribution)
        .where(Contribution.section_id == section_id, Contribution.status == "active")
        .order_by(Contribution.created_at, Contribution.id)
    )
    order = question_order(section_id)
    rows = sorted(session.scalars(query), key=lambda c: order.get(c.question_id, len(order)))
    return [ContributionItem(c.id, c.question_id, c.author, c.text, c.review) for c in rows]


def question_order(section_id: str) -> dict[str, int]:
    try:
        questions = load_template().section(section_id).questions
    except KeyError:
        return {}
    return {q.id: i for i, q in enumerate(questions)}


def review_contribution(session: Session, actor: str, contribution_id: int, decision: str) -> None:
    """Accept, reject or reset (pending) one contribution."""
    if decision not in REVIEW_STATES:
        raise ValueError(decision)
    contribution = session.get(Contribution, contribution_id)
    if contribution is None or contribution.status != "active":
        raise NotFound(str(contribution_id))
    before = contribution.review
    if before == decision:
        return
    contribution.review = decision
    contribution.reviewed_by = actor
    contribution.reviewed_at = utcnow()
    audit.record(
        session,
        actor=actor,
        entity="contribution",
        entity_id=str(contribution_id),
        section=contribution.section_id,
        action=decision if decision != PENDING else "reset",
        before={"review": before, "text": contribution.text},
        after={"review": decision, "text": contribution.text},
    )


def prefill_text(session: Session, section_id: str) -> str:
    """The accepted contributions in question order: the starting point of the section text."""
    accepted = [
        c.text.strip()
        for c in section_contributions(session, section_id)
        if c.review == ACCEPTED and c.text.strip()
    ]
    return "\n\n".join(accepted)
