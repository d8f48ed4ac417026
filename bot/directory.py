"""A directory of the names Slack told us for its ids: people, user groups and channels.

Documents must show `Lotte de Vries`, `@webcare`, `#communicatie`, never `U0123ABCD`. The
names are stored with the id and when they were learned, so an export made without Slack (the
command line) still shows them.

Who fills it: the Slack layer, whenever it learns a name (a contact is picked, `users.info`,
`usergroups.list`, `conversations.info`, a rename event), through `remember_name`; it asks
`stale_ids` which names are old enough to look up again. Who reads it: exports, through
`names_for`, which may be given a `NameResolver` (a callable the caller backs with Slack) to
look up what is not known yet; whatever it finds is remembered.

The core knows nothing of Slack: a resolver is just a function from ids to names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.base import utcnow
from bot.storage.models.directory import KnownName
from bot.storage.models.slack_cache import UserProfile
from bot.storage.writes import upsert

USER, USERGROUP, CHANNEL = "user", "usergroup", "channel"
KINDS = (USER, USERGROUP, CHANNEL)
# Names change seldom; a month-old one is worth a fresh look when Slack is at hand.
NAME_MAX_AGE = dt.timedelta(days=30)
_NAME_LENGTH = 255


@dataclass(frozen=True, order=True)
class SlackRef:
    """A Slack id and what kind of thing it names."""

    id: str
    kind: str


class NameResolver(Protocol):
    """Looks names up (the Slack layer backs it with users.info, usergroups.list and
    conversations.info). Returns the names it found by id, bare (`Lotte de Vries`, `webcare`,
    `communicatie`); an id it could not resolve is simply left out. It must not raise for a
    lookup that failed: a document with a neutral placeholder beats no document."""

    def __call__(self, refs: Sequence[SlackRef]) -> Mapping[str, str]: ...


def kind_of(slack_id: str) -> str | None:
    """What a Slack id names, by its first letter (U/W people, S user groups, C/G channels)."""
    first = slack_id[:1]
    if first in ("U", "W"):
        return USER
    if first == "S":
        return USERGROUP
    if first in ("C", "G"):
        return CHANNEL
    return None


def bare_name(name: str) -> str:
    """A name as stored: without the `@` or `#` Slack shows before handles and channels."""
    return " ".join(name.split()).lstrip("@#").strip()[:_NAME_LENGTH]


def shown_name(kind: str, name: str) -> str:
    """How a document writes a known name: people by name, `@handle`, `#channel`."""
    if kind == USERGROUP:
        return "@" + name
    if kind == CHANNEL:
        return "#" + name
    return name


def remember_name(
    session: Session, slack_id: str, kind: str, name: str, at: dt.datetime | None = None
) -> None:
    """Store (or refresh) the name of `slack_id`. A name learned earlier than the stored one
    does not overwrite it, so two instances learning names at once agree on the newest."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of Slack id {kind!r}; expected one of {KINDS}")
    clean = bare_name(name)
    if not slack_id or not clean:
        return
    at = at or utcnow()
    upsert(
        session,
        KnownName,
        ["slack_id"],
        only_if=KnownName.learned_at <= at,
        slack_id=slack_id,
        kind=kind,
        name=clean,
        learned_at=at,
    )


def renamed(
    session: Session, slack_id: str, kind: str, name: str, at: dt.datetime | None = None
) -> bool:
    """Slack says `slack_id` is now called `name` (a rename event): refresh it if we keep a
    name for it (we do not collect every profile change in the workspace). True if kept."""
    clean = bare_name(name)
    if kind not in KINDS or not clean or session.get(KnownName, slack_id) is None:
        return False
    remember_name(session, slack_id, kind, clean, at)
    return True


def stale_ids(
    session: Session,
    now: dt.datetime | None = None,
    max_age: dt.timedelta = NAME_MAX_AGE,
    limit: int = 100,
) -> list[SlackRef]:
    """Ids whose name was learned longer than `max_age` ago, oldest first: look them up again."""
    cutoff = (now or utcnow()) - max_age
    query = (
        select(KnownName.slack_id, KnownName.kind)
        .where(KnownName.learned_at < cutoff)
        .order_by(KnownName.learned_at, KnownName.slack_id)
        .limit(limit)
    )
    return [SlackRef(slack_id, kind) for slack_id, kind in session.execute(query)]


def unknown_refs(session: Session, refs: Iterable[SlackRef]) -> list[SlackRef]:
    """The refs that have no name in the directory (nor, for people, in their profile)."""
    wanted = sorted(set(refs))
    known = stored_names(session, [r.id for r in wanted])
    return [ref for ref in wanted if ref.id not in known]


def stored_names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    """{id: bare name} for the ids the directory knows; for people whom it does not know, the
    display name their Slack profile last gave (the profile cache) stands in."""
    wanted = sorted(set(ids))
    names: dict[str, str] = {}
    for chunk in _chunks(wanted):
        for row in session.scalars(select(KnownName).where(KnownName.slack_id.in_(chunk))):
            names[row.slack_id] = row.name
    people = [i for i in wanted if i not in names and kind_of(i) == USER]
    for chunk in _chunks(people):
        query = select(UserProfile.user_id, UserProfile.display_name).where(
            UserProfile.user_id.in_(chunk)
        )
        for user_id, display in session.execute(query):
            if display and bare_name(display):
                names[user_id] = bare_name(display)
    return names


def known_people(session: Session, ids: Iterable[str]) -> set[str]:
    """The user ids among `ids` whom the bot has met: named in the directory, or with a
    cached Slack profile. An id nobody has met is only characters someone typed."""
    return set(stored_names(session, [i for i in set(ids) if kind_of(i) == USER]))


def names_for(
    session: Session,
    refs: Iterable[SlackRef],
    resolve: NameResolver | None = None,
    now: dt.datetime | None = None,
    max_age: dt.timedelta = NAME_MAX_AGE,
) -> dict[str, str]:
    """{id: bare name} for `refs`: what is stored, and with a resolver also what it finds for
    the unknown and the stale ones (remembered for next time). Ids nobody knows are absent."""
    wanted = sorted(set(refs))
    names = stored_names(session, [r.id for r in wanted])
    if resolve is None or not wanted:
        return names
    now = now or utcnow()
    stale: set[str] = set()
    for chunk in _chunks([r.id for r in wanted]):
        query = select(KnownName.slack_id).where(
            KnownName.slack_id.in_(chunk), KnownName.learned_at < now - max_age
        )
        stale.update(session.scalars(query))
    ask = [r for r in wanted if r.id not in names or r.id in stale]
    if not ask:
        return names
    kinds = {r.id: r.kind for r in ask}
    for slack_id, name in resolve(ask).items():
        if slack_id in kinds and bare_name(name):
            remember_name(session, slack_id, kinds[slack_id], name, now)
            names[slack_id] = bare_name(name)
    return names


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    # Bounded IN lists: SQLite limits the number of bound parameters.
    for start in range(0, len(items), size):
        yield items[start : start + size]
