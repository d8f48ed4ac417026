"""Which of the policy's groups a person belongs to, from Slack user groups cached in the database.

The adopted policy names each group's Slack user group (`@boas` or `S0123ABCD`). Members are
looked up through a function the Slack layer passes in (`usergroups.users.list`) and kept in
`GroupMembership` for a while, so a question costs no Slack call most of the time and every
instance shares the cache. When a lookup fails, a stale list is better than none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session

from bot.storage import utcnow
from bot.storage.changes import RowCache
from bot.storage.models.slack_cache import GroupMembership
from bot.storage.writes import upsert

MEMBERSHIP_TTL = timedelta(minutes=15)
EVERYONE = "all"

# Given a user group reference (`@handle` or an id), its members' user ids; None when unknown
# or when Slack could not be asked.
MemberLookup = Callable[[str], list[str] | None]


class GroupLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def slack(self) -> str: ...


def cache_key(reference: str) -> str:
    """`@Boas`, `boas` and `@boas` are one handle; ids (`S0123ABCD`) stay as they are."""
    reference = reference.strip()
    if reference[:1] == "S" and reference[1:].isalnum() and reference.isupper():
        return reference
    return "@" + reference.lstrip("@").lower()


def members_of(
    session: Session, reference: str, lookup: MemberLookup, now: datetime | None = None
) -> frozenset[str]:
    """The members of one user group: from the cache while fresh, else looked up and stored.
    The cached set itself, not a copy: a question tests one person against each group, and a
    group may have thousands of members."""
    now = now or utcnow()
    key = cache_key(reference)
    cached = stored_members(session, key)
    if cached is not None and now - cached[1] < MEMBERSHIP_TTL:
        return cached[0]
    fresh = lookup(key)
    if fresh is None:
        return cached[0] if cached is not None else frozenset()
    members = frozenset(fresh)
    # Another instance may store it at the same moment; theirs is as good as ours.
    upsert(
        session,
        GroupMembership,
        ["usergroup"],
        usergroup=key,
        members=sorted(members),
        fetched_at=now,
    )
    return members


# The stored members of each user group and when Slack said so, kept in memory until any
# instance stores a list (bot.storage.changes).
_stored: RowCache[str, tuple[frozenset[str], datetime] | None] = RowCache("group_memberships")


def stored_members(session: Session, key: str) -> tuple[frozenset[str], datetime] | None:
    def load() -> tuple[frozenset[str], datetime] | None:
        row = session.get(GroupMembership, key)
        return None if row is None else (frozenset(row.members or []), row.fetched_at)

    return _stored.get(session, key, load)


def stale_references(
    session: Session, groups: Iterable[GroupLike], now: datetime | None = None
) -> list[str]:
    """The user groups (as `cache_key`s) among `groups` whose members `members_of` would ask
    Slack for now: not cached, or not fresh. The Slack side asks for them before it opens
    the unit of work that answers, and hands their lists in (`members_of`'s lookup)."""
    now = now or utcnow()
    stale: list[str] = []
    for group in groups:
        if not group.slack:
            continue
        key = cache_key(group.slack)
        cached = stored_members(session, key)
        if (cached is None or now - cached[1] >= MEMBERSHIP_TTL) and key not in stale:
            stale.append(key)
    return stale


def groups_of(
    session: Session,
    groups: Iterable[GroupLike],
    user_id: str,
    lookup: MemberLookup,
    now: datetime | None = None,
) -> set[str]:
    """The policy group ids `user_id` is in, always including the implicit `all`."""
    found = {EVERYONE}
    for group in groups:
        if group.slack and user_id in members_of(session, group.slack, lookup, now):
            found.add(group.id)
    return found
