"""reactions.*: emoji on messages."""

from __future__ import annotations

from typing import Any

from runtime.fakeslack.activity import Activity
from runtime.fakeslack.methods.base import Backend, SlackError, method, required
from runtime.fakeslack.methods.chat import channel_arg
from runtime.fakeslack.workspace import BOT_USER_ID, Message


def _target(fake: Backend, args: dict[str, Any]) -> tuple[Message, str]:
    channel = channel_arg(fake, args)
    message = fake.ws.find_message(channel.id, str(required(args, "timestamp")))
    if message is None:
        raise SlackError("message_not_found")
    name = str(required(args, "name")).strip(":")
    if not name or " " in name:
        raise SlackError("invalid_name")
    return message, name


@method("reactions.add")
def add(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    message, name = _target(fake, args)
    names = fake.ws.reactions.setdefault((message.channel, message.ts), {})
    if BOT_USER_ID in names.get(name, []):
        raise SlackError("already_reacted")
    names.setdefault(name, []).append(BOT_USER_ID)
    fake.happened(
        Activity(
            "reaction_added",
            BOT_USER_ID,
            message.channel,
            message.ts,
            message.thread_ts,
            user=message.user,
            data={"name": name},
        )
    )
    return {}


@method("reactions.remove")
def remove(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    message, name = _target(fake, args)
    names = fake.ws.reactions.get((message.channel, message.ts), {})
    if BOT_USER_ID not in names.get(name, []):
        raise SlackError("no_reaction")
    names[name].remove(BOT_USER_ID)
    if not names[name]:
        del names[name]
    fake.happened(
        Activity(
            "reaction_removed",
            BOT_USER_ID,
            message.channel,
            message.ts,
            message.thread_ts,
            user=message.user,
            data={"name": name},
        )
    )
    return {}


@method("reactions.get")
def get(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    channel = channel_arg(fake, args)
    message = fake.ws.find_message(channel.id, str(required(args, "timestamp")))
    if message is None:
        raise SlackError("message_not_found")
    data = message.to_api()
    names = fake.ws.reactions.get((channel.id, message.ts), {})
    data["reactions"] = [{"name": n, "users": u, "count": len(u)} for n, u in names.items()]
    return {"type": "message", "channel": channel.id, "message": data}
