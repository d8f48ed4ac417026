"""chat.*: posting, ephemerals, updating, deleting, permalinks."""

from __future__ import annotations

from typing import Any

from runtime.fakeslack.activity import ephemeral_activity, message_activity
from runtime.fakeslack.blockkit import MESSAGE_BLOCK_LIMIT, InvalidBlocks, check_blocks
from runtime.fakeslack.methods.base import Backend, SlackError, method, required
from runtime.fakeslack.workspace import (
    BOT_ID,
    BOT_USER_ID,
    TEAM_DOMAIN,
    Channel,
    Ephemeral,
    Message,
)

TEXT_LIMIT = 40_000


def channel_arg(fake: Backend, args: dict[str, Any], name: str = "channel") -> Channel:
    channel = fake.ws.resolve_channel(str(required(args, name)))
    if channel is None:
        raise SlackError("channel_not_found")
    return channel


def checked_blocks(blocks: Any) -> list[dict[str, Any]]:
    try:
        return check_blocks(blocks, MESSAGE_BLOCK_LIMIT)
    except InvalidBlocks as invalid:
        raise SlackError(
            "invalid_blocks",
            errors=invalid.problems,
            response_metadata={"messages": [f"[ERROR] {p}" for p in invalid.problems]},
        ) from None


def message_content(args: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """Text and blocks as Slack would store them; `no_text` when there is nothing to show."""
    text = str(args.get("text") or "")
    blocks = checked_blocks(args["blocks"]) if args.get("blocks") is not None else []
    if not text and not blocks and not args.get("attachments"):
        raise SlackError("no_text")
    if len(text) > TEXT_LIMIT:
        raise SlackError("msg_too_long")
    return text, blocks


def bot_message(fake: Backend, args: dict[str, Any]) -> Message:
    channel, ts = channel_arg(fake, args, "channel"), str(required(args, "ts"))
    message = fake.ws.find_message(channel.id, ts)
    if message is None:
        raise SlackError("message_not_found")
    return message


def _metadata(args: dict[str, Any]) -> dict[str, Any] | None:
    """A message's metadata as Slack checks it: an event type and a payload object."""
    metadata = args.get("metadata")
    if metadata is None:
        return None
    if not (
        isinstance(metadata, dict)
        and isinstance(metadata.get("event_type"), str)
        and isinstance(metadata.get("event_payload"), dict)
    ):
        raise SlackError("invalid_metadata_format")
    return {"event_type": metadata["event_type"], "event_payload": metadata["event_payload"]}


@method("chat.postMessage")
def post_message(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    channel = channel_arg(fake, args)
    text, blocks = message_content(args)
    message = fake.ws.add_message(
        Message(
            channel.id,
            fake.ws.clock.next(),
            BOT_USER_ID,
            text,
            blocks,
            thread_ts=str(args.get("thread_ts") or "") or None,
            bot_id=BOT_ID,
            metadata=_metadata(args),
        )
    )
    fake.happened(message_activity("message", BOT_USER_ID, message))
    return {"channel": channel.id, "ts": message.ts, "message": message.to_api()}


@method("chat.postEphemeral")
def post_ephemeral(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    channel = channel_arg(fake, args)
    user = str(required(args, "user"))
    if user not in fake.ws.users:
        raise SlackError("user_not_found")
    text, blocks = message_content(args)
    thread_ts = str(args.get("thread_ts") or "") or None
    ephemeral = Ephemeral(channel.id, user, fake.ws.clock.next(), text, blocks, thread_ts)
    fake.ws.ephemerals.append(ephemeral)
    fake.happened(ephemeral_activity(ephemeral))
    return {"message_ts": ephemeral.ts}


@method("chat.update")
def update(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    message = bot_message(fake, args)
    if message.user != BOT_USER_ID:
        raise SlackError("cant_update_message")
    if "text" in args:
        message.text = str(args.get("text") or "")
    if "blocks" in args:
        message.blocks = checked_blocks(args["blocks"] or [])
    if not message.text and not message.blocks:
        raise SlackError("no_text")
    message.edited = {"user": BOT_USER_ID, "ts": fake.ws.clock.next()}
    fake.happened(message_activity("update", BOT_USER_ID, message))
    return {
        "channel": message.channel,
        "ts": message.ts,
        "text": message.text,
        "message": message.to_api(),
    }


@method("chat.delete")
def delete(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    message = bot_message(fake, args)
    if message.user != BOT_USER_ID:
        raise SlackError("cant_delete_message")  # a bot token may delete only its own
    fake.ws.messages[message.channel].remove(message)
    fake.happened(message_activity("delete", BOT_USER_ID, message))
    return {"channel": message.channel, "ts": message.ts}


@method("chat.getPermalink")
def get_permalink(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    channel = channel_arg(fake, args)
    message = fake.ws.find_message(channel.id, str(required(args, "message_ts")))
    if message is None:
        raise SlackError("message_not_found")
    return {"channel": channel.id, "permalink": permalink(channel.id, message)}


def permalink(channel_id: str, message: Message) -> str:
    link = f"https://{TEAM_DOMAIN}.slack.com/archives/{channel_id}/p{message.ts.replace('.', '')}"
    if message.is_reply:
        link += f"?thread_ts={message.thread_ts}&cid={channel_id}"
    return link
