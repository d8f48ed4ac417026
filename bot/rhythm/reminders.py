"""The reminders that keep the project moving, as planners (what is due, and when) and as the
facts each one needs when it goes out (or None: nothing to say any more, it is skipped).

- a section's owner, NOTICE_DAYS working days before its deadline, and on the first working
  day after it has passed, unless the section is complete by then;
- a drafting thread idle for a week, to whoever started it;
- an escalation the role has not replied to after a working day: to the role, in its
  thread; after another working day, to the lead;
- each week, on its first working day, a digest to the lead;
- a section that has become complete: its owner and the lead hear of it, once per round.

Every one is a job (`bot.scheduling.jobs`) whose key says what it is about, so it goes out
once; all wait for a working day outside the quiet hours; each kind can be switched off in the
setup (`bot.rhythm.project.REMINDER_KINDS`), which planners and runs both respect.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.asking.escalations import OPEN as ESCALATION_OPEN
from bot.asking.escalations import EscalationView, get
from bot.drafting.sessions import OPEN as SESSION_OPEN
from bot.drafting.sessions import SessionInfo, get_session
from bot.rhythm import project
from bot.rhythm.plan import plans
from bot.rhythm.progress import SectionProgress, progress, section_progress
from bot.scheduling import jobs
from bot.scheduling.planners import WINDOW, Moment, planner
from bot.storage.models.asking import Escalation
from bot.storage.models.drafting import Contribution, DraftingSession
from bot.storage.models.policy import PolicyVersion
from bot.storage.models.rhythm import SectionPlan

DEADLINE_SOON, DEADLINE_PASSED = "rhythm:deadline_soon", "rhythm:deadline_passed"
IDLE_THREAD = "rhythm:idle_thread"
ESCALATION_ROLE, ESCALATION_LEAD = "rhythm:escalation_role", "rhythm:escalation_lead"
DIGEST = "rhythm:digest"
SECTION_COMPLETE = "rhythm:section_complete"
NOTICE_DAYS = 2  # working days before a deadline that its owner is reminded
IDLE_AFTER = dt.timedelta(days=7)
UNDER_WAY = dt.timedelta(days=28)  # drafting this recent (or a deadline) keeps the digest going


def _stamp(moment: dt.datetime) -> str:
    return str(int(moment.timestamp()))


# -- deadlines --------------------------------------------------------------------------------
@planner("rhythm:deadlines")
def plan_deadlines(session: Session, moment: Moment) -> None:
    if not project.reminds(session, project.DEADLINES):
        return
    calendar, today = moment.calendar, moment.calendar.today(moment.now)
    for plan in plans(session).values():
        if plan.owner is None or plan.deadline is None:
            continue
        key = f"{plan.section_id}:{plan.owner}:{plan.deadline.isoformat()}"
        args = {
            "section": plan.section_id,
            "owner": plan.owner,
            "deadline": plan.deadline.isoformat(),
        }
        if today <= plan.deadline:
            ahead = calendar.working_days_before(plan.deadline, NOTICE_DAYS)
            due = calendar.morning(ahead)
            jobs.schedule(
                session, f"deadline-soon:{key}", DEADLINE_SOON, due, now=moment.now, args=args
            )
        if today - plan.deadline <= dt.timedelta(days=WINDOW.days):
            after = calendar.working_days.next_working_day(plan.deadline + dt.timedelta(days=1))
            due = calendar.morning(after)
            jobs.schedule(
                session, f"deadline-passed:{key}", DEADLINE_PASSED, due, now=moment.now, args=args
            )


@dataclass(frozen=True)
class DeadlineReminder:
    owner: str
    deadline: dt.date
    progress: SectionProgress


def deadline_reminder(session: Session, args: dict[str, Any]) -> DeadlineReminder | None:
    """The facts of a deadline reminder, or None when it has nothing to say any more: the
    reminders are off, the plan changed, or the section is complete."""
    if not project.reminds(session, project.DEADLINES):
        return None
    row = session.get(SectionPlan, str(args.get("section")))
    deadline = str(args.get("deadline"))
    if row is None or row.owner is None or row.owner != args.get("owner") or row.deadline is None:
        return None
    if row.deadline.isoformat() != deadline:
        return None
    found = section_progress(session, row.section_id)
    if found is None or found.complete:
        return None
    return DeadlineReminder(row.owner, row.deadline, found)


# -- idle drafting threads --------------------------------------------------------------------
def last_activity(session: Session) -> dict[int, dt.datetime]:
    """Each open drafting session's last activity: its start, or its latest reply."""
    replies = dict(
        session.execute(
            select(Contribution.session_id, func.max(Contribution.created_at))
            .join(DraftingSession, DraftingSession.id == Contribution.session_id)
            .where(DraftingSession.status == SESSION_OPEN)
            .group_by(Contribution.session_id)
        ).all()
    )
    found: dict[int, dt.datetime] = {}
    query = select(DraftingSession.id, DraftingSession.last_activity_at).where(
        DraftingSession.status == SESSION_OPEN
    )
    for session_id, started in session.execute(query):
        moments = [m for m in (started, replies.get(session_id)) if m is not None]
        found[int(session_id)] = max(m if m.tzinfo else m.replace(tzinfo=dt.UTC) for m in moments)
    return found


