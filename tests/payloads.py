"""Reading what the bot sent (messages, blocks, modals) and filling in modals as people do.

Plain functions over Slack's JSON, or over a message as the stand-in stores it; they need no
driver and no running app.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Protocol


class Readable(Protocol):
    """A message as the fake stores it (`Message`, `Ephemeral`) or as a call's arguments."""

    text: str
    blocks: list[dict[str, Any]]


def blocks_text(blocks: list[dict[str, Any]] | None) -> str:
    """Every text in a list of blocks, joined: what a reader sees (buttons and options too)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks or [])
    return "\n".join(found)


def text_of(message: Readable | dict[str, Any]) -> str:
    """A message's text and every text in its blocks: a stored message or ephemeral, or the
    arguments of a call (a response_url answer, a chat.postMessage)."""
    if isinstance(message, dict):
        text, blocks = message.get("text") or "", message.get("blocks")
    else:
        text, blocks = message.text or "", message.blocks
    return text + "\n" + blocks_text(blocks)


def buttons(blocks: list[dict[str, Any]] | None, action_id: str) -> list[dict[str, Any]]:
    """The interactive elements with `action_id`, in actions blocks and section accessories."""
    return [found for _, found in _elements(blocks) if found.get("action_id") == action_id]


def element(message: Readable, action_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(block, element) of the interactive element with `action_id` in a message."""
    for block, found in _elements(message.blocks):
        if found.get("action_id") == action_id:
            return block, found
    raise AssertionError(f"no element {action_id!r} in the message")


def _elements(blocks: list[dict[str, Any]] | None) -> Iterator[tuple[dict, dict]]:
    for block in blocks or []:
        candidates = list(block.get("elements") or [])
        if block.get("accessory"):
            candidates.append(block["accessory"])
        for candidate in candidates:
            if isinstance(candidate, dict):
                yield block, candidate


def input_value(view: dict[str, Any], block_id: str) -> Any:
    """What an input in a modal starts with (`initial_value`, or `initial_option`)."""
    for block in view["blocks"]:
        if block.get("block_id") == block_id:
            found = block["element"]
            return found.get("initial_value", found.get("initial_option"))
    raise AssertionError(f"no input {block_id} in the modal")


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    return json.loads(view.get("private_metadata") or "{}")


# -- what people type into modals (a view_submission's state.values for one block) ------------
def text_value(value: str) -> dict[str, Any]:
    return {"a": {"type": "plain_text_input", "value": value}}


def select_value(value: str | None) -> dict[str, Any]:
    option = {"value": value} if value is not None else None
    return {"a": {"type": "static_select", "selected_option": option}}


def multi_value(values: list[str], kind: str = "multi_static_select") -> dict[str, Any]:
    return {"a": {"type": kind, "selected_options": [{"value": v} for v in values]}}
