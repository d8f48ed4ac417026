"""The weekly digest for the communications lead: what happened in the last week and what
waits: new contributions, reviews pending, sections late, who of the working group has not
contributed yet, open escalations, new gaps, and the progress of every section (drawn as a
chart by `bot.rhythm.chart`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.asking.escalations import OPEN as ESCALATION_OPEN
from bot.rhythm import project
from bot.rhythm.plan import Plan, plans
from bot.rhythm.progress import SectionProgress, contributed, progress, waiting_for_review
from bot.storage.models.asking import AskedQuestion, Escalation

WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class Late:
    progress: SectionProgress
    plan: Plan


@dataclass(frozen=True)
class Digest:
    since: dt.datetime
    new_contributions: int
    new_contributors: tuple[str, ...]
    pending_reviews: int
    late: tuple[Late, ...]
    silent: tuple[str, ...]  # working-group members with no answer standing, ever
    open_escalations: int
    oldest_escalation: dt.datetime | None
    new_gaps: int  # questions the policy did not cover, asked in the last week
    sections: tuple[SectionProgress, ...]
    target_date: dt.date | None

    @property
    def complete(self) -> int:
        return sum(1 for s in self.sections if s.complete)


def digest(session: Session, now: dt.datetime, today: dt.date) -> Digest:
    since = now - WEEK
    sections = progress(session)
    by_id = {s.section_id: s for s in sections}
    recent = contributed(session, since)
    everyone = {c.user_id for c in contributed(session)}
    setup = project.project(session, "nl")
    late = tuple(
        Late(by_id[plan.section_id], plan)
        for plan in plans(session).values()
        if plan.section_id in by_id and plan.late(today) and not by_id[plan.section_id].complete
    )
    escalations = session.execute(
        select(func.count(Escalation.id), func.min(Escalation.created_at)).where(
            Escalation.status == ESCALATION_OPEN
        )
    ).one()
    gaps = session.scalar(
        select(func.count(AskedQuestion.id)).where(
            AskedQuestion.covered.is_(False),
            AskedQuestion.policy_number.is_not(None),
            AskedQuestion.asked_at >= since,
        )
    )
    oldest = escalations[1]
    if oldest is not None and oldest.tzinfo is None:  # an aggregate loses the type's zone fix
        oldest = oldest.replace(tzinfo=dt.UTC)
    return Digest(
        since=since,
        new_contributions=sum(c.answers for c in recent),
        new_contributors=tuple(c.user_id for c in recent),
        pending_reviews=waiting_for_review(session),
        late=tuple(sorted(late, key=lambda item: item.plan.deadline or today)),
        silent=tuple(user for user in setup.working_group if user not in everyone),
        open_escalations=int(escalations[0] or 0),
        oldest_escalation=oldest,
        new_gaps=int(gaps or 0),
        sections=tuple(sections),
        target_date=setup.target_date,
    )
