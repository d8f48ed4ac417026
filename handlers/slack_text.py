"""Making user text safe to echo in Slack, and fitting long text into Slack's limits."""

from __future__ import annotations

import re

SECTION_LIMIT = 3000  # characters in one section block's text
BLOCKS_PER_MESSAGE = 50
MESSAGE_TEXT_LIMIT = 3900  # plain `text` fallback; Slack truncates at 40k but keep it readable


def esc(text: str) -> str:
    """Escape `&`, `<`, `>` so nothing a user typed can ping (`<!channel>`, `<@U…>`) or link.

    Slack hands us text already escaped (`&lt;` …), so unescape first: escaping twice would
    show `&amp;lt;` to the reader.
    """
    plain = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """What the user actually typed, for the core (which never sees Slack's entities)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def quote(text: str) -> str:
    """Escaped and shown as a block quote."""
    return "\n".join("> " + line for line in esc(text).splitlines() or [""])


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split on paragraph, then line, then word boundaries so every piece fits `limit`."""
    pieces: list[str] = []
    current = ""
    for unit in re.split(r"(\n\n|\n| )", text):
        if len(current) + len(unit) <= limit:
            current += unit
            continue
        if current.strip():
            pieces.append(current.rstrip())
        current = unit.lstrip()
        while len(current) > limit:  # one unbroken run longer than the limit
            pieces.append(current[:limit])
            current = current[limit:]
    if current.strip():
        pieces.append(current.rstrip())
    return pieces or [""]
