"""Answering one person privately, in whatever way the request allows.

A slash command or a button on a message carries a response_url: the answer goes there,
ephemeral. Otherwise it is an ephemeral in the channel the request came from, and when
there is none (the Home tab, a modal) or the bot is not in it, a direct message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.kit.context import RequestContext
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.slack import private_route


@dataclass(frozen=True)
class Origin:
    """Where a request came from."""

    user: str
    channel: str | None
    thread_ts: str | None
    response_url: str | None


def origin_of(body: dict[str, Any]) -> Origin:
    event = body.get("event") or {}
    user = (body.get("user") or {}).get("id") or body.get("user_id") or event.get("user") or ""
    container = body.get("container") or {}
    channel = (
        container.get("channel_id")
        or (body.get("channel") or {}).get("id")
        or body.get("channel_id")
        or event.get("channel")
    )
    thread_ts = container.get("thread_ts") or event.get("thread_ts")
    return Origin(str(user), channel, thread_ts, body.get("response_url"))


def answer_privately(ctx: RequestContext, body: dict[str, Any], text: Mrkdwn) -> None:
    """`text` to the person who sent `body`, privately: through the response_url, else (or
    when Slack refuses it) as an ephemeral where they are, else as a direct message."""
    origin = origin_of(body)
    route = private_route(origin.channel, origin.user, text, None, origin.thread_ts)
    if origin.response_url and ctx.slack.respond_to(origin.response_url, text, otherwise=route):
        return
    ctx.slack.tell_privately(origin.channel, origin.user, text, thread_ts=origin.thread_ts)
