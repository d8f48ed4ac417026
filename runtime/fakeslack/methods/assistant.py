"""assistant.threads.*: the AI assistant's threads in a direct message with the bot (their
status, suggested prompts and title), checked as Slack checks them: a DM the bot is in, a
status and title that are text, at most four prompts with a title and a message each."""

from __future__ import annotations

from typing import Any

from runtime.fakeslack.methods.base import Backend, SlackError, method, required
from runtime.fakeslack.methods.chat import channel_arg

MAX_PROMPTS = 4


def _thread(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    channel = channel_arg(fake, args, "channel_id")
    if not channel.is_im:
        raise SlackError("channel_not_found")  # assistant threads live in the DM with the app
    thread_ts = str(required(args, "thread_ts"))
    return fake.ws.assistant_threads.setdefault((channel.id, thread_ts), {})


@method("assistant.threads.setStatus")
def set_status(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    status = args.get("status")
    if not isinstance(status, str):
        raise SlackError("invalid_arguments")
    _thread(fake, args)["status"] = status
    return {}


@method("assistant.threads.setTitle")
def set_title(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    title = str(required(args, "title"))
    _thread(fake, args)["title"] = title
    return {}


@method("assistant.threads.setSuggestedPrompts")
def set_suggested_prompts(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    prompts = args.get("prompts")
    if not isinstance(prompts, list) or not 1 <= len(prompts) <= MAX_PROMPTS:
        raise SlackError("invalid_arguments")
    for prompt in prompts:
        if not isinstance(prompt, dict) or not prompt.get("title") or not prompt.get("message"):
            raise SlackError("invalid_arguments")
    thread = _thread(fake, args)
    thread["prompts"] = prompts
    thread["prompts_title"] = args.get("title")
    return {}
