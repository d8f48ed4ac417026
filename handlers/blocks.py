"""Small Block Kit builders shared by every capability, so messages look alike everywhere."""

from __future__ import annotations

from typing import Any

from handlers.slack_text import BLOCKS_PER_MESSAGE, split_text

Block = dict[str, Any]


def section(text: str, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}
    if accessory:
        block["accessory"] = accessory
    return block


def sections(text: str) -> list[Block]:
    """Long mrkdwn text as as many section blocks as it needs."""
    return [section(piece) for piece in split_text(text)]


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text[:75], "emoji": True},
        "action_id": action_id,
        "value": value[:2000],
    }
    if style:
        element["style"] = style
    return element


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)[:25]}
    if block_id:
        block["block_id"] = block_id
    return block


def option(text: str, value: str) -> Block:
    return {"text": {"type": "plain_text", "text": text[:75], "emoji": True}, "value": value[:150]}


def static_select(placeholder: str, action_id: str, options: list[Block]) -> Block:
    return {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": {"type": "plain_text", "text": placeholder[:150]},
        "options": options[:100],
    }


def paginate(blocks: list[Block], per_message: int = BLOCKS_PER_MESSAGE) -> list[list[Block]]:
    """Split a long list of blocks over several messages, none above Slack's 50-block limit."""
    return [blocks[i : i + per_message] for i in range(0, len(blocks), per_message)] or [[]]
