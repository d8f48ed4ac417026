"""Questions people send: `/policy check|who`, direct messages, mentions, and the "Check
against policy" message shortcut. Everything a user typed is read as plain text for the core
(`incoming.plain_text`) and escaped again on the way out."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot import threads
from bot.asking.intents import CHECK, HELP, SEARCH, WHO, recognise
from bot.asking.language import language_of_question
from bot.storage import Session
from handlers.asking.answers import Ahead, Asked, Reply, answer_question, answering
from handlers.kit.context import RequestContext, request_context
from handlers.kit.incoming import plain_text, without_mentions
from handlers.router import CommandCall

MAX_TEXT = 4000  # characters of one question; a post longer than this is not a post
WAITING_REACTION = "hourglass_flowing_sand"  # on a message whose answer waits for a model


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
    if kind == WHO:  # a question in the asker's words; `check`'s text is the post
        ctx.speak(language_of_question(text))
    if len(text) > MAX_TEXT:
        call.reply(ctx.t("asking.too_long", length=len(text), limit=MAX_TEXT))
        return

    def work(session: Session, ahead: Ahead) -> None:  # the answer goes out with its log
        reply = answer_question(
            ctx,
            session,
            kind,
            text,
            "command",
            Asked(call.channel_id or None),
            post=text,
            while_waiting=lambda: call.reply(ctx.t("asking.working")),
            ahead=ahead,
        )
        call.reply(reply.text, reply.blocks)

    answering(ctx, work)


# ---- direct messages and mentions ----------------------------------------------------------
def from_a_person(event: dict[str, Any], context: BoltContext) -> bool:
    user = event.get("user")
    return bool(user) and not event.get("bot_id") and user != context.bot_user_id


def in_a_thread(event: dict[str, Any]) -> bool:
    thread_ts = event.get("thread_ts")
    return bool(thread_ts) and thread_ts != event.get("ts")


def is_direct_question(event: dict[str, Any], context: BoltContext) -> bool:
    """A direct message to the bot from a person, not a reply in an escalation thread."""
    if event.get("channel_type") != "im" or event.get("subtype") is not None:
        return False
    if not from_a_person(event, context) or not (event.get("text") or "").strip():
        return False
    if not in_a_thread(event):
        return True
    kind = request_context(context).thread_kind(event.get("channel", ""), event["thread_ts"])
    return kind != threads.ESCALATION


def _answer_free_text(
    ctx: RequestContext,
    session: Session,
    event: dict[str, Any],
    source: str,
    asked: Asked,
    ahead: Ahead,
) -> Reply:
    text = plain_text(without_mentions(event.get("text", "")))[0]
    intent = recognise(text)
    ctx.speak(language_of_question(intent.asker_words))
    if intent.kind == HELP:
        return Reply.saying(ctx.t("asking.help"))
    if len(intent.text) > MAX_TEXT:
        return Reply.saying(ctx.t("asking.too_long", length=len(intent.text), limit=MAX_TEXT))
    kind = intent.kind if intent.kind in (CHECK, WHO) else SEARCH

    def waiting() -> None:  # the asker sees their message is being worked on
        ctx.slack.react(event.get("channel", ""), event.get("ts", ""), WAITING_REACTION)

    return answer_question(
        ctx,
        session,
        kind,
        intent.text,
        source,
        asked,
        post=intent.post,
        while_waiting=waiting,
        ahead=ahead,
    )


def answer_direct_message(event: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    channel = event["channel"]
    # In the DM, a question is known by its thread: an escalation of it talks on there.
    asked = Asked(channel, event.get("thread_ts") or event.get("ts"))

    def work(session: Session, ahead: Ahead) -> None:  # the answer goes out with its log
        reply = _answer_free_text(ctx, session, event, "dm", asked, ahead)
        ctx.slack.post(channel, reply.text, reply.blocks, thread_ts=event.get("thread_ts"))

    answering(ctx, work)


def answer_mention(event: dict[str, Any], context: BoltContext) -> None:
    """A mention in a channel: answered privately to whoever asked (the post may be delicate)."""
    ctx = request_context(context)
    channel, user = event.get("channel", ""), event.get("user", "")
    if not from_a_person(event, context):
        return
    thread_ts = event.get("thread_ts")
    if ctx.thread_kind(channel, thread_ts) is not None:
        # A drafting thread is drafting's to read; a reply to an escalation that names the
        # bot is relayed, not a new question.
        return
    asked = Asked(channel, event.get("ts"))

    def work(session: Session, ahead: Ahead) -> None:  # the answer goes out with its log
        reply = _answer_free_text(ctx, session, event, "mention", asked, ahead)
        ctx.slack.tell_privately(channel, user, reply.text, reply.blocks, thread_ts)

    answering(ctx, work)


# ---- the message shortcut ------------------------------------------------------------------
def check_shortcut(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = request_context(context)
    user = (body.get("user") or {}).get("id", "")
    channel = (body.get("channel") or {}).get("id", "")
    message = body.get("message") or {}
    text = plain_text(message.get("text") or "")[0]
    thread_ts = message.get("thread_ts")

    # Said outside any unit of work (with the done mark, at the listener's end): the asker's
    # language may have to be asked of Slack, which no open transaction may wait on.
    unanswerable = None
    if not text:
        unanswerable = Reply.saying(ctx.t("asking.shortcut_empty"))
    elif len(text) > MAX_TEXT:
        unanswerable = Reply.saying(ctx.t("asking.too_long", length=len(text), limit=MAX_TEXT))
    if unanswerable is not None:
        ctx.slack.tell_privately(channel, user, unanswerable.text, unanswerable.blocks, thread_ts)
        return

    def waiting() -> None:  # made between two units of work (`answering`): Slack may be asked
        ctx.slack.tell(channel, user, ctx.t("asking.working"), thread_ts)

    def work(session: Session, ahead: Ahead) -> None:  # the answer goes out with its log
        asked = Asked(channel, message.get("ts") or body.get("message_ts"))
        # Its first words come after `answer_question` knows the asker's profile stored
        # (else `SlackFacts`: Slack asked outside this unit of work).
        reply = answer_question(
            ctx,
            session,
            CHECK,
            text,
            "shortcut",
            asked,
            post=text,
            while_waiting=waiting,
            ahead=ahead,
        )
        ctx.slack.tell_privately(channel, user, reply.text, reply.blocks, thread_ts)

    answering(ctx, work)
