"""Drafting in Slack: `/policy draft|status|show`, and the buttons that start a section.

The thread itself (replies, edits, navigation, picks) is handled in `drafting_thread`; what is
posted is built in `drafting_views`; a session runs through `drafting_flow`.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import audit, people
from bot.drafting import sessions
from bot.drafting.contributions import section_entries
from bot.drafting.status import draft_status
from bot.drafting.template import SectionTemplate
from handlers import drafting_thread
from handlers.blocks import Block, paginate, section
from handlers.context import RequestContext, request_context
from handlers.drafting_flow import CannotStart, begin_session, start_session_in_channel, tell
from handlers.drafting_views import (
    START_SECTION,
    as_blocks,
    history_chunks,
    section_choice,
    show_chunks,
    show_plain,
    status_text,
)
from handlers.router import CommandCall, Subcommand, refusal, router_for
from handlers.slack_text import esc, split_text

log = logging.getLogger(__name__)
START_MODAL = "drafting_start_modal"
MAX_REPLIES = 4  # a response_url takes five posts; beyond this many pages, send a file
HISTORY_FLAGS = ("--history", "--geschiedenis", "history", "geschiedenis")

__all__ = ["register", "start_session_in_channel"]


def register(app: App) -> None:
    router = router_for(app)
    router.add(
        Subcommand(
            "draft",
            run_draft,
            needs=people.WORKING_GROUP,
            aliases=("schrijf", "opstellen"),
            order=20,
            usage="SECTION",
        )
    )
    router.add(Subcommand("status", run_status, needs=people.WORKING_GROUP, order=21))
    router.add(
        Subcommand(
            "show",
            run_show,
            needs=people.WORKING_GROUP,
            aliases=("toon",),
            order=22,
            usage="SECTION [--history]",
        )
    )
    drafting_thread.register(app)
    app.action(re.compile(rf"^{START_SECTION}"))(on_start_button)
    app.action(re.compile(r"^drafting_resume"))(lambda ack: ack())  # a link button: Slack opens it
    app.view(START_MODAL)(on_start_modal)


# -- /policy draft [SECTION] ------------------------------------------------------------------
def run_draft(call: CommandCall) -> None:
    ctx = call.ctx
    word = call.args.strip()
    if not word:
        call.reply(ctx.t("drafting.choose_title"), section_choice(ctx.lang, draft_status(ctx.db)))
        return
    section_t = sessions.resolve_section(word)
    if section_t is None:
        intro = ctx.t("drafting.unknown_section", given=esc(word[:60]))
        call.reply(intro, section_choice(ctx.lang, draft_status(ctx.db), intro))
        return
    try:
        begin_session(call.client, ctx, call.channel_id, section_t.id, ctx.user_id or "")
    except CannotStart as reason:
        call.reply(ctx.t(reason.key, **reason.values))


def on_start_button(
    ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """A section's button under a bare `/policy draft` (start there) or on the Home tab
    (ask where: Home has no channel)."""
    ack()
    ctx = request_context(context)
    user = (body.get("user") or {}).get("id", "")
    section_id = ((body.get("actions") or [{}])[0]).get("value", "")
    section_t = sessions.resolve_section(section_id)
    if section_t is None:
        return
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    if not ctx.has_role(people.WORKING_GROUP):
        if channel:
            tell(client, channel, user, refusal(ctx, people.WORKING_GROUP))
        return
    if channel:
        start_session_in_channel(client, ctx, channel, section_t.id, user)
        if container.get("is_ephemeral"):
            respond(delete_original=True)
        return
    client.views_open(trigger_id=body["trigger_id"], view=start_modal(ctx, section_t))


def start_modal(ctx: RequestContext, section_t: SectionTemplate) -> dict[str, Any]:
    select: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": "channel",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    last = sessions.last_channel(ctx.db)
    if last:
        select["initial_conversation"] = last
    return {
        "type": "modal",
        "callback_id": START_MODAL,
        "private_metadata": section_t.id,
        "title": {"type": "plain_text", "text": ctx.t("drafting.modal_title")[:24]},
        "submit": {"type": "plain_text", "text": ctx.t("drafting.modal_submit")[:24]},
        "close": {"type": "plain_text", "text": ctx.t("drafting.modal_close")[:24]},
        "blocks": [
            section(ctx.t("drafting.modal_intro", title=esc(section_t.title.get(ctx.lang)))),
            {
                "type": "input",
                "block_id": "channel",
                "label": {"type": "plain_text", "text": ctx.t("drafting.modal_channel")},
                "element": select,
            },
        ],
    }


def on_start_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ctx = request_context(context)
    values = (view.get("state") or {}).get("values") or {}
    channel = ((values.get("channel") or {}).get("channel") or {}).get("selected_conversation")
    if not channel:
        ack(response_action="errors", errors={"channel": ctx.t("drafting.modal_no_channel")})
        return
    if not ctx.has_role(people.WORKING_GROUP):
        ack(response_action="errors", errors={"channel": ctx.t("drafting.modal_refused")})
        return
    ack()  # the modal closes; posting may take longer than Slack waits for an answer
    section_t = sessions.resolve_section(view.get("private_metadata", ""))
    user = ctx.user_id or ""
    try:
        if section_t is None:
            raise CannotStart("drafting.cannot_post")
        begin_session(client, ctx, channel, section_t.id, user)
    except CannotStart as reason:
        try:  # the modal is gone: say it in the person's direct messages with the bot
            client.chat_postMessage(channel=user, text=ctx.t(reason.key, **reason.values))
        except SlackApiError as error:
            log.info("could not tell %s: %s", user, error.response.get("error"))


# -- /policy status ---------------------------------------------------------------------------
def run_status(call: CommandCall) -> None:
    ctx = call.ctx
    status = draft_status(ctx.db)
    links = {
        info.section_id: info.permalink
        for info in reversed(sessions.open_sessions(ctx.db))
        if info.permalink
    }
    text = status_text(ctx.lang, status, links)
    reply_in_pages(call, text, as_blocks([text]))


# -- /policy show SECTION [--history] -----------------------------------------------------------
def run_show(call: CommandCall) -> None:
    ctx = call.ctx
    words = call.args.split()
    history = any(w.lower() in HISTORY_FLAGS for w in words)
    named = " ".join(w for w in words if w.lower() not in HISTORY_FLAGS)
    section_t = sessions.resolve_section(named) if named else None
    if section_t is None:
        given = ctx.t("drafting.unknown_section", given=esc(named[:60])) if named else ""
        call.reply((given + "\n" if given else "") + ctx.t("drafting.show_usage"))
        return
    if history:
        with ctx.db.session() as session:
            entries = audit.history(session, section_t.id)
            session.expunge_all()
        chunks = history_chunks(ctx.lang, section_t, entries)
        plain = "\n".join(chunks)
    else:
        listed = section_entries(ctx.db, section_t.id)
        chunks = show_chunks(ctx.lang, section_t, listed)
        plain = show_plain(ctx.lang, section_t, listed)
    title = section_t.title.get(ctx.lang)
    reply_in_pages(call, "\n".join(chunks), as_blocks(chunks), plain, section_t.id, title)


def reply_in_pages(
    call: CommandCall,
    text: str,
    blocks: list[Block],
    plain: str | None = None,
    name: str = "policy",
    title: str = "",
) -> None:
    """Answer privately in as many messages as it takes (none above Slack's 50 blocks), or,
    when that would be too many, as a file in the asker's direct messages."""
    pages = paginate(blocks)
    if len(pages) > MAX_REPLIES and plain is not None and send_file(call, plain, name, title):
        call.reply(call.ctx.t("drafting.show_file"))
        return
    texts = split_text(text, 3000)
    for number, page in enumerate(pages[: MAX_REPLIES + 1]):
        fallback = texts[number] if number < len(texts) else texts[-1]
        call.reply(fallback, page)


def send_file(call: CommandCall, content: str, name: str, title: str) -> bool:
    ctx = call.ctx
    try:
        opened = call.client.conversations_open(users=ctx.user_id)
        channel = (opened.get("channel") or {}).get("id")
        call.client.files_upload_v2(
            channel=channel,
            content=content,
            filename=f"{name}.md",
            title=title or name,
            initial_comment=ctx.t("drafting.show_file_comment", title=esc(title or name)),
        )
    except SlackApiError as error:
        log.info("could not send %s as a file: %s", name, error.response.get("error"))
        return False
    return True
