"""Where the draft stands, per section, and what one session brought in.

`/policy status`, the App Home tab and the choice of sections of a bare `/policy draft` all
read this, so they always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.drafting.contributions import ACTIVE, section_entries
from bot.drafting.sessions import OPEN, SessionInfo
from bot.drafting.template import Question, SectionTemplate, load_template
from bot.living.review_cycle import next_review_of_latest
from bot.rhythm.plan import Planned, planned
from bot.storage import utcnow
from bot.storage.models.drafting import Contribution, DraftingSession
from bot.storage.models.policy import DraftRole, DraftRule, PolicyVersion

LAST_SECTION = "cover"  # the template's advice: fill in the cover sheet once the rest stands


@dataclass(frozen=True)
class SectionStatus:
    section: SectionTemplate
    answered: int
    contributions: int
    contributors: tuple[str, ...]
    last_activity: dt.datetime | None
    rules: int
    roles: int
    open_session: tuple[str, str] | None  # (channel, thread_ts) of the latest open session
    plan: Planned | None = None  # its owner and deadline (`/policy plan`), if any

    @property
    def total(self) -> int:
        return len(self.section.questions)

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


@dataclass(frozen=True)
class AdoptedVersion:
    number: int
    label: str
    approved_on: dt.date
    approved_by: str


@dataclass(frozen=True)
class DraftStatus:
    sections: list[SectionStatus]
    adopted: AdoptedVersion | None
    next_review: dt.date | None = None  # when the adopted version is due for review

    @property
    def next_section(self) -> SectionStatus | None:
        """Where the working group could best carry on: the first unfinished section, the
        cover sheet last (it sums up decisions that the other sections make)."""
        unfinished = [s for s in self.sections if not s.complete]
        unfinished.sort(key=lambda s: s.section.id == LAST_SECTION)
        return unfinished[0] if unfinished else None


@dataclass(frozen=True)
class QuestionTally:
    question: Question
    contributions: int
    contributors: tuple[str, ...]
    skipped: bool
    picks: dict[str, int] = field(default_factory=dict)  # option id → how many picked it


@dataclass(frozen=True)
class SessionSummary:
    questions: list[QuestionTally]
    participants: tuple[str, ...]
    section: SectionStatus


def draft_status(session: Session, today: dt.date | None = None) -> DraftStatus:
    """Every section where it stands; `today` (the organisation's) says which are late."""
    template = load_template()
    plans = planned(session, today or utcnow().date())
    answered: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    people: dict[str, list[str]] = {}
    latest: dict[str, dt.datetime] = {}
    query = (
        select(
            Contribution.section_id,
            Contribution.question_id,
            Contribution.author,
            Contribution.updated_at,
        )
        .where(Contribution.status == ACTIVE)
        .order_by(Contribution.created_at, Contribution.id)
    )
    for section_id, question_id, author, updated_at in session.execute(query):
        answered.setdefault(section_id, set()).add(question_id)
        counts[section_id] = counts.get(section_id, 0) + 1
        if author not in people.setdefault(section_id, []):
            people[section_id].append(author)
        _latest(latest, section_id, updated_at)
    for section_id, moment in session.execute(
        select(DraftingSession.section_id, func.max(DraftingSession.last_activity_at)).group_by(
            DraftingSession.section_id
        )
    ):
        _latest(latest, section_id, moment)
    open_threads: dict[str, tuple[str, str]] = {}
    for row in session.scalars(
        select(DraftingSession)
        .where(DraftingSession.status == OPEN)
        .order_by(DraftingSession.last_activity_at, DraftingSession.id)
    ):
        open_threads[row.section_id] = (row.channel, row.thread_ts)  # the latest wins
    rules = dict(
        session.execute(
            select(DraftRule.section, func.count(DraftRule.pk)).group_by(DraftRule.section)
        ).all()
    )
    roles = dict(
        session.execute(
            select(DraftRole.section, func.count(DraftRole.pk)).group_by(DraftRole.section)
        ).all()
    )
    version = session.scalar(select(PolicyVersion).order_by(PolicyVersion.number.desc()).limit(1))
    adopted = (
        AdoptedVersion(version.number, version.label, version.approved_on, version.approved_by)
        if version is not None
        else None
    )
    sections = []
    for section in template.sections:
        question_ids = {q.id for q in section.questions}
        sections.append(
            SectionStatus(
                section=section,
                answered=len(answered.get(section.id, set()) & question_ids),
                contributions=counts.get(section.id, 0),
                contributors=tuple(people.get(section.id, [])),
                last_activity=latest.get(section.id),
                rules=int(rules.get(section.id, 0)),
                roles=int(roles.get(section.id, 0)),
                open_session=open_threads.get(section.id),
                plan=plans.get(section.id),
            )
        )
    review = next_review_of_latest(session) if adopted is not None else None
    return DraftStatus(sections, adopted, review.due if review is not None else None)


def section_status(session: Session, section_id: str) -> SectionStatus:
    return next(s for s in draft_status(session).sections if s.section.id == section_id)


def session_summary(session: Session, info: SessionInfo) -> SessionSummary:
    """What this session brought in, per question, and who took part."""
    participants: list[str] = []
    tallies = []
    for index, listed in enumerate(section_entries(session, info.section_id, session_id=info.id)):
        authors: list[str] = []
        picks: dict[str, int] = {}
        for entry in listed.entries:
            if entry.author not in authors:
                authors.append(entry.author)
            if entry.author not in participants:
                participants.append(entry.author)
            for option_id in entry.structured.get("options") or []:
                picks[option_id] = picks.get(option_id, 0) + 1
        tallies.append(
            QuestionTally(
                question=listed.question,
                contributions=len(listed.entries),
                contributors=tuple(authors),
                skipped=index in info.skipped and not listed.entries,
                picks=picks,
            )
        )
    return SessionSummary(tallies, tuple(participants), section_status(session, info.section_id))


def _latest(latest: dict[str, dt.datetime], key: str, moment: dt.datetime | None) -> None:
    if moment is None:
        return
    if moment.tzinfo is None:  # an aggregate (max) comes back without the type's zone fix
        moment = moment.replace(tzinfo=dt.UTC)
    if key not in latest or moment > latest[key]:
        latest[key] = moment
