"""Who is in which of the policy's groups, from Slack user groups (`@boas` or `S0123ABCD`),
cached in the database by `bot.asking.groups`: what answering and acknowledging both need.

Slack is asked for the groups whose cached lists are stale before the unit of work that
uses them (`fetch_members`), never inside it: on SQLite a unit of work that has written
holds the writer turn every other request's ack waits for, and on PostgreSQL a connection.
Inside, `served(fetched)` hands those lists in (a list Slack would not give: the stale one
kept, as before)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.asking import groups
from bot.storage import Session
from handlers.kit.slack import Lookup


def member_lookup(lookup: Lookup) -> groups.MemberLookup:
    """The members of a user group named by id or `@handle` (one `usergroups.list` for every
    handle asked of this lookup); None when Slack will not say."""
    handles: dict[str, str] | None = None

    def members(reference: str) -> list[str] | None:
        nonlocal handles
        if not reference.startswith("@"):
            return lookup.usergroup_members(reference)
        if handles is None:
            listed = lookup.usergroups()
            if listed is None:
                return None
            handles = {g.handle.lower(): g.id for g in listed}
        group_id = handles.get(reference[1:].lower())
        if group_id is None:
            return []  # no such user group: nobody is in it
        return lookup.usergroup_members(group_id)

    return members


# User groups' members asked of Slack before a unit of work, by `groups.cache_key`.
Fetched = Mapping[str, list[str] | None]


def fetch_members(lookup: Lookup, keys: Iterable[str]) -> dict[str, list[str] | None]:
    """Each user group's members (by `groups.cache_key`), asked of Slack now, outside any
    transaction; None for one Slack would not say."""
    members = member_lookup(lookup)
    return {key: members(key) for key in keys}


def served(fetched: Fetched) -> groups.MemberLookup:
    """A member lookup that asks Slack nothing: the lists fetched before the unit of work."""
    return fetched.get


def policy_groups(
    session: Session,
    lookup: Lookup | groups.MemberLookup,
    policy_groups: Iterable[groups.GroupLike],
    user_id: str,
) -> set[str]:
    """`user_id`'s policy groups, always with the implicit `all`."""
    listed = list(policy_groups)
    if not listed or not user_id:
        return {groups.EVERYONE}
    members = member_lookup(lookup) if isinstance(lookup, Lookup) else lookup
    return groups.groups_of(session, listed, user_id, members)
