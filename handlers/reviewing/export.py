"""`/policy export md|html|docx|yaml [draft|N]`: the policy as a file, uploaded to the channel.

The lead sees "exporting…" at once (the router has acked), the file is rendered by the core
(bot/exporting) and uploaded (`Outgoing.upload`, through the outbox), then the lead is told
where it is (or that Slack refused it) once Slack has it (`export_shared`).
"""

from __future__ import annotations

import logging
from typing import Any

from bot.directory import NameResolver
from bot.exporting import (
    FORMATS,
    ExportSource,
    NothingAdopted,
    draft_source,
    export,
    load_logo,
    version_source,
)
from bot.i18n import words
from bot.reviewing.draft import cover_decisions
from bot.reviewing.versions import UnknownVersion
from bot.storage import Session
from handlers.kit import mrkdwn
from handlers.kit.context import RequestContext
from handlers.kit.names import learn_for_document
from handlers.kit.outbox import Sent, after_sending
from handlers.kit.slack import Then
from handlers.router import CommandCall

log = logging.getLogger(__name__)

FORMAT_WORDS = {  # what people type → the format
    "md": "md",
    "markdown": "md",
    "html": "html",
    "htm": "html",
    "docx": "docx",
    "word": "docx",
    "yaml": "yaml",
    "yml": "yaml",
}
DRAFT = "draft"
EXPORTED = "reviewing:exported"


def parse_export_args(args: str) -> tuple[str, str | int | None] | None:
    """(format, "draft" | N | None for the version in force), or None when it makes no sense."""
    typed = args.lower().split()
    if not typed or len(typed) > 2 or typed[0] not in FORMAT_WORDS:
        return None
    fmt = FORMAT_WORDS[typed[0]]
    if len(typed) == 1:
        return fmt, None
    which = typed[1]
    if which in words("reviewing.words.draft"):
        return fmt, DRAFT
    if which.isdigit() and int(which) > 0:
        return fmt, int(which)
    return None


def run_export(call: CommandCall) -> None:
    ctx = call.ctx
    parsed = parse_export_args(call.args)
    if parsed is None:
        call.reply(ctx.t("reviewing.export_usage"))
        return
    fmt, which = parsed
    assert fmt in FORMATS
    number = which if isinstance(which, int) else None
    try:
        with ctx.unit_of_work() as session:
            if which == DRAFT:
                what = ctx.t("reviewing.export_what_draft")
            else:
                label = version_source(session, number).label
                what = ctx.t("reviewing.export_what_version", label=label)
    except NothingAdopted:
        call.reply(ctx.t("reviewing.no_version", format=fmt))
        return
    except UnknownVersion:
        call.reply(ctx.t("reviewing.unknown_version", given=str(which)))
        return
    ctx.progress(ctx.t("reviewing.exporting", what=what, format=fmt))  # before the work

    settings = ctx.settings
    logo = load_logo(settings.logo)

    def source_of(session: Session, resolve: NameResolver | None) -> ExportSource:
        if which == DRAFT:
            return draft_source(session, settings.language, resolve=resolve, zone=settings.timezone)
        return version_source(session, number, resolve=resolve, zone=settings.timezone)

    learn_for_document(ctx, source_of)  # Slack asked before the unit of work, not in it
    with ctx.unit_of_work() as session:
        source = source_of(session, None)
        decisions = cover_decisions(session) if which == DRAFT else None
        exported = export(source, fmt, decisions, logo=logo)
        comment = ctx.t(
            "reviewing.export_comment", what=what, format=fmt, user=mrkdwn.user(ctx.actor)
        )
        told = {"user": ctx.actor, "response_url": call.response_url, "filename": exported.filename}
        ctx.slack.upload(
            call.channel_id,
            file=exported.content,
            filename=exported.filename,
            title=exported.filename,
            comment=comment,
            then=Then(EXPORTED, told),
        )


@after_sending(EXPORTED)
def export_shared(ctx: RequestContext, sent: Sent, *, filename: str, **_: Any) -> None:
    """The file is shared (or Slack refused it): the lead is told which."""
    if sent.ok:
        ctx.slack.respond(ctx.t("reviewing.export_done", filename=filename))
        return
    log.warning("uploading %s failed: %s", filename, sent.error)
    ctx.slack.respond(ctx.t("reviewing.export_failed", error=sent.error))
