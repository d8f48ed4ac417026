"""files.*: the two-step upload slack_sdk's files_upload_v2 performs, and files.info.

1. files.getUploadURLExternal gives an upload URL on this server;
2. the client POSTs the bytes there (`Backend` stores them, see fake.py);
3. files.completeUploadExternal shares the file in a channel with an optional comment.
"""

from __future__ import annotations

from typing import Any

from runtime.fakeslack.activity import message_activity
from runtime.fakeslack.methods.base import Backend, SlackError, method, number, required
from runtime.fakeslack.methods.chat import channel_arg
from runtime.fakeslack.workspace import BOT_ID, BOT_USER_ID, Message, UploadedFile, new_id


@method("files.getUploadURLExternal")
def get_upload_url(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    filename = str(required(args, "filename"))
    length = number(args, "length", 0)
    if length <= 0:
        raise SlackError("invalid_arguments")
    file = UploadedFile(new_id("F"), filename, length)
    fake.ws.files[file.id] = file
    return {"upload_url": f"{fake.base_url}/upload/{file.id}", "file_id": file.id}


@method("files.completeUploadExternal")
def complete_upload(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    wanted = required(args, "files")
    if not isinstance(wanted, list):
        raise SlackError("invalid_arguments")
    channel = channel_arg(fake, args, "channel_id") if args.get("channel_id") else None
    if channel is None and args.get("channels"):
        channel = channel_arg(fake, {"channel": str(args["channels"]).split(",")[0]})
    thread_ts = str(args.get("thread_ts") or "") or None
    comment = str(args.get("initial_comment") or "") or None
    done = []
    for entry in wanted:
        file = fake.ws.files.get(str(entry.get("id")))
        if file is None or file.content is None:
            raise SlackError("file_not_found")
        file.title = str(entry.get("title") or file.filename)
        file.channel, file.initial_comment, file.thread_ts = (
            channel.id if channel else None,
            comment,
            thread_ts,
        )
        file.shared = channel is not None
        done.append(file)
    if channel is not None:  # sharing posts a message from the bot carrying the files
        message = fake.ws.add_message(
            Message(
                channel.id,
                fake.ws.clock.next(),
                BOT_USER_ID,
                comment or "",
                thread_ts=thread_ts,
                bot_id=BOT_ID,
                files=[f.to_api() for f in done],
            )
        )
        fake.happened(message_activity("message", BOT_USER_ID, message))
    return {"files": [f.to_api() for f in done]}


@method("files.info")
def info(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    file = fake.ws.files.get(str(required(args, "file")))
    if file is None or file.content is None:
        raise SlackError("file_not_found")
    return {"file": file.to_api()}


@method("files.upload")
def legacy_upload(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    # Slack retired files.upload; files_upload_v2 is the way. Fail loudly like Slack does.
    raise SlackError("method_deprecated")
