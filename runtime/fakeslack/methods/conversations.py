"""conversations.*: opening DMs, channel info, history and threads."""

from __future__ import annotations

import hashlib
from typing import Any

from runtime.fakeslack.methods.base import Backend, SlackError, flag, method, page, required
from runtime.fakeslack.methods.chat import channel_arg
from runtime.fakeslack.workspace import BOT_USER_ID, Channel


@method("conversations.open")
def open_conversation(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    if args.get("channel"):
        return {"channel": channel_arg(fake, args).to_api()}
    users = [u.strip() for u in str(required(args, "users")).split(",") if u.strip()]
    for user in users:
        if user not in fake.ws.users:
            raise SlackError("user_not_found")
    if len(users) == 1:
        channel = fake.ws.im_with(users[0])
    else:  # a group DM: one per set of people, like Slack
        members = sorted({*users, BOT_USER_ID})
        channel_id = "G" + hashlib.sha1(",".join(members).encode()).hexdigest()[:9].upper()
        name = "mpdm-" + "--".join(fake.ws.users[u].name for u in members) + "-1"
        group_dm = Channel(channel_id, name, members=members, is_private=True)
        channel = fake.ws.channels.setdefault(channel_id, group_dm)
        fake.ws.messages.setdefault(channel_id, [])
    if flag(args, "return_im"):
        return {"channel": channel.to_api()}
    return {"channel": {"id": channel.id}}


@method("conversations.info")
def info(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    return {"channel": channel_arg(fake, args).to_api()}


@method("conversations.list")
def list_conversations(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    wanted = str(args.get("types") or "public_channel").split(",")
    found = [
        c.to_api()
        for c in fake.ws.channels.values()
        if ("im" in wanted and c.is_im) or ("public_channel" in wanted and not c.is_im)
    ]
    channels, cursor = page(found, args)
    return {"channels": channels, "response_metadata": {"next_cursor": cursor}}


@method("conversations.members")
def members(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    channel = channel_arg(fake, args)
    everyone = [channel.user, BOT_USER_ID] if channel.is_im else channel.members
    chunk, cursor = page([m for m in everyone if m], args)
    return {"members": chunk, "response_metadata": {"next_cursor": cursor}}


@method("conversations.history")
def history(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    channel = channel_arg(fake, args)
    latest, oldest = str(args.get("latest") or ""), str(args.get("oldest") or "")
    inclusive = flag(args, "inclusive")
    found = []
    for message in reversed(fake.ws.messages.get(channel.id, [])):  # newest first, like Slack
        if message.is_reply:
            continue
        if latest and not (message.ts < latest or (inclusive and message.ts == latest)):
            continue
        if oldest and not (message.ts > oldest or (inclusive and message.ts == oldest)):
            continue
        found.append(fake.ws.message_api(message, flag(args, "include_all_metadata")))
    chunk, cursor = page(found, args)
    return {
        "messages": chunk,
        "has_more": bool(cursor),
        "response_metadata": {"next_cursor": cursor},
    }


@method("conversations.replies")
def replies(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    channel = channel_arg(fake, args)
    message = fake.ws.find_message(channel.id, str(required(args, "ts")))
    if message is None:
        raise SlackError("thread_not_found")
    parent_ts = message.thread_ts or message.ts
    parent = fake.ws.find_message(channel.id, parent_ts) or message
    thread = [parent] + [m for m in fake.ws.replies_to(channel.id, parent_ts) if m.is_reply]
    metadata = flag(args, "include_all_metadata")
    shown = [fake.ws.message_api(m, metadata) for m in thread]
    chunk, cursor = page(shown, args, default_limit=1000)
    return {
        "messages": chunk,
        "has_more": bool(cursor),
        "response_metadata": {"next_cursor": cursor},
    }
