"""What `Outgoing` writes to the outbox: the letters' arguments as JSON, the order key of a
response_url, the route of a private answer, and the completion step a letter may name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from handlers.kit import courier
from handlers.kit.blocks import Block
from handlers.kit.limits import MESSAGE_TEXT
from handlers.kit.mrkdwn import Mrkdwn


@dataclass(frozen=True)
class Then:
    """A completion step to run once Slack has answered a write: its registered name and the
    (JSON) values it needs besides Slack's answer."""

    hook: str
    args: dict[str, Any] = field(default_factory=dict)


def message_text(text: Mrkdwn) -> str:
    return str(text.cut(MESSAGE_TEXT))


def given(**values: Any) -> dict[str, Any]:
    """Arguments without the ones left out (None), as JSON for the outbox."""
    return {name: value for name, value in values.items() if value is not None}


def ephemeral_args(
    channel: str, user: str, text: Mrkdwn, blocks: list[Block] | None, thread_ts: str | None
) -> dict[str, Any]:
    """chat.postEphemeral's arguments: a message only `user` sees in `channel`."""
    return given(
        channel=channel,
        user=user,
        text=message_text(text),
        blocks=blocks or None,
        thread_ts=thread_ts,
    )


def private_route(
    channel: str | None,
    user: str,
    text: Mrkdwn,
    blocks: list[Block] | None = None,
    thread_ts: str | None = None,
    *,
    or_dm: bool = True,
) -> dict[str, Any] | None:
    """An ephemeral in `channel` for `user`, else (`or_dm`) a DM, when the bot is not in the
    channel or there is none: a letter's `or` route, as `kit.courier` reads it."""
    dm = {
        "kind": courier.POST,
        "args": given(users=[user], text=message_text(text), blocks=blocks or None),
    }
    if not channel:
        return dm if or_dm else None
    ephemeral = ephemeral_args(channel, user, text, blocks, thread_ts)
    if or_dm:
        ephemeral["or"] = dm
    return {"kind": courier.EPHEMERAL, "args": ephemeral}


def url_key(url: str) -> str:
    """A response_url's order key: its replies arrive in the order they were written."""
    return "url:" + hashlib.sha256(url.encode()).hexdigest()[:32]
