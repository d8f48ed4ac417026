"""Contacts as people type them, found in Slack; and the role modal's contact as Slack says
it, read after the modal's ack (an outbox read, `courier.CONTACT`).

- `find_contact(lookup, typed)`: `@lotte`, `@webcare`, `#communicatie` as a person types them,
  found by name (`users.list`, `usergroups.list`, `conversations.list`) and returned in the
  policy file's form (`@U…`, `S…`, `#C…`) with the name;
- `read_contact(lookup, read)`: Slack's answer about the role modal's contact (a picked id's
  name, a typed name's id), and what it means for the role (`bot.reviewing.contacts`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from bot.directory import CHANNEL, USER, USERGROUP
from bot.reviewing.contacts import AskedContact, SlackSaid, StoredContact, contact_to_store
from handlers.kit.lookup import Lookup

TYPED_USERS = 1000  # people searched for a contact typed as `@name` (users.list, five pages)


@dataclass(frozen=True)
class FoundContact:
    contact: str  # as the policy file writes it: @U0123, S0123, #C0123
    kind: str  # user | usergroup | channel
    slack_id: str
    name: str


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
    and whether it was typed. Slack is asked what it knows; what that means for the role is
    the core's (`bot.reviewing.contacts.contact_to_store`). The answer: the contact to store,
    with the id, kind and name to remember; empty when the role must not be saved."""
    asked = AskedContact(
        contact=str(read.get("contact") or ""),
        slack_id=str(read.get("slack_id") or ""),
        kind=str(read.get("kind") or ""),
        typed=bool(read.get("typed")),
    )
    stored = contact_to_store(asked, _slack_said(lookup, asked))
    return asdict(stored) if stored is not None else {}


def _slack_said(lookup: Lookup, asked: AskedContact) -> SlackSaid:
    """What Slack answers about the contact, as plain data."""
    if not (asked.slack_id and asked.kind):
        found = find_contact(lookup, asked.contact, people_limit=TYPED_USERS)
        if found is None:
            return SlackSaid()
        return SlackSaid(StoredContact(found.contact, found.slack_id, found.kind, found.name))
    if asked.kind == USER:
        user = lookup.user(asked.slack_id)  # None: unknown, or Slack refused for good
        return SlackSaid(known=user is not None, name=(user.name if user else None) or "")
    if asked.kind == USERGROUP:
        groups = lookup.usergroups()
        if groups is None:  # Slack would not say
            return SlackSaid()
        group = next((g for g in groups if g.id == asked.slack_id), None)
        return SlackSaid(known=group is not None, name=group.handle or group.name if group else "")
    return SlackSaid(name=lookup.channel_name(asked.slack_id) or "")  # unseen: still a channel
