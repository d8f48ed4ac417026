"""Listening in session threads: replies, edits and deletes, the navigation words and buttons,
and picks on choice and library questions.

The `message` listener matches only messages whose thread is a drafting session (looked up in
the database), so it never overlaps the asking capability's listeners for DMs and escalation
threads: Bolt runs only the first listener whose matchers match.

Each listener decides, records and says what it has to say in one transaction
(`ctx.retrying`, run again from a fresh read should a concurrent writer get in the way); what
it says goes out once that has committed. Recording a reply writes only the reply: what it
proposes waits for the communications lead, so nothing in it can collide with another
reply's. A reply is recorded at once; its link is filled in when Slack gives it
(`flow.contribution_link`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext

from bot import metrics, people, threads
from bot.drafting import sessions
from bot.drafting.answers import parse_roles
from bot.drafting.contributions import Reply, edit_reply, record_pick, record_reply, withdraw_reply
from bot.drafting.sessions import SessionInfo
from bot.drafting.template import load_template
from bot.storage import Session
from handlers.drafting.flow import CONTRIBUTION_LINK, current_tally, next_message
from handlers.drafting.views import question_message
from handlers.kit.asker import asker_known
from handlers.kit.blocks import Block
from handlers.kit.context import RequestContext, request_context
from handlers.kit.incoming import plain_text, without_leading_mention
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.outside import first_outside
from handlers.kit.payloads import OptionPick, PayloadError, QuestionRef
from handlers.kit.slack import Then

log = logging.getLogger(__name__)
CONFIRM_REACTION = "white_check_mark"
REPLY_SUBTYPES = (None, "thread_broadcast", "file_share")
NOT_MEMBER = "not_member"


@dataclass(frozen=True)
class Outcome:
    """What to say in Slack, written with the transaction that decided it."""

    channel: str = ""
    thread_ts: str | None = None
    tell: Mrkdwn | None = None  # privately, to `to`
    to: str = ""
    react_to: str | None = None  # the ts of a message to confirm with a reaction
    post: tuple[Mrkdwn, list[Block]] | None = None  # in the thread
    link_for: int | None = None  # a contribution recorded without its message's link

    def carry_out(self, ctx: RequestContext) -> None:
        if self.react_to:
            ctx.slack.react(self.channel, self.react_to, CONFIRM_REACTION)
        if self.post is not None:
            text, blocks = self.post
            ctx.slack.post(self.channel, text, blocks, thread_ts=self.thread_ts)
        if self.tell is not None:
            ctx.slack.tell(self.channel, self.to, self.tell, self.thread_ts)
        if self.link_for is not None and self.react_to:
            then = Then(CONTRIBUTION_LINK, {"contribution": self.link_for})
            ctx.slack.permalink(self.channel, self.react_to, then)

    def said(self, ctx: RequestContext) -> Outcome:
        """Carried out (in the open transaction), for `ctx.retrying`'s work to return."""
        self.carry_out(ctx)
        return self


NOTHING = Outcome()


# -- which messages are ours ------------------------------------------------------------------
def thread_message(event: dict[str, Any]) -> tuple[str, str, dict[str, Any]] | None:
    """(channel, thread_ts, the message) for a reply, an edit or a delete in some thread."""
    if event.get("type") != "message" or event.get("channel_type") == "im":
        return None
    subtype = event.get("subtype")
    if subtype == "message_changed":
        message = event.get("message") or {}
    elif subtype == "message_deleted":
        message = event.get("previous_message") or {}
    elif subtype in REPLY_SUBTYPES:
        message = event
    else:
        return None
    thread_ts, ts = message.get("thread_ts"), message.get("ts")
    if not thread_ts or thread_ts == ts or not event.get("channel"):
        return None
    return event["channel"], thread_ts, message


def in_session_thread(body: dict[str, Any], context: BoltContext) -> bool:
    found = thread_message(body.get("event") or {})
    if found is None:
        return False
    channel, thread_ts, _ = found
    return request_context(context).thread_kind(channel, thread_ts) == threads.DRAFTING


