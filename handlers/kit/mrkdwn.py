"""Slack mrkdwn that is safe to post, by construction.

Everything the bot posts as mrkdwn is a `Mrkdwn`: text in which `&`, `<` and `>` are escaped,
so nothing a user or a policy author wrote can ping (`<!channel>`), mention or link. Only this
module makes a `Mrkdwn` from a plain `str`: `esc()` escapes it; `user()`, `channel()`,
`usergroup()`, `link()` and `mailto()` build the markup the bot means to make; `fmt()` and
`join()` put pieces together, escaping every plain `str` among them. Block Kit builders take
only `Mrkdwn`, so mypy finds any plain text on its way to Slack unescaped.

Escaping is idempotent (`esc(esc(x)) == esc(x)`): Slack hands us text already escaped, and
text escaped twice must not show `&amp;lt;` to the reader.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from typing import Any

from handlers.kit.limits import SECTION_TEXT


class Mrkdwn(str):
    """Text safe to post as Slack mrkdwn. Make one with the functions of this module only."""

    __slots__ = ()

    def __add__(self, other: str) -> Mrkdwn:
        """Joined with another piece; a plain `str` is escaped on the way."""
        return Mrkdwn(str.__add__(self, _safe(other)))

    def __radd__(self, other: str) -> Mrkdwn:
        return Mrkdwn(str.__add__(_safe(other), self))

    def cut(self, limit: int) -> Mrkdwn:
        """At most `limit` characters, ending in "…" when cut, never inside an entity or a
        piece of markup (`&amp;`, `<@U…>`), so a cut can neither break nor create one."""
        if len(self) <= limit:
            return self
        return Mrkdwn(self[: _safe_end(self, max(limit - 1, 0))] + "…")


def _safe_end(text: str, end: int) -> int:
    """`end`, or earlier when `text[:end]` would end inside an entity or a piece of markup."""
    head = text[:end]
    opened = max(head.rfind("<"), head.rfind("&"))
    if opened > head.rfind(">") and opened > head.rfind(";"):
        return opened
    return end


def _safe(value: str) -> str:
    return value if isinstance(value, Mrkdwn) else esc(value)


def unescape(text: str) -> str:
    """What the user actually typed, for the core (which never sees Slack's entities)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def esc(text: str) -> Mrkdwn:
    """Escape `&`, `<`, `>` so nothing a user typed can ping (`<!channel>`, `<@U…>`) or link."""
    if "&" not in text and "<" not in text and ">" not in text:
        return Mrkdwn(text)  # most texts: nothing to unescape, nothing to escape
    plain = unescape(text)
    return Mrkdwn(plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


EMPTY = Mrkdwn("")


def fmt(template: str, *args: Any, **kwargs: Any) -> Mrkdwn:
    """`template.format(...)` where `template` is the bot's own markup (a literal in the code)
    and every `str` argument that is not `Mrkdwn` is escaped; numbers stay as they are."""
    safe_args = [_value(a) for a in args]
    safe_kwargs = {k: _value(v) for k, v in kwargs.items()}
    return Mrkdwn(template.format(*safe_args, **safe_kwargs))


def _value(value: Any) -> Any:
    return _safe(value) if isinstance(value, str) else value


def join(separator: str, pieces: Iterable[str]) -> Mrkdwn:
    """`separator.join(pieces)`, every plain `str` piece escaped (the separator is markup)."""
    return Mrkdwn(separator.join(_safe(piece) for piece in pieces))


def lines(pieces: Iterable[str]) -> Mrkdwn:
    return join("\n", pieces)


# -- markup the bot means to make -----------------------------------------------------------
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
_CHANNEL_ID = re.compile(r"^[CDG][A-Z0-9]+$")
_GROUP_ID = re.compile(r"^S[A-Z0-9]+$")


def user(user_id: str) -> Mrkdwn:
    """A mention of a person (`<@U123>`); anything that is not a user id is shown as text."""
    return Mrkdwn(f"<@{user_id}>") if _USER_ID.match(user_id) else esc(user_id)


def users(user_ids: Iterable[str]) -> Mrkdwn:
    return join(", ", (user(u) for u in user_ids))


def channel(channel_id: str) -> Mrkdwn:
    """A link to a channel (`<#C123>`); anything that is not a channel id is shown as text."""
    return Mrkdwn(f"<#{channel_id}>") if _CHANNEL_ID.match(channel_id) else esc(channel_id)


def usergroup(group_id: str) -> Mrkdwn:
    """A mention of a user group (`<!subteam^S123>`); it notifies the group's members."""
    return Mrkdwn(f"<!subteam^{group_id}>") if _GROUP_ID.match(group_id) else esc(group_id)


def link(url: str, label: str) -> Mrkdwn:
    """`<url|label>`, both escaped; only http(s) addresses are links, anything else is text."""
    if not url.startswith(("https://", "http://")):
        return esc(label)
    return Mrkdwn(f"<{esc(url).replace('|', '%7C')}|{esc(label).replace('|', '¦')}>")


def mailto(address: str) -> Mrkdwn:
    safe = esc(address).replace("|", "")
    return Mrkdwn(f"<mailto:{safe}|{safe}>")


def moment(when: dt.datetime) -> Mrkdwn:
    """A moment as each reader sees it, in their own time zone and format
    (`<!date^…^{date_short_pretty} {time}|fallback>`); the fallback, for clients that cannot
    show it, is UTC."""
    aware = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    fallback = aware.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return Mrkdwn(f"<!date^{int(aware.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>")


def day(date: dt.date) -> Mrkdwn:
    """A calendar date (an approval's) in each reader's own format (`<!date^…^{date_short}|…>`).
    Noon UTC stands for the day, so readers from UTC-11 to UTC+11 all see the same date."""
    noon = dt.datetime(date.year, date.month, date.day, 12, tzinfo=dt.UTC)
    return Mrkdwn(f"<!date^{int(noon.timestamp())}^{{date_short}}|{date.isoformat()}>")


def code(text: str) -> Mrkdwn:
    """Inline code: `text`, escaped, with its backticks removed (they would end it)."""
    return Mrkdwn(f"`{esc(text.replace('`', ''))}`")


def bold(text: str) -> Mrkdwn:
    return Mrkdwn(f"*{_safe(text)}*")


def quote(text: str) -> Mrkdwn:
    """Escaped and shown as a block quote."""
    return join("\n", (Mrkdwn("> ") + esc(line) for line in text.splitlines() or [""]))


_USER_REF = re.compile(r"(?<![\w<])@([UW][A-Z0-9]{5,})\b")


def user_refs(texts: Iterable[str]) -> set[str]:
    """The user ids written as `@U123` in `texts` (how the core keeps a mention)."""
    return {found for text in texts for found in _USER_REF.findall(text)}


def shown(text: str, limit: int | None = None, people: Collection[str] = ()) -> Mrkdwn:
    """Plain text from the core, safe to post: escaped, and cut to `limit` characters when
    given. An `@U123` reference becomes a mention (which shows the person's name) only for
    the `people` the caller vouches for (`RequestContext.known_people`): the core keeps a
    real mention and the same characters typed as text alike, and typed text must never
    turn into markup. Nothing else a user typed can ping."""
    safe = Mrkdwn(
        _USER_REF.sub(
            lambda m: f"<@{m.group(1)}>" if m.group(1) in people else m.group(0), esc(text)
        )
    )
    return safe.cut(limit) if limit is not None else safe


_MARKUP = re.compile(r"(<[^<>\n]*>)")
_BREAKS = re.compile(r"(\n\n|\n| )")


def _units(text: str) -> list[str]:
    """Words and the breaks between them; a piece of markup is one unit, whatever spaces it
    holds (`<!date^…^{date_short_pretty} {time}|…>`): escaped text has no `<` or `>`."""
    units: list[str] = []
    for index, part in enumerate(_MARKUP.split(text)):
        units.extend([part] if index % 2 else _BREAKS.split(part))
    return units


def split(text: Mrkdwn, limit: int = SECTION_TEXT) -> list[Mrkdwn]:
    """Split on paragraph, then line, then word boundaries so every piece fits `limit`."""
    pieces: list[Mrkdwn] = []
    current = ""
    for unit in _units(text):
        if len(current) + len(unit) <= limit:
            current += unit
            continue
        if current.strip():
            pieces.append(Mrkdwn(current.rstrip()))
        current = unit.lstrip()
        while len(current) > limit:  # one unbroken run longer than the limit
            end = _safe_end(current, limit) or limit
            pieces.append(Mrkdwn(current[:end]))
            current = current[end:]
    if current.strip():
        pieces.append(Mrkdwn(current.rstrip()))
    return pieces or [EMPTY]
