"""What a role's `contact` is (a channel, a person, a user group, an e-mail address) and the
cache of `#channel` and `@handle` names, so the Slack layer can render and reach it without
guessing.

policy-format.md allows `#channel`, `@U0123ABCD`, a user group `S0123ABCD` (or `@handle`), or
an e-mail address. Nothing here builds Slack markup; it only classifies and remembers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.storage import utcnow
from bot.storage.changes import RowCache
from bot.storage.models.asking import ChannelName
from bot.storage.writes import upsert

CHANNEL, USER, USERGROUP, HANDLE, EMAIL, OTHER = (
    "channel",
    "user",
    "usergroup",
    "handle",
    "email",
    "other",
)
NAME_TTL = timedelta(days=7)  # channels and user groups are seldom renamed

_USER = re.compile(r"^@?([UW][A-Z0-9]{2,})$")
_USERGROUP = re.compile(r"^@?(S[A-Z0-9]{2,})$")
_CHANNEL_ID = re.compile(r"^#?([CG][A-Z0-9]{2,})$")
_EMAIL = re.compile(r"^(?:mailto:)?([^@\s]+@[^@\s]+\.[A-Za-z]{2,})$")


@dataclass(frozen=True)
class Contact:
    kind: str
    value: str  # a channel name (no #) or id, a user id, a group id or handle, an address
    raw: str


def parse_contact(raw: str) -> Contact:
    text = (raw or "").strip()
    if found := _USER.match(text):
        return Contact(USER, found.group(1), text)
    if found := _USERGROUP.match(text):
        return Contact(USERGROUP, found.group(1), text)
    if text.startswith("#"):
        name = text[1:].strip()
        if found := _CHANNEL_ID.match(name):
            return Contact(CHANNEL, found.group(1), text)
        return Contact(CHANNEL, name.lower(), text)
    if found := _EMAIL.match(text):
        return Contact(EMAIL, found.group(1), text)
    if text.startswith("@") and len(text) > 1:
        return Contact(HANDLE, text[1:].lower(), text)
    return Contact(OTHER, text, text)


def is_channel_id(value: str) -> bool:
    return bool(_CHANNEL_ID.match(value))


# `#channel` / `@handle` → id as stored, kept in memory until any instance stores a name.
_names: RowCache[str, tuple[str | None, datetime] | None] = RowCache("channel_names")


def cached_id(session: Session, name: str, now: datetime | None = None) -> tuple[bool, str | None]:
    """(known, id) for a `#channel` or `@handle` name; known is False when the cache has nothing
    fresh for it (the id may be None: such a name was looked up and does not exist)."""
    now = now or utcnow()
    key = name.lower()

    def load() -> tuple[str | None, datetime] | None:
        row = session.get(ChannelName, key)
        return None if row is None else (row.channel_id, row.fetched_at)

    stored = _names.get(session, key, load)
    if stored is None or now - stored[1] > NAME_TTL:
        return False, None
    return True, stored[0]


def remember_ids(
    session: Session, found: dict[str, str | None], now: datetime | None = None
) -> None:
    """Store `#channel` / `@handle` name → id (None: no such name) for names just learned."""
    now = now or utcnow()
    for name, slack_id in found.items():  # another instance may store the same names at once
        upsert(
            session, ChannelName, ["name"], name=name.lower(), channel_id=slack_id, fetched_at=now
        )
