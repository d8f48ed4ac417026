"""Scenes for the escalation tests: an employee asks in their DM with the bot and presses
"Ask <role>"; the role and the asker then talk, each in their own thread."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.storage import Database
from bot.storage.models.asking import Escalation
from runtime.fakeslack import FakeSlack, Message
from tests.driver import GENERAL, SlackDriver
from tests.payloads import buttons


@dataclass
class Asked:
    """A question asked in a DM: where, its ts (its thread), the bot's answer and its button."""

    user: str
    dm: str
    ts: str
    answer: Message
    button: dict[str, Any]


def ask_by_dm(running: SlackDriver, user: str, text: str) -> Asked:
    dm = running.fake.im_for(user)
    ts = running.message(user, dm, text)
    answer = running.fake.bot_messages(dm)[-1]
    found = buttons(answer.blocks, "asking_escalate")
    assert found, "the answer offers no 'Ask <role>' button"
    return Asked(user, dm, ts, answer, found[0])


def press_ask(running: SlackDriver, asked: Asked, user: str | None = None) -> None:
    """`user` (the asker by default) presses "Ask <role>" under the answer in the DM."""
    answer = asked.answer
    running.block_action(
        user or asked.user,
        {
            "action_id": "asking_escalate",
            "block_id": "asking_escalate",
            "value": asked.button["value"],
        },
        channel=asked.dm,
        message={"ts": answer.ts, "text": answer.text, "blocks": answer.blocks},
    )


def role_post(running: SlackDriver, channel: str) -> Message:
    """The one escalation post in `channel` (the role's channel or DM)."""
    posts = [m for m in running.fake.bot_messages(channel) if not m.is_reply]
    assert len(posts) == 1, posts
    return posts[0]


def in_thread(running: SlackDriver, channel: str, thread_ts: str) -> list[Message]:
    """What the bot wrote in a thread, after its first message, oldest first."""
    return [m for m in running.fake.bot_messages(channel, thread_ts) if m.ts != thread_ts]


def mark_answered(running: SlackDriver, user: str, post: Message) -> None:
    """`user` presses *Mark answered* on the escalation post, as it stands now."""
    current = running.fake.message(post.channel, post.ts)
    assert current is not None
    running.click(user, current, "asking_mark_answered")


def open_escalation(db: Database, fake: FakeSlack, asker: str, since: dt.datetime) -> str:
    """A question of `asker`'s escalated to Webcare (its channel, #general) at `since`, posted
    there and not answered yet, as the escalate button leaves it: the ts of the post."""
    posted = fake.post_user_message(asker, GENERAL, "The question, as escalated")
    with db.session() as session:
        session.add(
            Escalation(
                created_at=since,
                asker=asker,
                kind="check",
                role_id="webcare",
                role_name="Webcare",
                contact=f"<#{GENERAL}>",
                posted_channel=GENERAL,
                posted_ts=posted,
                status="open",
            )
        )
    return posted
