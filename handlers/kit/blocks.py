"""Block Kit builders every capability shares, so messages and modals look alike everywhere.

Text shown as mrkdwn must be `Mrkdwn` (escaped by construction); labels, placeholders and
button texts are plain text, which Slack shows as it is. Every builder cuts to Slack's limits
(`limits`), so an unusually long title or list never makes Slack refuse a whole message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handlers.kit import limits
from handlers.kit.mrkdwn import Mrkdwn, split

Block = dict[str, Any]
View = dict[str, Any]


def plain(text: str, limit: int = limits.PLAIN_TEXT) -> Block:
    """A plain_text object (never empty: Slack refuses an empty one)."""
    return {"type": "plain_text", "text": text[:limit] or " ", "emoji": True}


def section(text: Mrkdwn, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": _fit(text)}}
    if accessory:
        block["accessory"] = accessory
    return block


def sections(text: Mrkdwn) -> list[Block]:
    """Long mrkdwn text as as many section blocks as it needs."""
    return [section(piece) for piece in split(text)]


def context(text: Mrkdwn) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _fit(text)}]}


def _fit(text: Mrkdwn) -> str:
    return str(text.cut(limits.SECTION_TEXT)) or " "


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, limits.HEADER_TEXT)}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> Block:
    if len(value) > limits.BUTTON_VALUE:
        raise ValueError(f"a button value of {len(value)} characters: Slack takes 2,000")
    element: Block = {
        "type": "button",
        "text": plain(text, limits.BUTTON_TEXT),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def link_button(text: str, action_id: str, url: str) -> Block:
    """A button that opens `url` (Slack still sends the click, which needs an ack)."""
    return {
        "type": "button",
        "text": plain(text, limits.BUTTON_TEXT),
        "action_id": action_id,
        "url": url,
    }


def overflow(action_id: str, choices: list[tuple[str, str]]) -> Block:
    """A "⋯" menu of (label, value) choices (2 to 5); values are payloads, never cut."""
    for _, value in choices:
        if len(value) > limits.OPTION_VALUE:
            raise ValueError(f"an overflow value of {len(value)} characters: Slack takes 150")
    options = [option(text, value) for text, value in choices[: limits.OPTIONS_PER_OVERFLOW]]
    return {"type": "overflow", "action_id": action_id, "options": options}


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)[: limits.ELEMENTS_PER_ACTIONS]}
    if block_id:
        block["block_id"] = block_id[: limits.BLOCK_ID]
    return block


def option(text: str, value: str) -> Block:
    return {"text": plain(text, limits.OPTION_TEXT), "value": value[: limits.OPTION_VALUE]}


def static_select(
    placeholder: str, action_id: str, options: list[Block], *, multiple: bool = False
) -> Block:
    return {
        "type": "multi_static_select" if multiple else "static_select",
        "action_id": action_id,
        "placeholder": plain(placeholder),
        "options": options[: limits.OPTIONS_PER_SELECT],
    }


def paginate(
    blocks: list[Block], per_message: int = limits.BLOCKS_PER_MESSAGE
) -> list[list[Block]]:
    """Split a long list of blocks over several messages, none above Slack's 50-block limit."""
    return [blocks[i : i + per_message] for i in range(0, len(blocks), per_message)] or [[]]


def section_texts(blocks: list[Block]) -> list[Mrkdwn]:
    """The text of each section block (made by `section`, so already safe)."""
    return [Mrkdwn(b["text"]["text"]) for b in blocks if b.get("type") == "section"]


def fallback_text(blocks: list[Block]) -> Mrkdwn:
    """The notification text of a message: its first section's words."""
    return next(iter(section_texts(blocks)), Mrkdwn("policybot"))


# -- modals -----------------------------------------------------------------------------------
def modal(
    callback_id: str,
    title: str,
    blocks: list[Block],
    *,
    metadata: str = "",
    submit: str | None = None,
    close: str | None = None,
) -> View:
    """A modal view; `metadata` (a payload's encoding) comes back with its submission."""
    if len(metadata) > limits.PRIVATE_METADATA:
        raise ValueError(f"private_metadata of {len(metadata)} characters: Slack takes 3,000")
    view: View = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, limits.MODAL_TITLE),
        "blocks": blocks[: limits.BLOCKS_PER_VIEW],
        "private_metadata": metadata,
    }
    if close:
        view["close"] = plain(close, limits.MODAL_TITLE)
    if submit:
        view["submit"] = plain(submit, limits.MODAL_TITLE)
    return view


