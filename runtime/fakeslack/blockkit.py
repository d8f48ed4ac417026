"""Block Kit checks Slack makes before it accepts blocks, so a bad message fails in tests too.

Not the full schema: the limits that bite in practice (text lengths, counts, missing fields,
duplicate ids). Slack also gives every block without a `block_id` a generated one; so does the
fake, because actions arriving later carry it.
"""

from __future__ import annotations

import secrets
from typing import Any

MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
KNOWN_BLOCKS = {
    "actions",
    "context",
    "divider",
    "file",
    "header",
    "image",
    "input",
    "markdown",
    "rich_text",
    "section",
    "video",
    "table",
    "context_actions",
}
TEXT_LIMITS = {"section": 3000, "header": 150}


class InvalidBlocks(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def check_blocks(blocks: Any, limit: int) -> list[dict[str, Any]]:
    """The blocks with `block_id`s filled in, or `InvalidBlocks` naming each problem."""
    if not isinstance(blocks, list):
        raise InvalidBlocks(["blocks must be an array [json-pointer:/blocks]"])
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"no more than {limit} items allowed [json-pointer:/blocks]")
    seen_ids: set[str] = set()
    checked = []
    for index, block in enumerate(blocks):
        where = f"[json-pointer:/blocks/{index}]"
        if not isinstance(block, dict) or block.get("type") not in KNOWN_BLOCKS:
            problems.append(f"unknown or missing block type {where}")
            continue
        problems.extend(_check_block(block, where))
        block = dict(block)
        block_id = block.setdefault("block_id", secrets.token_urlsafe(4))
        if block_id in seen_ids:
            problems.append(f"duplicate block_id {block_id!r} {where}")
        seen_ids.add(block_id)
        checked.append(block)
    if problems:
        raise InvalidBlocks(problems)
    return checked


def _check_block(block: dict[str, Any], where: str) -> list[str]:
    kind = block["type"]
    problems = []
    text = block.get("text")
    if kind in ("section", "header"):
        if kind == "header" and not isinstance(text, dict):
            problems.append(f"header needs text {where}")
        if kind == "section" and not isinstance(text, dict) and not block.get("fields"):
            problems.append(f"section needs text or fields {where}")
        if isinstance(text, dict):
            body = str(text.get("text", ""))
            if not body:
                problems.append(f"must be more than 0 characters {where[:-1]}/text/text]")
            if len(body) > TEXT_LIMITS[kind]:
                problems.append(f"must be less than {TEXT_LIMITS[kind] + 1} characters {where}")
        if len(block.get("fields") or []) > 10:
            problems.append(f"no more than 10 fields allowed {where}")
    elif kind == "actions":
        elements = block.get("elements") or []
        if not elements or len(elements) > 25:
            problems.append(f"actions needs 1 to 25 elements {where}")
        problems.extend(_check_action_ids(elements, where))
    elif kind == "context":
        if not block.get("elements") or len(block["elements"]) > 10:
            problems.append(f"context needs 1 to 10 elements {where}")
    elif kind == "input":
        if not isinstance(block.get("label"), dict) or not isinstance(block.get("element"), dict):
            problems.append(f"input needs a label and an element {where}")
    elif kind == "image" and not (block.get("image_url") or block.get("slack_file")):
        problems.append(f"image needs image_url {where}")
    return problems


def _check_action_ids(elements: list[Any], where: str) -> list[str]:
    problems, seen = [], set()
    for element in elements:
        if not isinstance(element, dict) or "type" not in element:
            problems.append(f"element without a type {where}")
            continue
        action_id = element.get("action_id")
        if action_id is not None and action_id in seen:
            problems.append(f"duplicate action_id {action_id!r} {where}")
        seen.add(action_id)
        label = (element.get("text") or {}).get("text", "") if element["type"] == "button" else ""
        if element["type"] == "button" and not 0 < len(label) <= 75:
            problems.append(f"button text must be 1 to 75 characters {where}")
    return problems


def check_view(view: Any) -> dict[str, Any]:
    """A modal or home view with its blocks checked; `InvalidBlocks` if Slack would refuse it."""
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        raise InvalidBlocks(["view type must be modal or home [json-pointer:/view/type]"])
    problems = []
    if view["type"] == "modal":
        title = (view.get("title") or {}).get("text", "")
        if not 0 < len(title) <= 24:
            problems.append("modal title must be 1 to 24 characters [json-pointer:/view/title]")
        has_inputs = any(b.get("type") == "input" for b in view.get("blocks") or [])
        if has_inputs and not view.get("submit"):
            problems.append("a modal with inputs needs submit [json-pointer:/view/submit]")
    if problems:
        raise InvalidBlocks(problems)
    checked = dict(view)
    checked["blocks"] = check_blocks(view.get("blocks") or [], VIEW_BLOCK_LIMIT)
    return checked
