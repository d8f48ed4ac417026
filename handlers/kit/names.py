"""People, user groups and channels by name, not by id, wherever the bot shows or takes them.

- `slack_names(ctx)`: a `bot.directory.NameResolver` backed by the kit's Lookup (`users.info`,
  `usergroups.list`, `conversations.info`), for documents made in Slack;
- `find_contact(lookup, typed)`: `@lotte`, `@webcare`, `#communicatie` as a person types them,
  found by name (`users.list`, `usergroups.list`, `conversations.list`) and returned in the
  policy file's form (`@U…`, `S…`, `#C…`) with the name;
- `read_contact(lookup, read)`: the role modal's contact as Slack says it, after the ack;
- `refresh_stale(ctx, session)`: names not looked at for a month, looked up again;
- `contact_shown(contact, names)`: a contact as the review shows it (a mention, a channel
  link, `@handle`, an address), never a bare id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot import directory
from bot.directory import CHANNEL, USER, USERGROUP, NameResolver, SlackRef
from handlers.kit import mrkdwn
from handlers.kit.context import RequestContext
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.slack import Lookup

NAME_LOOKUPS = 50  # names fetched from Slack per document or refresh at most
TYPED_USERS = 1000  # people searched for a contact typed as `@name` (users.list, five pages)


@dataclass(frozen=True)
class FoundContact:
    contact: str  # as the policy file writes it: @U0123, S0123, #C0123
    kind: str  # user | usergroup | channel
    slack_id: str
    name: str


def slack_names(ctx: RequestContext) -> NameResolver:
    """Names for Slack ids nobody has named yet (or long ago), looked up through the kit's
    Lookup; what it finds the directory remembers (bot.directory.names_for)."""

    def resolve(refs: Sequence[SlackRef]) -> Mapping[str, str]:
        found: dict[str, str] = {}
        handles: dict[str, str] | None = None  # one usergroups.list for all the groups
        for ref in refs[:NAME_LOOKUPS]:
            name: str | None = None
            if ref.kind == USER:
                user = ctx.lookup.user(ref.id)
                name = user.name if user else None
            elif ref.kind == USERGROUP:
                if handles is None:
                    handles = {g.id: g.handle or g.name for g in ctx.lookup.usergroups() or []}
                name = handles.get(ref.id)
            elif ref.kind == CHANNEL:
                name = ctx.lookup.channel_name(ref.id)
            if name:
                found[ref.id] = name
        return found

    return resolve


def find_contact(lookup: Lookup, typed: str, people_limit: int = 5000) -> FoundContact | None:
    """The person, user group or channel a typed `@name` or `#name` stands for; None when
    nothing in the workspace goes by that name (or Slack will not say)."""
    word = typed.strip()
    wanted = word.lstrip("@#").strip().casefold()
    if not wanted:
        return None
    if word.startswith("#"):
        for channel in lookup.channels() or []:
            if channel.name.casefold() == wanted:
                return FoundContact("#" + channel.id, CHANNEL, channel.id, channel.name)
        return None
    for group in lookup.usergroups() or []:
        if wanted in (group.handle.casefold(), group.name.casefold()):
            return FoundContact(group.id, USERGROUP, group.id, group.handle or group.name)
    people = lookup.users(limit=people_limit) or []
    for user in people:  # the handle first: it is unique, display names need not be
        if (user.handle or "").casefold() == wanted:
            return FoundContact("@" + user.id, USER, user.id, user.name or user.handle or "")
    matches = [
        u for u in people if wanted in ((u.name or "").casefold(), (u.real_name or "").casefold())
    ]
    if len(matches) == 1:
        user = matches[0]
        return FoundContact("@" + user.id, USER, user.id, user.name or user.real_name or "")
    return None


def read_contact(lookup: Lookup, read: Mapping[str, Any]) -> dict[str, str]:
    """A role's contact as Slack says it, for the role modal's work after its ack (an outbox
    read, `courier.CONTACT`). `read`: the contact as the modal gave it ("contact", in the
    policy file's form or a typed `@name`/`#name`), its Slack id and kind when it names one,
    and whether it was typed. The answer: the contact to store, with the id, kind and name
    to remember (name empty when Slack will not say it); empty when only Slack shows the
    contact is wrong: nobody goes by a typed `@name`, or a typed person's or group's id is
    unknown (Slack's pickers vouch for what they offer)."""
    contact, typed = str(read.get("contact") or ""), bool(read.get("typed"))
    slack_id, kind = str(read.get("slack_id") or ""), str(read.get("kind") or "")
    if not (slack_id and kind):
        found = find_contact(lookup, contact, people_limit=TYPED_USERS)
        if found is not None:
            slack_id, kind, name = found.slack_id, found.kind, found.name
            return {"contact": found.contact, "slack_id": slack_id, "kind": kind, "name": name}
        if contact.startswith("#"):  # a channel the bot cannot see: the format takes its name
            return {"contact": contact, "slack_id": "", "kind": "", "name": ""}
        return {}
    if kind == USER:
        user = lookup.user(slack_id)
        known, name = user is not None, (user.name if user else None) or ""
    elif kind == USERGROUP:
        groups = lookup.usergroups()
        group = next((g for g in groups or [] if g.id == slack_id), None)
        known, name = (
            groups is None or group is not None,
            group.handle or group.name if group else "",
        )
    else:  # a channel the bot cannot see is still a channel
        known, name = True, lookup.channel_name(slack_id) or ""
    if typed and not known:
        return {}
    return {"contact": contact, "slack_id": slack_id, "kind": kind, "name": name}


def learn_unknown(ctx: RequestContext, contacts: Iterable[str]) -> int:
    """The names of the Slack ids among `contacts` that nobody has named yet, looked up and
    kept (between two short transactions); how many were found."""
    refs = [ref for ref in (slack_ref(c) for c in contacts) if ref is not None]
    if not refs:
        return 0
    with ctx.unit_of_work() as session:
        unknown = directory.unknown_refs(session, refs)
    return _look_up_and_keep(ctx, unknown)


_SLACK_ID = re.compile(r"^[UWSCG][A-Z0-9]{2,}$")


def slack_ref(contact: str) -> SlackRef | None:
    """The Slack id a contact names (`@U0123`, `S0123`, `#C0123`); None for an address or a
    channel written by its name."""
    bare = contact.strip().lstrip("@#")
    kind = directory.kind_of(bare) if _SLACK_ID.match(bare) else None
    return SlackRef(bare, kind) if kind else None


def refresh_stale(ctx: RequestContext, limit: int = 20) -> int:
    """Look up again the names learned longest ago (a month or more); how many were found.
    The lookups run between two short transactions, never inside one."""
    with ctx.unit_of_work() as session:
        stale = directory.stale_ids(session, limit=limit)
    return _look_up_and_keep(ctx, stale)


def _look_up_and_keep(ctx: RequestContext, refs: Sequence[SlackRef]) -> int:
    """Slack's names for `refs` (looked up outside any transaction), kept in the directory."""
    if not refs:
        return 0
    found = slack_names(ctx)(refs)
    kinds = {ref.id: ref.kind for ref in refs}
    with ctx.unit_of_work() as session:
        for slack_id, name in found.items():
            directory.remember_name(session, slack_id, kinds[slack_id], name)
    return len(found)


def contact_shown(contact: str, names: Mapping[str, str]) -> Mrkdwn:
    """A role's contact as the review shows it: people the directory knows as mentions (Slack
    shows their name; an id nobody has met stays text), user groups by their handle (a
    mention would notify the whole group), channels as links, e-mail addresses as mailto."""
    value = contact.strip()
    ref = slack_ref(value)
    bare, kind = (ref.id, ref.kind) if ref else (value.lstrip("@#"), None)
    if kind == USER:
        return mrkdwn.user(bare) if bare in names else mrkdwn.code(value)
    if kind == CHANNEL and value.startswith("#"):
        return mrkdwn.channel(bare)
    if kind == USERGROUP and not value.startswith(("@", "#")):
        return mrkdwn.esc("@" + names[bare]) if bare in names else mrkdwn.code(bare)
    if "@" in value and not value.startswith("@"):
        return mrkdwn.mailto(value)
    return mrkdwn.esc(value)