# -- replies, edits, deletes ------------------------------------------------------------------
def on_thread_message(event: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    found = thread_message(event)
    if found is None:
        return
    channel, thread_ts, message = found
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        return  # our own questions and summaries, or another bot's
    ts = str(message.get("ts") or "")
    subtype = event.get("subtype")
    if subtype == "message_deleted":
        ctx.retrying(lambda session: withdraw_reply(session, channel, ts))
        return
    text, contacts = plain_text(message.get("text") or "", ctx.lookup.channel_name)
    if subtype == "message_changed":
        ctx.retrying(lambda session: edit_reply(session, channel, ts, text, contacts))
        return
    author = message.get("user")
    if not author:
        return
    asker = ctx.for_user(author)
    typed = plain_text(without_leading_mention(message.get("text") or ""))[0]

    def work(session: Session) -> Outcome:
        info = sessions.find_session(session, channel, thread_ts)
        if info is None:
            return NOTHING
        asker_known(asker)  # their language: stored, else asked of Slack before this work
        if not asker.has_role(people.WORKING_GROUP):
            note = asker.t("drafting.not_member")  # said before `tell_once` writes
            if sessions.tell_once(session, info.id, author, NOT_MEMBER):
                return Outcome(channel, thread_ts, note, author)
            return NOTHING
        word = sessions.navigation_word(typed)
        if word is not None:
            return move(session, asker, info, word, info.question_index)
        if not info.is_open or info.question is None:
            note = asker.t("drafting.finished_reply", section=info.section_id)
            return Outcome(channel, thread_ts, note, author)
        if not text:
            return NOTHING  # a file or image without words: nothing to put in the draft
        recorded = record_reply(session, info.id, Reply(channel, ts, author, text, None, contacts))
        if recorded is None:
            return NOTHING
        answered = load_template().question(recorded.question_id)
        if answered.kind == "roles" and not parse_roles(text, contacts):
            # Recorded all the same (nothing is lost), but no role came of it: say how to fix it.
            note = asker.t("drafting.no_roles_found")
            return Outcome(channel, thread_ts, note, author, ts, link_for=recorded.contribution_id)
        return Outcome(channel, thread_ts, react_to=ts, link_for=recorded.contribution_id)

    # `asker_known`'s one errand: two runs at most; each run again on a concurrent write.
    outcome = first_outside(
        ctx, lambda session, _: work(session).said(ctx), None, runs=2, retrying=True
    )
    if outcome.react_to:  # confirmed with a reaction: the reply is in the draft
        metrics.contributions.inc()


# -- next, skip, back, done -------------------------------------------------------------------
def move(
    session: Session, ctx: RequestContext, info: SessionInfo, action: str, expected_index: int
) -> Outcome:
    result = sessions.navigate(session, info.id, action, expected_index)
    current = result.session
    if result.outcome == "stale":
        if current.is_open:
            number, total = current.question_index + 1, current.total
            note = ctx.t("drafting.stale", number=number, total=total)
        else:
            note = ctx.t("drafting.stale_done", section=current.section_id)
        return Outcome(current.channel, info.thread_ts, note, ctx.actor)
    return Outcome(current.channel, current.thread_ts, post=next_message(session, current))


def on_nav_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = request_context(context)
    action = (body.get("actions") or [{}])[0]
    value = QuestionRef.decode(action.get("value"))
    verb = str(action.get("action_id", "")).rsplit("_", 1)[-1]

    def work(session: Session) -> Outcome:
        info = sessions.get_session(session, value.session)
        if info is None:
            return NOTHING
        _check_pressed_in(body, info)
        return move(session, ctx, info, verb, value.index)

    ctx.retrying(lambda session: work(session).said(ctx))


# -- picks on choice and library questions ------------------------------------------------------
def on_pick(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = request_context(context)
    action = (body.get("actions") or [{}])[0]
    session_id, index, picked = _pick_of(action)
    message_ts = (body.get("container") or {}).get("message_ts") or (body.get("message") or {}).get(
        "ts"
    )

    def work(session: Session) -> bool:
        info = sessions.get_session(session, session_id)
        if info is None or not 0 <= index < info.total:
            return False
        _check_pressed_in(body, info)
        picked_here = record_pick(
            session, info.id, index, ctx.actor, picked, info.permalink, ctx.settings.language
        )
        if not message_ts:
            return True
        if picked_here is not None and picked_here.created:  # linked to the question asked
            then = Then(CONTRIBUTION_LINK, {"contribution": picked_here.contribution_id})
            ctx.slack.permalink(info.channel, message_ts, then)
        tally = current_tally(session, info, index)
        text, blocks = question_message(info.language, info.section, info.id, index, tally)
        # The question shows the new tally (a message gone or too old: the pick still counts).
        ctx.slack.update(info.channel, message_ts, text, blocks)
        return True

    if ctx.retrying(work):
        metrics.contributions.inc()


def _check_pressed_in(body: dict[str, Any], info: SessionInfo) -> None:
    """A session's buttons live in its thread: a button naming a session of another channel
    was not made by the bot (or not for this message), and is refused."""
    pressed = (body.get("container") or {}).get("channel_id") or (body.get("channel") or {}).get(
        "id"
    )
    if pressed and pressed != info.channel:
        raise PayloadError(f"session {info.id} is in {info.channel}, not in {pressed}")


def _pick_of(action: dict[str, Any]) -> tuple[int, int, list[str]]:
    """(session, question index, option ids) from a button's value or a select's block id."""
    if "selected_options" in action or "selected_option" in action:
        where = QuestionRef.decode(action.get("block_id"))
        if "selected_options" in action:
            picked = [str(o.get("value", "")) for o in action.get("selected_options") or []]
        else:
            picked = [str((action.get("selected_option") or {}).get("value", ""))]
        return where.session, where.index, [p for p in picked if p]
    pick = OptionPick.decode(action.get("value"))
    return pick.session, pick.index, [pick.option]
