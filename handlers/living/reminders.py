"""What living's scheduled jobs say when they are due (`handlers.kit.scheduler.on_job`): a
reminder to acknowledge the adopted version (with the request itself and its button again),
the lead's notice that the review is coming, and the follow-up of a version adopted on the
command line. Each writes to the outbox in the job's unit of work, marked done with it: said
once. The core says whether there is still something to say (`bot.living.reminders`)."""

from __future__ import annotations

from bot.living import acknowledgement as acks
from bot.living import reminders
from bot.living.planning import ACK_REMINDER, RECHECK, REVIEW_NOTICE
from bot.rhythm import project
from bot.scheduling.jobs import Job
from bot.storage import Session
from handlers.kit import mrkdwn
from handlers.kit.blocks import section
from handlers.kit.catalogue import say
from handlers.kit.context import RequestContext
from handlers.kit.people import know_people
from handlers.kit.scheduler import on_job
from handlers.living.ack_message import request_message
from handlers.living.rechecks import follow_up


@on_job(ACK_REMINDER)
def remind_to_acknowledge(ctx: RequestContext, session: Session, job: Job) -> bool:
    if not project.reminds(session, project.ACKNOWLEDGE):
        return False  # switched off in the setup after it was planned
    version, person = int(job.args.get("version") or 0), str(job.args.get("person") or "")
    request = reminders.still_waiting(session, version, person)
    if request is None:
        return False
    found = acks.reading(session, request)
    if found is None or not acks.reminded(session, version, person, ctx.services.clock.now()):
        return False
    _text, blocks = request_message(request.language, found)
    nudge = say(request.language, "living.ack.reminder", label=found.version.label)
    ctx.slack.direct_message(person, nudge, [section(nudge), *blocks[1:]], unfurl_links=False)
    return True


@on_job(REVIEW_NOTICE)
def review_is_coming(ctx: RequestContext, session: Session, job: Job) -> bool:
    if not project.reminds(session, project.REVIEW):
        return False  # switched off in the setup after it was planned
    version, due = int(job.args.get("version") or 0), str(job.args.get("due") or "")
    review = reminders.review_to_announce(session, version, due)
    leads = project.leads(session, ctx.settings.admins)
    if review is None or not leads:
        return False
    know_people(ctx, leads)
    for lead in leads:
        reader = ctx.for_user(lead)
        text = reader.t(
            "living.review.notice",
            label=review.label,
            every=review.every,
            date=mrkdwn.day(review.due),
        )
        ctx.slack.direct_message(lead, text)
    return True


@on_job(RECHECK)
def recheck(ctx: RequestContext, session: Session, job: Job) -> bool:
    leads = project.leads(session, ctx.settings.admins)
    return follow_up(ctx, session, int(job.args.get("version") or 0), leads)
