"""Slack markup in and out of drafting: the core sees plain text, Slack sees safe mrkdwn.

In: `<@U123|anna>` → `@U123`, `<!subteam^S123|@crisis>` → `@crisis` (and `{"@crisis": "S123"}`
so the core can store the user group as a role's contact), `<#C123|webcare>` → `#webcare`,
links → their label and address, `&lt;` → `<`.
Out: user text escaped with `esc()` so nothing pings, with `@U123` shown as a name again.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk.errors import SlackApiError

from handlers.slack_text import esc, unescape

log = logging.getLogger(__name__)

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_USERGROUP = re.compile(r"<!subteam\^(S[A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#(C[A-Z0-9]+|G[A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
_DATE = re.compile(r"<!date\^[^|>]*\|([^>]*)>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_USER_REF = re.compile(r"(?<![\w<])@([UW][A-Z0-9]{5,})\b")
_LEADING_BOT = re.compile(r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>[\s,:]*")


def plain_text(text: str, client: Any = None) -> tuple[str, dict[str, str]]:
    """Slack's message text as plain text, and what each user-group handle in it stands for."""
    contacts: dict[str, str] = {}

    def usergroup(found: re.Match[str]) -> str:
        group_id, label = found.group(1), (found.group(2) or "").strip()
        if not label:
            return group_id
        shown = label if label.startswith("@") else "@" + label
        contacts[shown] = group_id
        return shown

    def channel(found: re.Match[str]) -> str:
        name = (found.group(2) or "").strip() or _channel_name(client, found.group(1))
        return "#" + name

    def link(found: re.Match[str]) -> str:
        target, label = found.group(1), (found.group(2) or "").strip()
        if target.startswith("mailto:"):
            return label or target[len("mailto:") :]
        return f"{label} ({target})" if label and label != target else target

    text = _USER.sub(lambda m: "@" + m.group(1), text)
    text = _USERGROUP.sub(usergroup, text)
    text = _CHANNEL.sub(channel, text)
    text = _SPECIAL.sub(lambda m: "@" + m.group(1), text)
    text = _DATE.sub(lambda m: m.group(1), text)
    text = _LINK.sub(link, text)
    return unescape(text).strip(), contacts


def without_leading_mention(text: str) -> str:
    """ "@policybot next" in a thread is still "next"."""
    return _LEADING_BOT.sub("", text, count=1)


def shown(text: str) -> str:
    """Plain text from the core, safe to post: escaped, with user references as mentions
    (a mention in a message shows the name; nothing else a user typed can ping)."""
    return _USER_REF.sub(lambda m: f"<@{m.group(1)}>", esc(text))


def _channel_name(client: Any, channel_id: str) -> str:
    if client is None:
        return channel_id
    try:
        info = client.conversations_info(channel=channel_id)
        return (info.get("channel") or {}).get("name") or channel_id
    except SlackApiError as error:
        log.info("conversations.info %s failed: %s", channel_id, error.response.get("error"))
        return channel_id