@planner("rhythm:idle_threads")
def plan_idle_threads(session: Session, moment: Moment) -> None:
    if not project.reminds(session, project.IDLE):
        return
    for session_id, last in last_activity(session).items():
        if not moment.now - WINDOW <= last <= moment.now - IDLE_AFTER:
            continue
        args = {"session": session_id, "last": _stamp(last)}
        key = f"idle:{session_id}:{_stamp(last)}"
        jobs.schedule(session, key, IDLE_THREAD, moment.now, now=moment.now, args=args)


def idle_thread(session: Session, args: dict[str, Any]) -> SessionInfo | None:
    """The idle session, or None when it moved on, closed, or the reminders are off."""
    if not project.reminds(session, project.IDLE):
        return None
    session_id = int(args.get("session") or 0)
    last = last_activity(session).get(session_id)
    if last is None or _stamp(last) != args.get("last"):
        return None
    return get_session(session, session_id)


# -- escalations ------------------------------------------------------------------------------
@planner("rhythm:escalations")
def plan_escalations(session: Session, moment: Moment) -> None:
    if not project.reminds(session, project.ESCALATIONS):
        return
    query = select(Escalation.id, Escalation.created_at).where(
        Escalation.status == ESCALATION_OPEN,
        Escalation.replied_at.is_(None),
        Escalation.created_at >= moment.now - WINDOW,
    )
    calendar = moment.calendar
    for escalation_id, created in session.execute(query):
        args = {"escalation": int(escalation_id)}
        for days, kind, name in ((1, ESCALATION_ROLE, "role"), (2, ESCALATION_LEAD, "lead")):
            due = calendar.after_working_days(created, days)
            key = f"escalation-{name}:{escalation_id}"
            jobs.schedule(session, key, kind, due, now=moment.now, args=args)


def unanswered(session: Session, args: dict[str, Any]) -> EscalationView | None:
    """The escalation, while the role has neither replied nor marked it answered."""
    if not project.reminds(session, project.ESCALATIONS):
        return None
    found = get(session, int(args.get("escalation") or 0))
    if found is None or found.status != ESCALATION_OPEN or found.replied_at is not None:
        return None
    return found


# -- the weekly digest ------------------------------------------------------------------------
def week_of(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@planner("rhythm:digest")
def plan_digest(session: Session, moment: Moment) -> None:
    if not project.reminds(session, project.DIGEST) or not under_way(session, moment):
        return
    calendar = moment.calendar
    today = calendar.today(moment.now)
    monday = today - dt.timedelta(days=today.weekday())
    first = calendar.working_days.next_working_day(monday)
    week = week_of(today)
    args = {"week": week}
    jobs.schedule(
        session, f"digest:{week}", DIGEST, calendar.morning(first), now=moment.now, args=args
    )


def under_way(session: Session, moment: Moment) -> bool:
    """A project is under way: drafting in the last four weeks, a deadline that recent or
    ahead, or a target date that recent or ahead."""
    today = moment.calendar.today(moment.now)
    latest = session.scalar(select(func.max(DraftingSession.last_activity_at)))
    if latest is not None:
        latest = latest if latest.tzinfo else latest.replace(tzinfo=dt.UTC)
        if latest >= moment.now - UNDER_WAY:
            return True
    horizon = today - dt.timedelta(days=UNDER_WAY.days)
    deadline = session.scalar(select(func.max(SectionPlan.deadline)))
    if deadline is not None and deadline >= horizon:
        return True
    target = project.project(session, "nl").target_date
    return target is not None and target >= horizon


# -- a section complete -----------------------------------------------------------------------
def drafting_round(session: Session) -> int:
    """The round of drafting: the number the next adopted version will have."""
    return int(session.scalar(select(func.max(PolicyVersion.number))) or 0) + 1


@planner("rhythm:section_complete")
def plan_section_complete(session: Session, moment: Moment) -> None:
    if not project.reminds(session, project.COMPLETE):
        return
    round_ = drafting_round(session)
    for found in progress(session):
        if found.complete:
            key = f"complete:{found.section_id}:{round_}"
            args = {"section": found.section_id, "round": round_}
            jobs.schedule(session, key, SECTION_COMPLETE, moment.now, now=moment.now, args=args)


@dataclass(frozen=True)
class Completed:
    progress: SectionProgress
    owner: str | None


def completed(session: Session, args: dict[str, Any]) -> Completed | None:
    """The section, while it is still complete (and the notices are on)."""
    if not project.reminds(session, project.COMPLETE):
        return None
    found = section_progress(session, str(args.get("section")))
    if found is None or not found.complete:
        return None
    row = session.get(SectionPlan, found.section_id)
    return Completed(found, row.owner if row is not None else None)
