"""What a POST to a `response_url` does, as Slack decides it.

An answer is shown to the asker only (ephemeral), or in the channel with `response_type:
in_channel`, or replaces or deletes the message the action came from (`replace_original`,
`delete_original`), which may itself be an ephemeral.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runtime.fakeslack.activity import Activity, ephemeral_activity, message_activity
from runtime.fakeslack.methods.base import Backend, SlackError
from runtime.fakeslack.methods.chat import checked_blocks
from runtime.fakeslack.workspace import BOT_ID, BOT_USER_ID, Ephemeral, Message


@dataclass(frozen=True)
class ResponseTarget:
    """Where a `response_url` answer lands: the asker, the channel, the message acted on."""

    user: str | None = None
    channel: str | None = None
    message_ts: str | None = None
    thread_ts: str | None = None


class ResponseUrls:
    """The response_urls handed out, by key, and the effect of answering one. The caller
    holds the lock that guards the workspace."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._targets: dict[str, ResponseTarget] = {}

    def add(self, key: str, target: ResponseTarget) -> None:
        self._targets[key] = target

    def apply(self, key: str, body: dict[str, Any]) -> dict[str, Any]:
        """Show `body` where the response_url `key` leads; what happened, for the call log."""
        target = self._targets.get(key, ResponseTarget())
        text = str(body.get("text") or "")
        blocks = checked_blocks(body["blocks"]) if body.get("blocks") is not None else []
        if body.get("delete_original") and target.message_ts:
            return self._delete_original(target)
        if body.get("replace_original") and target.message_ts:
            return self._replace_original(target, text, blocks)
        if not text and not blocks:
            raise SlackError("no_text")
        ws = self._backend.ws
        if body.get("response_type") == "in_channel" and target.channel:
            thread_ts = body.get("thread_ts") or target.thread_ts
            message = ws.add_message(
                Message(
                    target.channel, ws.clock.next(), BOT_USER_ID, text, blocks, thread_ts, BOT_ID
                )
            )
            self._backend.happened(message_activity("message", BOT_USER_ID, message))
            return {"posted": {"channel": message.channel, "ts": message.ts}}
        ephemeral = Ephemeral(
            target.channel or "",
            target.user,
            ws.clock.next(),
            text,
            blocks,
            target.thread_ts,
            source="response_url",
        )
        ws.ephemerals.append(ephemeral)
        self._backend.happened(ephemeral_activity(ephemeral))
        return {"ephemeral": ephemeral.ts}

    def _delete_original(self, target: ResponseTarget) -> dict[str, Any]:
        ws = self._backend.ws
        message = ws.find_message(target.channel or "", target.message_ts or "")
        if message is not None:
            ws.messages[message.channel].remove(message)
            self._backend.happened(message_activity("delete", BOT_USER_ID, message))
        else:
            ws.ephemerals = [e for e in ws.ephemerals if e.ts != target.message_ts]
            self._backend.happened(
                Activity(
                    "delete",
                    BOT_USER_ID,
                    target.channel,
                    target.message_ts,
                    user=target.user,
                    data={"ephemeral": True},
                )
            )
        return {"deleted": target.message_ts}

    def _replace_original(
        self, target: ResponseTarget, text: str, blocks: list[dict[str, Any]]
    ) -> dict[str, Any]:
        ws = self._backend.ws
        message = ws.find_message(target.channel or "", target.message_ts or "")
        if message is not None:
            message.text, message.blocks = text, blocks
            self._backend.happened(message_activity("update", BOT_USER_ID, message))
            return {"replaced": message.ts}
        ephemeral = next((e for e in ws.ephemerals if e.ts == target.message_ts), None)
        if ephemeral is None:  # the original is gone: Slack then posts a new ephemeral
            ephemeral = Ephemeral(
                target.channel or "", target.user, target.message_ts or "", source="response_url"
            )
            ws.ephemerals.append(ephemeral)
        ephemeral.text, ephemeral.blocks = text, blocks
        self._backend.happened(ephemeral_activity(ephemeral))
        return {"replaced": ephemeral.ts}
