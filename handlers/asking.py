"""Answering employees in Slack: `/policy check|who|gaps|escalations`, direct messages,
mentions, the "Check against policy" message shortcut, and escalation to a role.

The core (`bot.asking`) decides; the Slack side is thin and split by job: this module registers
everything and reads what people send; `asking_answers` renders answers, `asking_escalation`
passes questions on and relays replies, `asking_lead` serves the communications lead.
Everything a user typed is escaped with `esc()` before it is shown again.

Message listeners, in registration order (Bolt runs only the first whose matchers match):
1. `relay_escalation_reply`: a reply in the thread of an escalation post (found in the
   database by channel and thread_ts), never a drafting thread.
2. `answer_direct_message`: a direct message (channel_type `im`, no subtype, not a bot), not
   in an escalation thread.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import people
from bot.asking import escalations
from bot.asking.intents import CHECK, HELP, SEARCH, WHO, recognise
from handlers.asking_answers import ESCALATE_ACTION, answer_question
from handlers.asking_escalation import (
    escalate,
    from_a_person,
    in_drafting_thread,
    is_escalation_reply,
    relay_escalation_reply,
)
from handlers.asking_lead import (
    GAP_DRAFT_ACTION,
    run_escalations,
    run_gaps,
    start_drafting_from_gap,
)
from handlers.blocks import Block, section
from handlers.context import RequestContext, request_context
from handlers.drafting_markup import plain_text
from handlers.router import CommandCall, Subcommand, router_for

log = logging.getLogger(__name__)

SHORTCUT = "check_against_policy"
MAX_TEXT = 4000  # characters of one question; a post longer than this is not a post
MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")


def register(app: App) -> None:
    router = router_for(app)
    router.add(Subcommand("check", run_check, order=10, usage="TEXT", aliases=("controleer",)))
    router.add(Subcommand("who", run_who, order=11, usage="QUESTION", aliases=("wie",)))
    router.add(Subcommand("gaps", run_gaps, needs=people.COMMS_LEAD, order=60, aliases=("hiaten",)))
    router.add(
        Subcommand(
            "escalations",
            run_escalations,
            needs=people.COMMS_LEAD,
            order=61,
            aliases=("escalaties",),
        )
    )
    app.event("message", matchers=[is_escalation_reply])(relay_escalation_reply)
    app.event("message", matchers=[is_direct_question])(answer_direct_message)
    app.event("app_mention")(answer_mention)
    app.shortcut(SHORTCUT)(check_shortcut)
    app.action(ESCALATE_ACTION)(escalate)
    app.action(GAP_DRAFT_ACTION)(start_drafting_from_gap)


# ---- slash commands ------------------------------------------------------------------------


def run_check(call: CommandCall) -> None:
    _run_command(call, CHECK, "asking.usage_check")


def run_who(call: CommandCall) -> None:
    _run_command(call, WHO, "asking.usage_who")


def _run_command(call: CommandCall, kind: str, usage_key: str) -> None:
    ctx = call.ctx
    text = plain_text(call.args)[0]
    if not text:
        call.reply(ctx.t(usage_key))
        return
    if len(text) > MAX_TEXT:
        call.reply(ctx.t("asking.too_long", length=len(text), limit=MAX_TEXT))
        return
    origin = {"c": call.channel_id} if call.channel_id else {}
    message, blocks = answer_question(ctx, call.client, kind, text, "command", origin, post=text)
    call.reply(message, blocks)


# ---- direct messages and mentions ----------------------------------------------------------


def is_direct_question(event: dict[str, Any], context: BoltContext) -> bool:
    """A direct message to the bot from a person, not a reply in an escalation thread."""
    if event.get("channel_type") != "im" or event.get("subtype") is not None:
        return False
    if not from_a_person(event, context) or not (event.get("text") or "").strip():
        return False
    thread_ts = event.get("thread_ts")
    if thread_ts and thread_ts != event.get("ts"):
        ctx = request_context(context)
        return not escalations.is_escalation_thread(ctx.db, event.get("channel", ""), thread_ts)
    return True


def _answer_free_text(
    ctx: RequestContext, client: WebClient, text: str, source: str, origin: dict[str, str]
) -> tuple[str, list[Block]]:
    text = plain_text(MENTION.sub(" ", text))[0]
    intent = recognise(text)
    if intent.kind == HELP:
        message = ctx.t("asking.help")
        return message, [section(message)]
    if len(intent.text) > MAX_TEXT:
        message = ctx.t("asking.too_long", length=len(intent.text), limit=MAX_TEXT)
        return message, [section(message)]
    kind = intent.kind if intent.kind in (CHECK, WHO) else SEARCH
    return answer_question(ctx, client, kind, intent.text, source, origin, post=intent.post)


def answer_direct_message(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ctx = request_context(context)
    channel = event["channel"]
    try:
        origin = {"c": channel, "t": event.get("ts", "")}
        message, blocks = _answer_free_text(ctx, client, event.get("text", ""), "dm", origin)
    except Exception:  # never a traceback in Slack
        log.exception("answering a direct message failed")
        message, blocks = ctx.t("asking.failed"), []
    client.chat_postMessage(
        channel=channel, text=message, blocks=blocks or None, thread_ts=event.get("thread_ts")
    )


def answer_mention(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """A mention in a channel: answered privately to whoever asked (the post may be delicate)."""
    ctx = request_context(context)
    channel, user = event.get("channel", ""), event.get("user", "")
    if not user or event.get("bot_id") or user == context.bot_user_id:
        return
    thread_ts = event.get("thread_ts")
    if in_drafting_thread(ctx, channel, thread_ts):
        return  # a drafting thread: the drafting capability reads its messages
    if thread_ts and escalations.is_escalation_thread(ctx.db, channel, thread_ts):
        return  # a reply to an escalation that names the bot: relayed, not a new question
    try:
        origin = {"c": channel, "t": event.get("ts", "")}
        message, blocks = _answer_free_text(ctx, client, event.get("text", ""), "mention", origin)
    except Exception:
        log.exception("answering a mention failed")
        message, blocks = ctx.t("asking.failed"), []
    tell_privately(client, channel, user, message, blocks, thread_ts)


def tell_privately(
    client: WebClient,
    channel: str,
    user: str,
    text: str,
    blocks: list[Block],
    thread_ts: str | None = None,
) -> None:
    """An ephemeral in `channel`; a direct message when that fails (bot not in the channel)."""
    try:
        client.chat_postEphemeral(
            channel=channel, user=user, text=text, blocks=blocks or None, thread_ts=thread_ts
        )
        return
    except SlackApiError as error:
        log.info("ephemeral in %s failed (%s); sending a DM", channel, error.response.get("error"))
    dm = client.conversations_open(users=user)
    client.chat_postMessage(channel=dm["channel"]["id"], text=text, blocks=blocks or None)


# ---- the message shortcut ------------------------------------------------------------------


def check_shortcut(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    ctx = request_context(context)
    user = (body.get("user") or {}).get("id", "")
    channel = (body.get("channel") or {}).get("id", "")
    message = body.get("message") or {}
    text = plain_text(message.get("text") or "")[0]
    try:
        if not text:
            reply, blocks = ctx.t("asking.shortcut_empty"), []
        elif len(text) > MAX_TEXT:
            reply, blocks = ctx.t("asking.too_long", length=len(text), limit=MAX_TEXT), []
        else:
            origin = {"c": channel, "t": message.get("ts") or body.get("message_ts") or ""}
            reply, blocks = answer_question(ctx, client, CHECK, text, "shortcut", origin, post=text)
    except Exception:
        log.exception("the check shortcut failed")
        reply, blocks = ctx.t("asking.failed"), []
    tell_privately(client, channel, user, reply, blocks, message.get("thread_ts"))
