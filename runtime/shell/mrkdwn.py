"""Slack's text, readable in a terminal: mentions by name, links spelled out, entities decoded.

mrkdwn emphasis (`*bold*`, `_italic_`) stays as typed: terminals show it fine and it keeps
transcripts close to what Slack stores.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# <@U123>, <@U123|maria>, <#C123|general>, <!subteam^S1|@team>, <!here>, <https://x|label>
SPECIAL = re.compile(r"<([^<>]+)>")


def readable(text: str, name_of: Callable[[str], str | None]) -> str:
    """`name_of(id)` gives a user's, channel's or user group's name (None if unknown)."""

    def replace(found: re.Match[str]) -> str:
        inner = found.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + (name_of(target[1:]) or label or target[1:])
        if target.startswith("#"):
            return "#" + (label or name_of(target[1:]) or target[1:])
        if target.startswith("!subteam^"):
            return label or "@" + (name_of(target.removeprefix("!subteam^")) or "group")
        if target.startswith("!date^"):
            return label or target
        if target.startswith("!"):
            return "@" + target[1:]
        url = target.removeprefix("mailto:")
        return f"{label} ({url})" if label and label != url else url

    decoded = SPECIAL.sub(replace, text)
    # Entities last: `&lt;` typed by a person must not be read as a mention above.
    return decoded.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
