"""`/policy export md|html|docx|yaml [draft|N]`: the policy as a file, uploaded to the channel.

The lead sees "exporting…" at once (the router has acked), the file is rendered by the core
(bot/exporting) and uploaded (`Outgoing.upload`), then the lead is told where it is.
"""

from __future__ import annotations

import logging

from bot.exporting import FORMATS, NothingAdopted, draft_source, export, version_source
from bot.i18n import words
from bot.profiles import cached_profile, store_profile
from bot.reviewing.draft import contributor_ids, cover_decisions
from bot.reviewing.versions import UnknownVersion
from bot.vocabulary import language_of_locale
from handlers.kit import mrkdwn
from handlers.kit.context import RequestContext
from handlers.kit.slack import SlackApiError, reason
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
NAME_LOOKUPS = 50  # display names fetched per export at most; the rest show as ids


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
    call.reply(ctx.t("reviewing.exporting", what=what, format=fmt))  # progress, before the work

    if which == DRAFT:
        _learn_names(ctx)
    with ctx.unit_of_work() as session:
        if which == DRAFT:
            source = draft_source(session, ctx.settings.language)
            exported = export(source, fmt, cover_decisions(session))
        else:
            exported = export(version_source(session, number), fmt)
    comment = ctx.t("reviewing.export_comment", what=what, format=fmt, user=mrkdwn.user(ctx.actor))
    try:
        ctx.slack.upload(
            call.channel_id,
            file=exported.content,
            filename=exported.filename,
            title=exported.filename,
            comment=comment,
        )
    except SlackApiError as error:
        log.warning("uploading %s failed: %s", exported.filename, reason(error))
        call.reply(ctx.t("reviewing.export_failed", error=reason(error)))
        return
    call.reply(ctx.t("reviewing.export_done", filename=exported.filename))


def _learn_names(ctx: RequestContext) -> None:
    """The DOCX lists the working group by name: look up the contributors Slack has not told
    us about lately (kept in the database like every profile)."""
    with ctx.unit_of_work() as session:
        unknown = [a for a in contributor_ids(session) if cached_profile(session, a) is None]
        for author in unknown[:NAME_LOOKUPS]:
            found = ctx.lookup.user(author)
            if found is None:
                continue
            language = (
                language_of_locale(found.locale, ctx.settings.language) if found.locale else None
            )
            store_profile(session, author, found.locale, language, found.name)
