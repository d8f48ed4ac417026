"""What a person picks or types for an element, in the shape Slack reports it.

Shared by `\\pick` (block_actions: `selected_option` …) and `\\submit` (view.state.values):
Slack uses the same field names in both places.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from runtime.shell.errors import ShellError
from runtime.shell.render_blocks import options_of, plain

Element = dict[str, Any]


def match_option(element: Element, given: str) -> Element:
    """An option by number (1-based, as listed), by its text or by its value."""
    options = options_of(element)
    given = given.strip()
    if given.isdigit() and 1 <= int(given) <= len(options):
        return options[int(given) - 1]
    for option in options:
        if given.lower() in (plain(option.get("text")).lower(), str(option.get("value")).lower()):
            return option
    listed = ", ".join(f"{i}) {plain(o.get('text'))}" for i, o in enumerate(options, 1))
    raise ShellError(f"no option {given!r}; choose from {listed or 'nothing'}")


def _many(given: str) -> list[str]:
    return [part.strip() for part in given.split(",") if part.strip()]


def selection(
    element: Element,
    given: str,
    user_id: Callable[[str], str],
    channel_id: Callable[[str], str | None],
) -> dict[str, Any]:
    """The `selected_*` (or `value`) fields for `element` given what was typed."""
    kind = str(element.get("type"))
    if kind in ("static_select", "external_select", "overflow", "radio_buttons"):
        if kind == "external_select" and not options_of(element):
            return {
                "selected_option": {"text": {"type": "plain_text", "text": given}, "value": given}
            }
        return {"selected_option": match_option(element, given)}
    if kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        return {"selected_options": [match_option(element, g) for g in _many(given)]}
    if kind == "users_select":
        return {"selected_user": user_id(given)}
    if kind == "multi_users_select":
        return {"selected_users": [user_id(g) for g in _many(given)]}
    if kind in ("conversations_select", "channels_select"):
        key = "selected_conversation" if kind.startswith("conv") else "selected_channel"
        return {key: _channel(given, channel_id)}
    if kind in ("multi_conversations_select", "multi_channels_select"):
        key = "selected_conversations" if "conv" in kind else "selected_channels"
        return {key: [_channel(g, channel_id) for g in _many(given)]}
    if kind == "datepicker":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", given.strip()):
            raise ShellError("a date looks like 2025-01-31")
        return {"selected_date": given.strip()}
    if kind == "timepicker":
        if not re.fullmatch(r"\d{1,2}:\d{2}", given.strip()):
            raise ShellError("a time looks like 09:30")
        return {"selected_time": given.strip()}
    if kind == "datetimepicker":
        try:
            moment = datetime.fromisoformat(given.strip())
        except ValueError:
            raise ShellError("a moment looks like 2025-01-31 09:30") from None
        return {"selected_date_time": int(moment.timestamp())}
    if kind == "rich_text_input":
        return {
            "rich_text_value": {
                "type": "rich_text",
                "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": given}]}
                ],
            }
        }
    if kind == "number_input" and given.strip():
        try:
            float(given)
        except ValueError:
            raise ShellError(f"{given!r} is not a number") from None
    return {"value": given}


def empty_selection(element: Element) -> dict[str, Any]:
    """What Slack reports for an input left empty (or its initial value, if it has one)."""
    kind = str(element.get("type"))
    if "initial_option" in element:
        return {"selected_option": element["initial_option"]}
    if "initial_options" in element:
        return {"selected_options": element["initial_options"]}
    if kind.startswith("multi_") or kind == "checkboxes":
        key = {
            "multi_users_select": "selected_users",
            "multi_conversations_select": "selected_conversations",
            "multi_channels_select": "selected_channels",
        }.get(kind, "selected_options")
        return {key: []}
    if kind in ("static_select", "external_select", "radio_buttons"):
        return {"selected_option": None}
    if kind == "users_select":
        return {"selected_user": element.get("initial_user")}
    if kind == "datepicker":
        return {"selected_date": element.get("initial_date")}
    return {"value": element.get("initial_value")}


def _channel(given: str, channel_id: Callable[[str], str | None]) -> str:
    found = channel_id(given.strip().lstrip("#"))
    if found is None:
        raise ShellError(f"no channel {given!r}; \\channel #name creates one")
    return found


def action(element: Element, block_id: str, picked: dict[str, Any]) -> dict[str, Any]:
    """One entry of a block_actions payload's `actions`."""
    entry: dict[str, Any] = {
        "type": element.get("type"),
        "action_id": element.get("action_id", ""),
        "block_id": block_id,
        "action_ts": f"{time.time():.6f}",
    }
    if element.get("type") == "button":
        entry["text"] = element.get("text")
        if "value" in element:
            entry["value"] = element["value"]
        if element.get("style"):
            entry["style"] = element["style"]
        return entry
    if element.get("placeholder"):
        entry["placeholder"] = element["placeholder"]
    entry.update(picked)
    return entry
