"""Block Kit as terminal lines. Interactive elements become numbered choices (`[1] Next`),
options of menus are listed under them (`1) Purpose`), and modal inputs become numbered
fields for `\\submit`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from runtime.shell.mrkdwn import readable

Block = dict[str, Any]
INDENT = "  "
# Elements pressed with \pick; the rest of an `actions` block is shown but not pickable.
PICKABLE = {
    "button",
    "overflow",
    "static_select",
    "multi_static_select",
    "external_select",
    "multi_external_select",
    "users_select",
    "multi_users_select",
    "conversations_select",
    "multi_conversations_select",
    "channels_select",
    "multi_channels_select",
    "radio_buttons",
    "checkboxes",
    "datepicker",
    "timepicker",
    "datetimepicker",
}
WITH_OPTIONS = {"overflow", "static_select", "multi_static_select", "radio_buttons", "checkboxes"}


@dataclass(frozen=True)
class Origin:
    """Where a choice sits, which decides the `container` Slack reports when it is pressed."""

    kind: str  # "message", "ephemeral" or "view" (modal or home tab)
    channel: str | None = None
    ts: str | None = None
    thread_ts: str | None = None
    view: dict[str, Any] | None = None


@dataclass
class Choice:
    number: int
    element: Block
    block_id: str
    origin: Origin

    @property
    def kind(self) -> str:
        return str(self.element.get("type"))

    @property
    def label(self) -> str:
        return plain(self.element.get("text") or self.element.get("placeholder")) or self.kind


@dataclass
class Field:
    """One `input` block of a modal, as `\\submit` asks for it."""

    number: int
    block: Block

    @property
    def block_id(self) -> str:
        return str(self.block.get("block_id", ""))

    @property
    def element(self) -> Block:
        return self.block.get("element") or {}

    @property
    def action_id(self) -> str:
        return str(self.element.get("action_id", ""))

    @property
    def label(self) -> str:
        return plain(self.block.get("label"))

    @property
    def optional(self) -> bool:
        return bool(self.block.get("optional"))

    def describe(self) -> str:
        kind = str(self.element.get("type", "input")).replace("_", " ")
        extra = ", optional" if self.optional else ""
        return f"{self.label} ({kind}{extra})"


def plain(text_object: Any) -> str:
    if isinstance(text_object, dict):
        return str(text_object.get("text", ""))
    return str(text_object or "")


def options_of(element: Block) -> list[Block]:
    found = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        found.extend(group.get("options") or [])
    return found


@dataclass
class BlockRenderer:
    """Renders blocks; choices are numbered on from `first_choice` across several calls."""

    name_of: Callable[[str], str | None]
    first_choice: int = 1
    choices: list[Choice] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)

    def text(self, text_object: Any) -> str:
        if isinstance(text_object, dict) and text_object.get("type") == "plain_text":
            return plain(text_object)
        return readable(plain(text_object), self.name_of)

    def render(self, blocks: list[Block], origin: Origin) -> list[str]:
        lines: list[str] = []
        for block in blocks:
            for line in self._block(block, origin):
                lines.extend(line.split("\n"))  # one terminal line per list entry
        return lines

    def _block(self, block: Block, origin: Origin) -> list[str]:
        kind = block.get("type")
        block_id = str(block.get("block_id", ""))
        if kind == "header":
            return [f"# {self.text(block.get('text'))}"]
        if kind == "divider":
            return ["---"]
        if kind == "section":
            lines = self.text(block.get("text")).splitlines() if block.get("text") else []
            for entry in block.get("fields") or []:
                lines += hanging("· ", self.text(entry))
            accessory = block.get("accessory")
            if accessory:
                lines += self._elements([accessory], block_id, origin)
            return lines
        if kind == "context":
            parts = [self._context_part(e) for e in block.get("elements") or []]
            return hanging("› ", "  ".join(p for p in parts if p))
        if kind == "actions":
            return self._elements(block.get("elements") or [], block_id, origin)
        if kind == "image":
            return [f"[image: {block.get('alt_text') or plain(block.get('title')) or 'picture'}]"]
        if kind == "input":
            return self._input(block)
        if kind == "rich_text":
            return rich_text_lines(block, self.name_of)
        if kind == "markdown":
            return str(block.get("text", "")).splitlines()
        return [f"[{kind} block]"]

    def _context_part(self, element: Block) -> str:
        if element.get("type") == "image":
            return f"[{element.get('alt_text') or 'image'}]"
        return self.text(element)

    def _elements(self, elements: list[Block], block_id: str, origin: Origin) -> list[str]:
        """Buttons side by side on one line; menus on their own line with options below."""
        lines: list[str] = []
        buttons: list[str] = []
        for element in elements:
            kind = element.get("type")
            if kind == "button":
                number = self._choose(element, block_id, origin)
                style = f" ({element['style']})" if element.get("style") == "danger" else ""
                link = f" <{element['url']}>" if element.get("url") else ""
                buttons.append(f"[{number}] {self.text(element.get('text'))}{style}{link}")
                continue
            if buttons:  # keep the order Slack shows: what came before this element first
                lines.append("  ".join(buttons))
                buttons = []
            if kind == "image":
                lines.append(f"[image: {element.get('alt_text') or 'picture'}]")
            elif kind not in PICKABLE:
                lines.append(f"[{kind}]")
            else:
                number = self._choose(element, block_id, origin)
                lines.append(f"[{number}] {self._menu_title(element)}")
                lines += [
                    f"{INDENT}{INDENT}{i}) {self.text(o.get('text'))}"
                    for i, o in enumerate(options_of(element), start=1)
                ]
        if buttons:
            lines.append("  ".join(buttons))
        return lines

    def _choose(self, element: Block, block_id: str, origin: Origin) -> int:
        number = self.first_choice + len(self.choices)
        self.choices.append(Choice(number, element, block_id, origin))
        return number

    def _menu_title(self, element: Block) -> str:
        kind = str(element.get("type"))
        title = self.text(element.get("placeholder")) if element.get("placeholder") else ""
        how = {
            "overflow": "more…",
            "radio_buttons": "choose one",
            "checkboxes": "tick any: \\pick N 1,3",
            "datepicker": "a date: \\pick N YYYY-MM-DD",
            "timepicker": "a time: \\pick N HH:MM",
        }.get(kind)
        if how is None:
            many = kind.startswith("multi_")
            target = kind.removeprefix("multi_").removesuffix("_select")
            how = {
                "users": "people: \\pick N @a,@b" if many else "a person: \\pick N @name",
                "conversations": "\\pick N #channel",
                "channels": "\\pick N #channel",
            }.get(target, "choose some: \\pick N 1,3" if many else "choose one: \\pick N M")
        return f"{title} ({how})" if title else f"({how})"

    def _input(self, block: Block) -> list[str]:
        entry = Field(len(self.fields) + 1, block)
        self.fields.append(entry)
        element = entry.element
        lines = [f"field {entry.number}: {entry.describe()}"]
        hint = self.text(block.get("hint")) if block.get("hint") else ""
        start = element.get("initial_value") or plain(
            (element.get("initial_option") or {}).get("text")
        )
        if start:
            lines.append(f"{INDENT}now: {start}")
        elif element.get("placeholder"):
            lines.append(f"{INDENT}e.g. {self.text(element['placeholder'])}")
        if hint:
            lines.append(f"{INDENT}{hint}")
        lines += [
            f"{INDENT}{INDENT}{i}) {self.text(o.get('text'))}"
            for i, o in enumerate(options_of(element), start=1)
        ]
        return lines


def hanging(marker: str, text: str) -> list[str]:
    """`marker` before the first line, the rest indented under the text."""
    first, *rest = text.split("\n")
    return [marker + first] + [" " * len(marker) + line for line in rest]


def rich_text_lines(block: Block, name_of: Callable[[str], str | None]) -> list[str]:
    """rich_text flattened: sections as lines, lists with bullets, quotes with `> `."""
    lines: list[str] = []
    for part in block.get("elements") or []:
        kind = part.get("type")
        if kind == "rich_text_list":
            for item in part.get("elements") or []:
                lines.append("• " + _inline(item, name_of))
        elif kind == "rich_text_quote":
            lines += ["> " + line for line in _inline(part, name_of).splitlines()]
        else:
            lines += _inline(part, name_of).splitlines()
    return lines


def _inline(part: Block, name_of: Callable[[str], str | None]) -> str:
    pieces = []
    for element in part.get("elements") or []:
        kind = element.get("type")
        if kind == "text":
            pieces.append(str(element.get("text", "")))
        elif kind == "link":
            pieces.append(str(element.get("text") or element.get("url", "")))
        elif kind == "user":
            pieces.append("@" + (name_of(str(element.get("user_id"))) or "someone"))
        elif kind == "channel":
            pieces.append("#" + (name_of(str(element.get("channel_id"))) or "channel"))
        elif kind == "emoji":
            pieces.append(f":{element.get('name')}:")
    return "".join(pieces)
