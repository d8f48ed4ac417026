"""Contacts as people type them, found in Slack; and the role modal's contact as Slack says
it, read after the modal's ack (an outbox read, `courier.CONTACT`).

- `find_contact(lookup, typed)`: `@lotte`, `@webcare`, `#communicatie` as a person types them,
  found by name (`users.list`, `usergroups.list`, `conversations.list`) and returned in the
  policy file's form (`@U…`, `S…`, `#C…`) with the name;
- `read_contact(lookup, read)`: a picked id's name, or a typed name's id, or nobody.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.directory import CHANNEL, USER, USERGROUP
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
