"""The bot as Slack's AI assistant (bolt's `Assistant`): a thread opened from the assistant
surface is greeted, in the person's language, with suggested prompts ("Mag ik dit posten?",
"Wie gaat hierover?"); every message there is answered in the thread by the same engine,
with the same citations and the same "Ask ROLE" button as a direct message.

Bolt's `Assistant` only routes here. What the bot says goes through the kit (the outbox):
the thread's status ("is checking…") at once, as a courtesy; the answer, the prompts and the
thread's title with the question's log, in one commit. Its messages are the assistant's only
in threads it was opened in (recorded by `bot.asking.assistant`); a reply in an escalation's
thread stays the conversation's, and other direct messages keep their own listener.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot import threads
from bot.asking import assistant
from bot.asking.intents import CHECK, HELP, SEARCH, WHO, recognise
from bot.asking.language import language_of_question
from bot.i18n import t
from bot.storage import Session
from handlers.asking.answers import Ahead, Asked, Reply, answer_question, answering
from handlers.asking.questions import MAX_TEXT, from_a_person
from handlers.kit.blocks import section
from handlers.kit.context import RequestContext, request_context
from handlers.kit.incoming import plain_text

TITLE_LENGTH = 60
# The suggested prompts: what each asks, its title and message in the catalogue, and what the
# bot says when one is picked (the text of the question comes next).
PROMPTS = (
    (CHECK, "asking.assistant.prompt_check", "asking.assistant.ask_post"),
    (WHO, "asking.assistant.prompt_who", "asking.assistant.ask_subject"),
)


def _thread(event: dict[str, Any]) -> tuple[str, str, str, str | None]:
    thread = event.get("assistant_thread") or {}
    context = thread.get("context") or {}
    return (
        str(thread.get("channel_id") or ""),
        str(thread.get("thread_ts") or ""),
        str(thread.get("user_id") or ""),
        context.get("channel_id"),
    )


def thread_started(event: dict[str, Any], context: BoltContext) -> None:
    channel, thread_ts, user, looking_at = _thread(event)
    if not (channel and thread_ts and user):
        return
    ctx = request_context(context).for_user(user)  # their language
    ctx.know_profile()  # asked of Slack before the unit of work, which writes first
    with ctx.unit_of_work() as session:
        if not assistant.started(
            session, channel, thread_ts, user, looking_at, ctx.services.clock.now()
        ):
            return  # Slack told us twice
        greeting = ctx.t("asking.assistant.greeting")
        ctx.slack.post(channel, greeting, [section(greeting)], thread_ts=thread_ts)
        prompts = [(ctx.plain(key), ctx.plain(key)) for _, key, _ in PROMPTS]
        ctx.slack.assistant_prompts(
            channel, thread_ts, ctx.plain("asking.assistant.prompts_title"), prompts
        )


def thread_context_changed(event: dict[str, Any], context: BoltContext) -> None:
    channel, thread_ts, _user, looking_at = _thread(event)
    ctx = request_context(context)
    with ctx.unit_of_work() as session:
        assistant.context_changed(session, channel, thread_ts, looking_at)


def in_an_assistant_thread(event: dict[str, Any], context: BoltContext) -> bool:
    """A person's message in a thread the assistant was opened in (not an escalation's)."""
    channel, thread_ts = str(event.get("channel") or ""), event.get("thread_ts")
    if event.get("subtype") is not None or not thread_ts or not from_a_person(event, context):
        return False
    ctx = request_context(context)
    if ctx.thread_kind(channel, thread_ts) == threads.ESCALATION:
        return False
    with ctx.unit_of_work() as session:
        return assistant.is_assistant_thread(session, channel, thread_ts)


def _prompt_picked(text: str) -> tuple[str, str] | None:
    """The prompt whose message `text` is (in either language): its kind and the follow-up."""
    typed = text.strip().casefold()
    for kind, key, follow_up in PROMPTS:
        if typed in (t("nl", key).casefold(), t("en", key).casefold()):
            return kind, follow_up
    return None


def user_message(event: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    channel, thread_ts = str(event["channel"]), str(event["thread_ts"])
    text = plain_text(event.get("text") or "")[0]

    def work(session: Session, ahead: Ahead) -> None:  # the answer goes with its thread's state
        picked = _prompt_picked(text)
        if picked is not None:
            assistant.expect(session, channel, thread_ts, picked[0])
            say = ctx.t(picked[1])
            ctx.slack.post(channel, say, [section(say)], thread_ts=thread_ts)
            return
        pending = assistant.expected(session, channel, thread_ts)
        if pending is not None:
            assistant.expect(session, channel, thread_ts, None)
        if assistant.take_title(session, channel, thread_ts):
            title = text if len(text) <= TITLE_LENGTH else text[:TITLE_LENGTH].rstrip() + "…"
            ctx.slack.assistant_title(channel, thread_ts, title)
        reply = _answer(ctx, session, text, pending, Asked(channel, thread_ts), ahead)
        ctx.slack.post(channel, reply.text, reply.blocks, thread_ts=thread_ts)

    answering(ctx, work)


def _answer(
    ctx: RequestContext,
    session: Session,
    text: str,
    pending: str | None,
    asked: Asked,
    ahead: Ahead,
) -> Reply:
    if not text.strip():
        return Reply.saying(ctx.t("asking.assistant.empty"))
    if pending is not None:  # the text of the question a prompt asked
        kind, question, post = pending, text, text if pending == CHECK else ""
        asker_words = "" if post else question
    else:
        intent = recognise(text)
        if intent.kind == HELP:
            ctx.speak(language_of_question(intent.asker_words))
            return Reply.saying(ctx.t("asking.help"))
        kind = intent.kind if intent.kind in (CHECK, WHO) else SEARCH
        question, post, asker_words = intent.text, intent.post, intent.asker_words
    ctx.speak(language_of_question(asker_words))
    if len(question) > MAX_TEXT:
        return Reply.saying(ctx.t("asking.too_long", length=len(question), limit=MAX_TEXT))
    channel, thread_ts = str(asked.channel), str(asked.ts)

    def working() -> None:  # a language model is about to be asked: the thread says so
        with ctx.slack.at_once():
            ctx.slack.assistant_status(channel, thread_ts, ctx.plain("asking.assistant.status"))

    return answer_question(
        ctx,
        session,
        kind,
        question,
        "assistant",
        asked,
        post=post,
        while_waiting=working,
        ahead=ahead,
    )
