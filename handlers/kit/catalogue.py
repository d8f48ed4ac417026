"""The message catalogue as Slack shows it: every word the bot says, escaped by construction.

A catalogue text is the bot's own mrkdwn; the values filled into it are not. `say()` escapes
every plain `str` value and passes `Mrkdwn` values (mentions, links, text already made safe)
through, so a section title like `2027.<!channel>` cannot ping whatever path it takes.
`plain()` is for plain_text fields (labels, buttons, modal titles), which Slack never reads
as markup.
"""

from __future__ import annotations

from typing import Any

from bot.i18n import t
from handlers.kit.mrkdwn import Mrkdwn, esc


def say(lang: str, key: str, **values: Any) -> Mrkdwn:
    """Message `key` in `lang` as mrkdwn, with every plain `str` value escaped."""
    safe = {
        name: value if isinstance(value, Mrkdwn) or not isinstance(value, str) else esc(value)
        for name, value in values.items()
    }
    return Mrkdwn(t(lang, key, **safe))


def plain(lang: str, key: str, **values: Any) -> str:
    """Message `key` in `lang` for a plain_text field: nothing is escaped, nothing is markup."""
    return t(lang, key, **values)
