"""Reading Slack's mention syntax: `<@U123|name>`, `<!subteam^S123|@handle>`, `<#C123|name>`."""

from __future__ import annotations

import re

USER = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
BARE_USER = re.compile(r"^@?([UW][A-Z0-9]{2,})$")
USERGROUP = re.compile(r"<!subteam\^(S[A-Z0-9]+)(?:\|(@?[^>]+))?>")
CHANNEL = re.compile(r"<#(C[A-Z0-9]+)(?:\|([^>]*))?>")


def parse_user_mention(word: str) -> str | None:
    """The user ID in `<@U123>` (what Slack sends when a command mentions someone) or `U123`."""
    word = word.strip()
    found = USER.match(word) or BARE_USER.match(word)
    return found.group(1) if found else None
