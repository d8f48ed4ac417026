"""What people in the workspace would see change, in order: the shell renders this feed.

The call log says what the bot *asked*; the feed says what *happened* (a message appeared, a
modal opened), already resolved to the stored message or view, so a renderer needs no
knowledge of each Web API method's arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from runtime.fakeslack.workspace import BOT_USER_ID, Ephemeral, Message


@dataclass(frozen=True)
class Activity:
    # message | ephemeral | update | delete | reaction_added | reaction_removed | home |
    # view_open | view_update | view_push | file
    kind: str
    actor: str  # who did it: the bot's user id, or a person's
    channel: str | None = None
    ts: str | None = None
    thread_ts: str | None = None
    user: str | None = None  # whom it is for: ephemerals, home tabs, modals
    data: dict[str, Any] = field(default_factory=dict)  # message / view / {"name": reaction}


def message_activity(kind: str, actor: str, message: Message) -> Activity:
    """A message appeared, changed or went (`kind`: message, update, delete)."""
    return Activity(
        kind, actor, message.channel, message.ts, message.thread_ts, data=message.to_api()
    )


def ephemeral_activity(ephemeral: Ephemeral) -> Activity:
    """An ephemeral message appeared (or was replaced) for its one reader."""
    return Activity(
        "ephemeral",
        BOT_USER_ID,
        ephemeral.channel,
        ephemeral.ts,
        ephemeral.thread_ts,
        user=ephemeral.user,
        data={"text": ephemeral.text, "blocks": ephemeral.blocks, "source": ephemeral.source},
    )
