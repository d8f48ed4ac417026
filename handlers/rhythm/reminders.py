"""What each reminder says when it is due (`handlers.kit.scheduler.on_job`): the core says
whether it still has something to say (`bot.rhythm.reminders`), this module says it, in the
language of whoever reads it, through the outbox of the job's own unit of work."""

from __future__ import annotations

from bot.asking.contacts import USER, USERGROUP, parse_contact
from bot.rhythm import project, reminders
from bot.scheduling.jobs import Job
from bot.storage import Session
from handlers.kit import mrkdwn
from handlers.kit.catalogue import say
from handlers.kit.context import RequestContext
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.people import know_people
from handlers.kit.scheduler import on_job


@on_job(reminders.DEADLINE_SOON)
@on_job(reminders.DEADLINE_PASSED)
def deadline(ctx: RequestContext, session: Session, job: Job) -> bool:
    found = reminders.deadline_reminder(session, job.args)
    if found is None:
        return False
    know_people(ctx, [found.owner])
    reader = ctx.for_user(found.owner)
    key = (
        "rhythm.deadline_soon" if job.kind == reminders.DEADLINE_SOON else "rhythm.deadline_passed"
    )
    progress = found.progress
    text = reader.t(
        key,
        section=progress.title.get(reader.lang),
        deadline=mrkdwn.day(found.deadline),
        answered=progress.answered,
        total=progress.total,
        pending=progress.pending,
    )
    ctx.slack.direct_message(found.owner, text)
    return True


@on_job(reminders.IDLE_THREAD)
def idle_thread(ctx: RequestContext, session: Session, job: Job) -> bool:
    found = reminders.idle_thread(session, job.args)
    if found is None:
        return False
    know_people(ctx, [found.started_by])
    reader = ctx.for_user(found.started_by)
    text = reader.t(
        "rhythm.idle_thread",
        section=found.section.title.get(reader.lang),
        channel=mrkdwn.channel(found.channel),
        answered=found.question_index,
        total=found.total,
    )
    ctx.slack.direct_message(found.started_by, text)
    return True


@on_job(reminders.ESCALATION_ROLE)
def escalation_to_role(ctx: RequestContext, session: Session, job: Job) -> bool:
    found = reminders.unanswered(session, job.args)
    if found is None or not (found.posted_channel and found.posted_ts):
        return False
    # In the escalation's own thread, where the role answers; in the policy's language,
    # as the escalation itself was posted; the role's contact is mentioned again.
    lang = project.project(session, ctx.settings.language).language
    contact = _mention(found.contact, found.role_name)
    text = say(
        lang, "rhythm.escalation_role", contact=contact, asked=mrkdwn.moment(found.created_at)
    )
    ctx.slack.post(found.posted_channel, text, thread_ts=found.posted_ts)
    return True


@on_job(reminders.ESCALATION_LEAD)
def escalation_to_lead(ctx: RequestContext, session: Session, job: Job) -> bool:
    found = reminders.unanswered(session, job.args)
    leads = project.leads(session, ctx.settings.admins)
    if found is None or not leads:
        return False
    know_people(ctx, leads)
    where = (
        mrkdwn.channel(found.posted_channel) if found.posted_channel else mrkdwn.esc(found.contact)
    )
    for lead in leads:
        reader = ctx.for_user(lead)
        text = reader.t(
            "rhythm.escalation_lead",
            role=found.role_name,
            where=where,
            asked=mrkdwn.moment(found.created_at),
        )
        ctx.slack.direct_message(lead, text)
    return True


@on_job(reminders.SECTION_COMPLETE)
def section_complete(ctx: RequestContext, session: Session, job: Job) -> bool:
    found = reminders.completed(session, job.args)
    if found is None:
        return False
    leads = project.leads(session, ctx.settings.admins)
    readers = dict.fromkeys([*([found.owner] if found.owner else []), *leads])
    know_people(ctx, readers)
    for user in readers:
        reader = ctx.for_user(user)
        progress = found.progress
        text = reader.t(
            "rhythm.section_complete",
            section=progress.title.get(reader.lang),
            total=progress.total,
            people=mrkdwn.users(progress.contributors) if progress.contributors else "–",
        )
        ctx.slack.direct_message(user, text)
    return bool(readers)


def _mention(raw: str, role_name: str) -> Mrkdwn:
    """The role's contact, mentioned so that it is notified: a person or a user group; a
    channel (the escalation's thread is in it) is named by the role's name."""
    contact = parse_contact(raw)
    if contact.kind == USER:
        return mrkdwn.user(contact.value)
    if contact.kind == USERGROUP:
        return mrkdwn.usergroup(contact.value)
    return mrkdwn.bold(role_name)
