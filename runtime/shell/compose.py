"""What a person typed, encoded as Slack delivers it to the app.

Slack escapes `&`, `<` and `>` and turns `@maria`, `#general` and `@team` into mention
syntax, so the bot sees in the shell exactly what it would see in Slack.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MENTION = re.compile(r"(?<![\w@&])@([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)")
CHANNEL = re.compile(r"(?<![\w&#])#([a-z0-9_-]+(?:\.[a-z0-9_-]+)*)")
BROADCASTS = ("here", "channel", "everyone")


@dataclass
class Directory:
    """How names become ids; `user` may register a new person (anyone mentioned exists)."""

    user: Callable[[str], str]
    usergroup: Callable[[str], str | None]
    channel: Callable[[str], str | None]


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_slack(text: str, directory: Directory, *, labelled: bool = False) -> str:
    """`labelled`: slash commands with should_escape send `<@U123|maria>`, messages `<@U123>`."""

    def mention(found: re.Match[str]) -> str:
        name = found.group(1)
        if name.lower() in BROADCASTS:
            return f"<!{name.lower()}>"
        group = directory.usergroup(name)
        if group:
            return f"<!subteam^{group}|@{name.lower()}>"
        user_id = directory.user(name)
        return f"<@{user_id}|{name.lower()}>" if labelled else f"<@{user_id}>"

    def channel(found: re.Match[str]) -> str:
        channel_id = directory.channel(found.group(1))
        return f"<#{channel_id}|{found.group(1)}>" if channel_id else found.group(0)

    return CHANNEL.sub(channel, MENTION.sub(mention, escape(text)))
