"""Living by the policy on the scheduler (`bot.scheduling`): planners that schedule, once
each (by key), a reminder to acknowledge for everyone asked `ACK_REMIND_AFTER` working days
ago who has not acknowledged the latest version; the lead's notice `REVIEW_NOTICE` before
the review is due; and the follow-up of a version adopted without Slack (the command line's
`policy import --adopt`), which asks the kept questions again. Every job waits for a working
day outside the quiet hours; what each says is `handlers.living.reminders`'s."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.living import reminders
from bot.living.acknowledgement import version_doc
from bot.living.rechecks import result_of
from bot.living.review_cycle import next_review_of_latest
from bot.rhythm import project
from bot.scheduling import jobs
from bot.scheduling.planners import Moment, planner

ACK_REMINDER = "living:ack_reminder"
REVIEW_NOTICE = "living:review_notice"
RECHECK = "living:recheck"
RECHECK_WITHIN = dt.timedelta(days=7)  # a version adopted longer ago is not followed up


@planner("living:acknowledgements")
def plan_ack_reminders(session: Session, moment: Moment) -> None:
    if not project.reminds(session, project.ACKNOWLEDGE):
        return
    for request in reminders.waiting_for_reminder(session):
        if request.asked_at is None:
            continue
        due = moment.calendar.after_working_days(request.asked_at, reminders.ACK_REMIND_AFTER)
        args = {"version": request.version, "person": request.user_id}
        key = f"ack-remind:{request.version}:{request.user_id}"
        jobs.schedule(session, key, ACK_REMINDER, due, now=moment.now, args=args)


@planner("living:review")
def plan_review_notice(session: Session, moment: Moment) -> None:
    if not project.reminds(session, project.REVIEW):
        return
    review = next_review_of_latest(session)
    if review is None:
        return
    due = moment.calendar.morning(reminders.review_notice_at(review))
    args = {"version": review.version, "due": review.due.isoformat()}
    key = f"review-notice:{review.version}:{review.due.isoformat()}"
    jobs.schedule(session, key, REVIEW_NOTICE, due, now=moment.now, args=args)


@planner("living:rechecks")
def plan_rechecks(session: Session, moment: Moment) -> None:
    latest = version_doc(session)
    if latest is None or result_of(session, latest.number) is not None:
        return
    if latest.recorded_at is None or latest.recorded_at < moment.now - RECHECK_WITHIN:
        return  # adopted before this bot asked again: old news is not news
    args = {"version": latest.number}
    jobs.schedule(
        session, f"recheck:{latest.number}", RECHECK, moment.now, now=moment.now, args=args
    )