def input_block(
    block_id: str, label: str, element: Block, *, optional: bool = False, hint: str | None = None
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def text_input(
    block_id: str,
    label: str,
    initial: str | None = None,
    *,
    action_id: str,
    multiline: bool = False,
    optional: bool = False,
    hint: str | None = None,
    max_length: int = limits.INPUT_VALUE,
) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": action_id,
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    return input_block(block_id, label, element, optional=optional, hint=hint)


def select_input(
    block_id: str,
    label: str,
    choices: list[tuple[str, str]],
    initial: str | None,
    placeholder: str,
    *,
    action_id: str,
    optional: bool = False,
    hint: str | None = None,
) -> Block:
    """A single choice among `choices` ((label, value) pairs), `initial` chosen if present."""
    options = [option(text, value) for text, value in choices][: limits.OPTIONS_PER_SELECT]
    element = static_select(placeholder, action_id, options)
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen:
        element["initial_option"] = chosen
    return input_block(block_id, label, element, optional=optional, hint=hint)


def multi_input(
    block_id: str,
    label: str,
    choices: list[tuple[str, str]],
    initial: list[str] | tuple[str, ...],
    placeholder: str,
    *,
    action_id: str,
    checkboxes: bool = False,
) -> Block:
    """Any number of `choices`, as a multi-select or as checkboxes."""
    options = [option(text, value) for text, value in choices][: limits.OPTIONS_PER_SELECT]
    element: Block
    if checkboxes:
        element = {"type": "checkboxes", "action_id": action_id, "options": options}
    else:
        element = static_select(placeholder, action_id, options, multiple=True)
    chosen = [o for o in options if o["value"] in initial]
    if chosen:
        element["initial_options"] = chosen
    return input_block(block_id, label, element, optional=True)


def channel_input(
    block_id: str,
    label: str,
    initial: str | None,
    *,
    action_id: str,
    placeholder: str = "",
    optional: bool = False,
) -> Block:
    """A choice of channel (public or private) the person can see."""
    element: Block = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    initial_value = ("initial_conversation", initial)
    return _picker(block_id, label, element, initial_value, action_id, placeholder, optional)


def user_input(
    block_id: str,
    label: str,
    initial: str | None,
    *,
    action_id: str,
    placeholder: str = "",
    optional: bool = False,
) -> Block:
    """A choice of one person in the workspace (Slack's own people picker)."""
    element: Block = {"type": "users_select"}
    initial_value = ("initial_user", initial)
    return _picker(block_id, label, element, initial_value, action_id, placeholder, optional)


def people_input(
    block_id: str,
    label: str,
    initial: list[str] | tuple[str, ...],
    *,
    action_id: str,
    placeholder: str = "",
    optional: bool = True,
    hint: str | None = None,
) -> Block:
    """A choice of any number of people in the workspace (Slack's own people picker)."""
    element: Block = {"type": "multi_users_select", "action_id": action_id}
    if placeholder:
        element["placeholder"] = plain(placeholder)
    if initial:
        element["initial_users"] = list(initial)[: limits.OPTIONS_PER_SELECT]
    return input_block(block_id, label, element, optional=optional, hint=hint)


def _picker(
    block_id: str,
    label: str,
    element: Block,
    initial: tuple[str, str | None],
    action_id: str,
    placeholder: str,
    optional: bool,
) -> Block:
    """One of Slack's own pickers as an input, with what it starts with."""
    element = element | {"action_id": action_id}
    if placeholder:
        element["placeholder"] = plain(placeholder)
    key, value = initial
    if value:
        element[key] = value
    return input_block(block_id, label, element, optional=optional)


def checkbox_input(
    block_id: str, label: str, choice: str, value: str, *, action_id: str, optional: bool = True
) -> Block:
    """One checkbox to tick (a confirmation)."""
    element = {"type": "checkboxes", "action_id": action_id, "options": [option(choice, value)]}
    return input_block(block_id, label, element, optional=optional)


def date_input(
    block_id: str, label: str, initial: str | None, *, action_id: str, optional: bool = False
) -> Block:
    element = {"type": "datepicker", "action_id": action_id}
    if initial:
        element["initial_date"] = initial
    return input_block(block_id, label, element, optional=optional)


def values_of(view: View) -> dict[str, Any]:
    """A submitted view's values by block id: text for inputs, the value for selects, a list
    for multi-selects and checkboxes, the date, the channel."""
    found: dict[str, Any] = {}
    for block_id, elements in ((view.get("state") or {}).get("values") or {}).items():
        for element in elements.values():
            kind = element.get("type")
            if kind == "plain_text_input":
                found[block_id] = element.get("value") or ""
            elif kind in ("static_select", "external_select"):
                found[block_id] = (element.get("selected_option") or {}).get("value")
            elif kind in ("multi_static_select", "checkboxes"):
                found[block_id] = [o.get("value") for o in element.get("selected_options") or []]
            elif kind == "datepicker":
                found[block_id] = element.get("selected_date")
            elif kind == "conversations_select":
                found[block_id] = element.get("selected_conversation")
            elif kind == "users_select":
                found[block_id] = element.get("selected_user")
            elif kind == "multi_users_select":
                found[block_id] = list(element.get("selected_users") or [])
            elif kind == "channels_select":
                found[block_id] = element.get("selected_channel")
            else:
                found[block_id] = element.get("value")
    return found


def first_input(view: View) -> str:
    """The block id of a view's first input: where an error about the whole form is shown."""
    for block in view.get("blocks") or []:
        if block.get("type") == "input":
            return str(block.get("block_id"))
    return "title"


def input_errors(errors: Mapping[str, str]) -> dict[str, str]:
    """Errors for `response_action: errors`, each cut to what Slack shows under an input."""
    return {block_id: str(text)[: limits.INPUT_ERROR] for block_id, text in errors.items()}
