"""The weekly digest to the communications lead: what happened and what waits, with a chart
of each section's progress uploaded beside it (`bot.rhythm.digest`, `bot.rhythm.chart`)."""

from __future__ import annotations

from bot.rhythm import project, reminders
from bot.rhythm.chart import Bar, progress_chart
from bot.rhythm.digest import Digest, digest
from bot.scheduling.jobs import Job
from bot.storage import Session
from handlers.kit import blocks, mrkdwn
from handlers.kit.context import RequestContext
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.people import know_people
from handlers.kit.scheduler import on_job


@on_job(reminders.DIGEST)
def weekly_digest(ctx: RequestContext, session: Session, job: Job) -> bool:
    if not project.reminds(session, project.DIGEST):
        return False
    leads = project.leads(session, ctx.settings.admins)
    if not leads:
        return False
    know_people(ctx, leads)
    now = ctx.services.clock.now()
    found = digest(session, now, ctx.settings.calendar.today(now))
    for lead in leads:
        reader = ctx.for_user(lead)
        text = digest_text(reader, found)
        ctx.slack.direct_message(lead, text, blocks.sections(text))
        ctx.slack.upload(
            to_user=lead,
            file=chart(reader, found),
            filename=f"progress-{job.args.get('week', 'week')}.png",
            title=reader.plain("rhythm.chart_title"),
            comment=reader.t("rhythm.chart_comment"),
        )
    return True


def digest_text(ctx: RequestContext, found: Digest) -> Mrkdwn:
    lang = ctx.lang
    lines: list[str] = [ctx.t("rhythm.digest_title", since=mrkdwn.moment(found.since))]
    lines.append(
        ctx.t(
            "rhythm.digest_contributions",
            count=found.new_contributions,
            people=mrkdwn.users(found.new_contributors) if found.new_contributors else "–",
        )
    )
    lines.append(ctx.t("rhythm.digest_pending", count=found.pending_reviews))
    if found.late:
        late = mrkdwn.join(
            ", ",
            (
                ctx.t(
                    "rhythm.digest_late_section",
                    section=item.progress.title.get(lang),
                    deadline=mrkdwn.day(item.plan.deadline) if item.plan.deadline else "",
                    owner=mrkdwn.user(item.plan.owner) if item.plan.owner else "–",
                )
                for item in found.late
            ),
        )
        lines.append(ctx.t("rhythm.digest_late", sections=late))
    else:
        lines.append(ctx.t("rhythm.digest_none_late"))
    if found.silent:
        lines.append(ctx.t("rhythm.digest_silent", people=mrkdwn.users(found.silent)))
    if found.open_escalations:
        oldest = mrkdwn.moment(found.oldest_escalation) if found.oldest_escalation else "–"
        lines.append(
            ctx.t("rhythm.digest_escalations", count=found.open_escalations, oldest=oldest)
        )
    lines.append(ctx.t("rhythm.digest_gaps", count=found.new_gaps))
    lines.append(
        ctx.t("rhythm.digest_sections", complete=found.complete, total=len(found.sections))
    )
    if found.target_date is not None:
        lines.append(ctx.t("rhythm.digest_target", date=mrkdwn.day(found.target_date)))
    return mrkdwn.lines(lines)


def chart(ctx: RequestContext, found: Digest) -> bytes:
    bars = [
        Bar(
            label=section.title.get(ctx.lang),
            total=section.total,
            answered=section.answered,
            waiting=section.pending > 0,
            note=f"{section.answered}/{section.total}",
        )
        for section in found.sections
    ]
    legend = (
        ctx.plain("rhythm.chart_done"),
        ctx.plain("rhythm.chart_waiting"),
        ctx.plain("rhythm.chart_open"),
    )
    return progress_chart(ctx.plain("rhythm.chart_title"), bars, legend)
