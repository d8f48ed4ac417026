"""Slack markup in what people send, read as plain text for the core.

`<@U123|anna>` → `@U123`, `<!subteam^S123|@crisis>` → `@crisis` (and `{"@crisis": "S123"}`
so the core can store the user group as a role's contact), `<#C123|webcare>` → `#webcare`,
links → their label and address, `&lt;` → `<`. The core never sees Slack's markup; what it
gives back is escaped again on the way out (`mrkdwn.shown`).

Before any of that, `clean_request` (a middleware the kit installs first) passes every string
of a request's body through `bot.cleantext.clean_data`: events, commands, button values and
modal inputs reach the listeners without control characters, NUL or bidi overrides.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest

from bot.cleantext import clean_data, clean_text
from handlers.kit.mrkdwn import unescape

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_USERGROUP = re.compile(r"<!subteam\^(S[A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#(C[A-Z0-9]+|G[A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
_DATE = re.compile(r"<!date\^[^|>]*\|([^>]*)>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_LEADING_MENTION = re.compile(r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>[\s,:]*")
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_ONE_USER = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_BARE_USER = re.compile(r"^@?([UW][A-Z0-9]{2,})$")

# A channel id to its name, for channel links Slack sent without one; None when unknown.
ChannelNames = Callable[[str], str | None]


# In a request's context: its body is known to hold nothing `clean_data` changes (an event
# whose JSON text `bot.cleantext.json_text_is_clean` passed, `runtime.intake`).
CLEAN_ALREADY = "policybot.clean_already"


def clean_request(request: BoltRequest, next: Callable[[], Any]) -> Any:  # noqa: A002
    """Bolt middleware (`kit.middleware`): the request's body cleaned in place, for every
    listener after it."""
    if request.context.get(CLEAN_ALREADY) is not True:
        clean_data(request.body)
    return next()


def plain_text(text: str, channel_name: ChannelNames | None = None) -> tuple[str, dict[str, str]]:
    """Slack's message text as plain text, and what each user-group handle in it stands for."""
    text = clean_text(text)  # also when a caller reads text that did not come as a request
    contacts: dict[str, str] = {}

    def usergroup(found: re.Match[str]) -> str:
        group_id, label = found.group(1), (found.group(2) or "").strip()
        if not label:
            return group_id
        shown = label if label.startswith("@") else "@" + label
        contacts[shown] = group_id
        return shown

    def channel(found: re.Match[str]) -> str:
        name = (found.group(2) or "").strip()
        if not name and channel_name is not None:
            name = channel_name(found.group(1)) or ""
        return "#" + (name or found.group(1))

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
    return _LEADING_MENTION.sub("", text, count=1)


def without_mentions(text: str) -> str:
    """A question that names the bot (or anyone) is the same question without the names."""
    return _MENTION.sub(" ", text)


def user_mentioned(word: str) -> str | None:
    """The user ID in `<@U123>` (what Slack sends when a command mentions someone) or `U123`."""
    word = word.strip()
    found = _ONE_USER.match(word) or _BARE_USER.match(word)
    return found.group(1) if found else None


def channel_mentioned(word: str) -> str | None:
    """The channel id of one word that is Slack's channel markup (`<#C123|general>`)."""
    found = _CHANNEL.fullmatch(word.strip())
    return found.group(1) if found else None


def usergroup_mentioned(word: str) -> str | None:
    """The user group id of one word that is Slack's markup (`<!subteam^S123|@boas>`)."""
    found = _USERGROUP.fullmatch(word.strip())
    return found.group(1) if found else None
