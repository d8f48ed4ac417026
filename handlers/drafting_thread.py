"""Listening in session threads: replies, edits and deletes, the navigation words and buttons,
and picks on choice and library questions.

The `message` listener matches only messages whose thread is a drafting session (looked up in
the database), so it never overlaps the asking capability's listeners for DMs and escalation
threads: Bolt runs only the first listener whose matchers match.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import people
from bot.drafting import sessions
from bot.drafting.answers import parse_roles
from bot.drafting.contributions import Reply, edit_reply, record_pick, record_reply, withdraw_reply
from bot.drafting.sessions import SessionInfo
from bot.drafting.template import load_template
from handlers.context import RequestContext, request_context
from handlers.drafting_flow import permalink, post_question, refresh_question, tell
from handlers.drafting_markup import plain_text, without_leading_mention
from handlers.drafting_views import (
    LIBRARY_SELECT,
    PICK_BUTTON,
    PICK_SELECT,
    PICKS_SELECT,
    parse_question_block_id,
)

log = logging.getLogger(__name__)
CONFIRM_REACTION = "white_check_mark"
REPLY_SUBTYPES = (None, "thread_broadcast", "file_share")
NOT_MEMBER = "not_member"


def register(app: App) -> None:
    app.event("message", matchers=[in_session_thread])(on_thread_message)
    app.action(re.compile(r"^drafting_nav_(next|skip|back|done)$"))(on_nav_button)
    app.action(re.compile(rf"^{PICK_BUTTON}\d+$"))(on_pick)
    app.action(PICK_SELECT)(on_pick)
    app.action(PICKS_SELECT)(on_pick)
    app.action(LIBRARY_SELECT)(on_pick)


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
    return sessions.find_session(request_context(context).db, channel, thread_ts) is not None


# -- replies, edits, deletes ------------------------------------------------------------------
def on_thread_message(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    found = thread_message(event)
    ctx = request_context(context)
    if found is None:
        return
    channel, thread_ts, message = found
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        return  # our own questions and summaries, or another bot's
    info = sessions.find_session(ctx.db, channel, thread_ts)
    if info is None:
        return
    subtype = event.get("subtype")
    if subtype == "message_deleted":
        withdraw_reply(ctx.db, channel, message.get("ts", ""))
        return
    text, contacts = plain_text(message.get("text") or "", client)
    if subtype == "message_changed":
        edit_reply(ctx.db, channel, message.get("ts", ""), text, contacts)
        return
    author = message.get("user")
    if not author:
        return
    asker = for_user(ctx, client, author)
    if not asker.has_role(people.WORKING_GROUP):
        if sessions.tell_once(ctx.db, info.id, author, NOT_MEMBER):
            tell(client, channel, author, asker.t("drafting.not_member"), thread_ts)
        return
    typed = plain_text(without_leading_mention(message.get("text") or ""))[0]
    word = sessions.navigation_word(typed)
    if word is not None:
        move(client, asker, info, word, info.question_index, thread_ts)
        return
    if not info.is_open or info.question is None:
        note = asker.t("drafting.finished_reply", section=info.section_id)
        tell(client, channel, author, note, thread_ts)
        return
    if not text:
        return  # a file or image without words: nothing to put in the draft
    ts = message["ts"]
    reply = Reply(channel, ts, author, text, permalink(client, channel, ts), contacts)
    recorded = record_reply(ctx.db, info.id, reply)
    if recorded is None:
        return
    react(client, channel, ts)
    answered = load_template().question(recorded.question_id)
    if answered.kind == "roles" and not parse_roles(text, contacts):
        # Recorded all the same (nothing is lost), but no role came of it: say how to fix it.
        tell(client, channel, author, asker.t("drafting.no_roles_found"), thread_ts)


def react(client: WebClient, channel: str, ts: str) -> None:
    try:
        client.reactions_add(channel=channel, timestamp=ts, name=CONFIRM_REACTION)
    except SlackApiError as error:  # already_reacted on a redelivery: nothing to do
        log.info("reaction on %s failed: %s", ts, error.response.get("error"))


def for_user(ctx: RequestContext, client: WebClient, user_id: str) -> RequestContext:
    """The request's context, for this user (their roles and language)."""
    if ctx.user_id == user_id:
        return ctx
    return RequestContext(ctx.services, client, user_id)


# -- next, skip, back, done -------------------------------------------------------------------
def move(
    client: WebClient,
    ctx: RequestContext,
    info: SessionInfo,
    action: str,
    expected_index: int,
    thread_ts: str,
) -> None:
    result = sessions.navigate(ctx.db, info.id, action, expected_index)
    if result.outcome == "stale":
        current = result.session
        if current.is_open:
            note = ctx.t("drafting.stale", number=current.question_index + 1, total=current.total)
        else:
            note = ctx.t("drafting.stale_done", section=current.section_id)
        tell(client, current.channel, ctx.user_id or "", note, thread_ts)
        return
    post_question(client, ctx, result.session)


def on_nav_button(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    ctx = request_context(context)
    action = (body.get("actions") or [{}])[0]
    session_id, index = _ids(action.get("value", ""))
    info = sessions.get_session(ctx.db, session_id) if session_id is not None else None
    if info is None or index is None:
        return
    user = (body.get("user") or {}).get("id", "")
    asker = for_user(ctx, client, user)
    if not asker.has_role(people.WORKING_GROUP):
        tell(client, info.channel, user, asker.t("drafting.not_member_click"), info.thread_ts)
        return
    verb = action["action_id"].rsplit("_", 1)[-1]
    move(client, asker, info, verb, index, info.thread_ts)


# -- picks on choice and library questions ------------------------------------------------------
def on_pick(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    ctx = request_context(context)
    action = (body.get("actions") or [{}])[0]
    located = _locate_pick(action)
    if located is None:
        return
    session_id, index, picked = located
    info = sessions.get_session(ctx.db, session_id)
    if info is None or not 0 <= index < info.total:
        return
    user = (body.get("user") or {}).get("id", "")
    asker = for_user(ctx, client, user)
    if not asker.has_role(people.WORKING_GROUP):
        tell(client, info.channel, user, asker.t("drafting.not_member_click"), info.thread_ts)
        return
    message_ts = (body.get("container") or {}).get("message_ts") or (body.get("message") or {}).get(
        "ts"
    )
    link = permalink(client, info.channel, message_ts) if message_ts else info.permalink
    record_pick(ctx.db, info.id, index, user, picked, link)
    if message_ts:
        refresh_question(client, ctx, info, index, message_ts)


def _locate_pick(action: dict[str, Any]) -> tuple[int, int, list[str]] | None:
    """(session, question index, option ids) from a button's value or a select's block id."""
    action_id = str(action.get("action_id", ""))
    if action_id.startswith(PICK_BUTTON) and action_id[len(PICK_BUTTON) :].isdigit():
        parts = str(action.get("value", "")).split(":", 2)
        if len(parts) == 3:
            session_id, index = _ids(f"{parts[0]}:{parts[1]}")
            if session_id is not None and index is not None:
                return session_id, index, [parts[2]]
        return None
    ids = parse_question_block_id(str(action.get("block_id", "")))
    if ids is None:
        return None
    if "selected_options" in action:
        picked = [o.get("value", "") for o in action.get("selected_options") or []]
    else:
        picked = [(action.get("selected_option") or {}).get("value", "")]
    return ids[0], ids[1], [p for p in picked if p]


def _ids(value: str) -> tuple[int | None, int | None]:
    try:
        session_id, index = value.split(":")[:2]
        return int(session_id), int(index)
    except ValueError:
        return None, None
