"""`/policy export md|html|docx|yaml [draft|N]`: the policy as a file, uploaded to the channel.

The lead sees "exporting…" at once (the router has acked), the file is rendered by the core
(bot/exporting) and uploaded with `files_upload_v2`, whose upload address comes from
`files.getUploadURLExternal` on SLACK_API_URL, then the lead is told where it is.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot import people
from bot.draft_policy import cover_decisions
from bot.exporting import FORMATS, NothingAdopted, draft_source, export, version_source
from bot.profiles import cached_profile, store_profile
from bot.storage.models.drafting import Contribution
from bot.versions import UnknownVersion
from bot.vocabulary import language_of_locale
from handlers.context import RequestContext
from handlers.router import CommandCall, CommandRouter, Subcommand
from handlers.slack_text import esc

log = logging.getLogger(__name__)

FORMAT_WORDS = {
    "md": "md",
    "markdown": "md",
    "html": "html",
    "htm": "html",
    "docx": "docx",
    "word": "docx",
    "yaml": "yaml",
    "yml": "yaml",
}
DRAFT_WORDS = ("draft", "concept")
NAME_LOOKUPS = 50  # display names fetched per export at most; the rest show as ids


def register(app: App, router: CommandRouter) -> None:
    router.add(
        Subcommand(
            "export",
            run_export,
            needs=people.COMMS_LEAD,
            aliases=("exporteer",),
            order=44,
            usage="FORMAT",
        )
    )


def parse_export_args(args: str) -> tuple[str, str | int | None] | None:
    """(format, "draft" | N | None for the version in force), or None when it makes no sense."""
    words = args.lower().split()
    if not words or len(words) > 2 or words[0] not in FORMAT_WORDS:
        return None
    fmt = FORMAT_WORDS[words[0]]
    if len(words) == 1:
        return fmt, None
    which = words[1]
    if which in DRAFT_WORDS:
        return fmt, "draft"
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
    with ctx.db.session() as session:
        try:
            if which == "draft":
                what = ctx.t("reviewing.export_what_draft")
            else:
                source = version_source(session, which if isinstance(which, int) else None)
                what = ctx.t("reviewing.export_what_version", label=esc(source.label))
        except NothingAdopted:
            call.reply(ctx.t("reviewing.no_version", format=fmt))
            return
        except UnknownVersion:
            call.reply(ctx.t("reviewing.unknown_version", given=which))
            return
    call.reply(ctx.t("reviewing.exporting", what=what, format=fmt))  # progress, before the work

    if which == "draft":
        _learn_names(ctx, call.client)
    with ctx.db.session() as session:
        if which == "draft":
            source = draft_source(session, ctx.settings.language)
            exported = export(source, fmt, cover_decisions(session))
        else:
            source = version_source(session, which if isinstance(which, int) else None)
            exported = export(source, fmt)

    try:
        call.client.files_upload_v2(
            channel=call.channel_id,
            file=exported.content,
            filename=exported.filename,
            title=exported.filename,
            initial_comment=ctx.t(
                "reviewing.export_comment", what=what, format=fmt, user=ctx.user_id
            ),
        )
    except SlackApiError as error:
        reason = str(error.response.get("error") or "error")
        log.warning("uploading %s failed: %s", exported.filename, reason)
        call.reply(ctx.t("reviewing.export_failed", error=esc(reason)))
        return
    call.reply(ctx.t("reviewing.export_done", filename=esc(exported.filename)))


def _learn_names(ctx: RequestContext, client: Any) -> None:
    """The DOCX lists the working group by name: look up the contributors Slack has not told
    us about lately (kept in the database like every profile)."""
    from sqlalchemy import select

    with ctx.db.session() as session:
        authors = list(
            session.scalars(
                select(Contribution.author).where(Contribution.status == "active").distinct()
            )
        )
    looked_up = 0
    for author in authors:
        if looked_up >= NAME_LOOKUPS:
            break
        if cached_profile(ctx.db, author) is not None:
            continue
        looked_up += 1
        try:
            user = client.users_info(user=author, include_locale=True).get("user") or {}
        except SlackApiError as error:
            log.info("users.info for %s failed: %s", author, error.response.get("error"))
            continue
        locale = user.get("locale")
        # the same name RequestContext stores, so both writers of the cache agree
        name = (user.get("profile") or {}).get("display_name") or user.get("name")
        language = language_of_locale(locale, ctx.settings.language) if locale else None
        store_profile(ctx.db, author, locale, language, name)
