"""How far each section is, and who contributed what.

A section is **complete** when every one of its questions has an answer standing (active,
not rejected by the lead) and none of its answers waits for the lead's review: the working
group has said its piece and the lead has consolidated it. Its owner and the lead are told
once (`bot.rhythm.reminders`), and the weekly digest draws its progress.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.drafting.content_file import Localized
from bot.drafting.contributions import ACTIVE
from bot.drafting.template import load_template
from bot.reviewing.proposals import ACCEPTED, PENDING, REJECTED
from bot.storage.models.drafting import Contribution
from bot.storage.models.policy import PolicyVersion


@dataclass(frozen=True)
class SectionProgress:
    section_id: str
    title: Localized
    total: int  # questions
    answered: int  # questions with an answer standing
    pending: int  # answers waiting for the lead's review
    accepted: int  # answers the lead accepted
    contributors: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.answered >= self.total and self.pending == 0


def progress(session: Session) -> list[SectionProgress]:
    """Every section of the template, in order."""
    answered: dict[str, set[str]] = {}
    pending: dict[str, int] = {}
    accepted: dict[str, int] = {}
    people: dict[str, list[str]] = {}
    query = (
        select(
            Contribution.section_id,
            Contribution.question_id,
            Contribution.author,
            Contribution.review,
        )
        .where(Contribution.status == ACTIVE, Contribution.review != REJECTED)
        .order_by(Contribution.created_at, Contribution.id)
    )
    for section_id, question_id, author, review in session.execute(query):
        answered.setdefault(section_id, set()).add(question_id)
        if review == PENDING:
            pending[section_id] = pending.get(section_id, 0) + 1
        elif review == ACCEPTED:
            accepted[section_id] = accepted.get(section_id, 0) + 1
        if author not in people.setdefault(section_id, []):
            people[section_id].append(author)
    found = []
    for section in load_template().sections:
        questions = {q.id for q in section.questions}
        found.append(
            SectionProgress(
                section_id=section.id,
                title=section.title,
                total=len(questions),
                answered=len(answered.get(section.id, set()) & questions),
                pending=pending.get(section.id, 0),
                accepted=accepted.get(section.id, 0),
                contributors=tuple(people.get(section.id, [])),
            )
        )
    return found


def section_progress(session: Session, section_id: str) -> SectionProgress | None:
    return next((p for p in progress(session) if p.section_id == section_id), None)


@dataclass(frozen=True)
class Contributed:
    """What one person contributed: answers standing, per section (in template order)."""

    user_id: str
    answers: int
    sections: tuple[str, ...]


def contributed(session: Session, since: dt.datetime | None = None) -> list[Contributed]:
    """Who contributed answers that stand (not withdrawn, not rejected), most first; only
    those written after `since` when it is given."""
    query = select(Contribution.author, Contribution.section_id).where(
        Contribution.status == ACTIVE, Contribution.review != REJECTED
    )
    if since is not None:
        query = query.where(Contribution.created_at >= since)
    order = [s.id for s in load_template().sections]
    counts: dict[str, int] = {}
    sections: dict[str, set[str]] = {}
    for author, section_id in session.execute(query.order_by(Contribution.id)):
        counts[author] = counts.get(author, 0) + 1
        sections.setdefault(author, set()).add(section_id)
    people = sorted(counts, key=lambda a: (-counts[a], a))
    return [
        Contributed(
            a,
            counts[a],
            tuple(sorted(sections[a], key=lambda s: order.index(s) if s in order else len(order))),
        )
        for a in people
    ]


def waiting_for_review(session: Session) -> int:
    query = select(func.count(Contribution.id)).where(
        Contribution.status == ACTIVE, Contribution.review == PENDING
    )
    return int(session.scalar(query) or 0)


def contributed_to(session: Session, number: int) -> list[Contributed]:
    """Who contributed to version `number`: the answers standing that were written since the
    version before it was recorded (all of them for the first)."""
    since = session.scalar(
        select(PolicyVersion.recorded_at)
        .where(PolicyVersion.number < number)
        .order_by(PolicyVersion.number.desc())
        .limit(1)
    )
    return contributed(session, since)
