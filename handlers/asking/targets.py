"""Where a question for a role goes, and how to say where it went.

A role's contact is a channel, a person (a DM from the bot), a user group (mentioned in the
default role's channel, or a group DM with some of its members) or an e-mail address (passed
to the default role's Slack contact with a note; the bot sends no e-mail). The escalation
remembers how it went (`Target.details`), so its post can be drawn again when it changes.

What only Slack can say (a DM opened, a `@handle`'s id, a user group's members) is asked
outside the escalation's unit of work: `route_for` reads what the database knows in it,
`reach` asks the rest with no transaction open, and the escalation is recorded in the next.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from bot.asking import contacts, escalations
from bot.asking.service import AdoptedPolicy, RoleContact
from bot.storage import Session
from handlers.asking.contacts import channel_id_for, usergroup_ids
from handlers.kit import mrkdwn
from handlers.kit.catalogue import say
from handlers.kit.mrkdwn import Mrkdwn, esc
from handlers.kit.slack import Lookup, Outgoing, SlackApiError, reason

log = logging.getLogger(__name__)

MAX_GROUP_MEMBERS_MESSAGED = 8  # a group DM holds at most 8 people besides the bot
CHANNEL, PERSON, GROUP = "channel", "person", "group"
WHERE_LINES = {
    CHANNEL: "asking.where.channel",
    PERSON: "asking.where.person",
    GROUP: "asking.where.group",
}


@dataclass(frozen=True)
class Target:
    """Where an escalation goes: a channel (by id or `#name`), a person's DM, or a group DM,
    and who is mentioned there (a person or a user group, by id)."""

    channel: str
    kind: str  # CHANNEL | PERSON | GROUP
    person: str = ""  # the person whose DM it is
    group: str = ""  # the user group mentioned, or whose members are in the group DM
    via_email: str = ""  # set when the role itself is only reachable by e-mail

    @property
    def mention(self) -> Mrkdwn:
        if self.person:
            return mrkdwn.user(self.person)
        return mrkdwn.usergroup(self.group) if self.group else mrkdwn.EMPTY

    @property
    def details(self) -> dict[str, str]:
        """What the escalation keeps of it (`escalations.EscalationView.details`)."""
        kept = {"target": self.kind, "person": self.person, "group": self.group}
        return {k: v for k, v in (kept | {"via_email": self.via_email}).items() if v}

    @classmethod
    def of(cls, row: escalations.EscalationView) -> Target:
        """Where an escalation went, as it kept it (or, for one from before it kept that,
        as its channel and contact say)."""
        channel = row.posted_channel or ""
        kept = row.details
        if kept.get("target"):
            return cls(
                channel,
                kept["target"],
                person=kept.get("person", ""),
                group=kept.get("group", ""),
                via_email=kept.get("via_email", ""),
            )
        contact = contacts.parse_contact(row.contact)
        if channel.startswith("D") and contact.kind == contacts.USER:
            return cls(channel, PERSON, person=contact.value)
        if channel.startswith("G") and contact.kind == contacts.USERGROUP:
            return cls(channel, GROUP, group=contact.value)
        return cls(channel, CHANNEL)


@dataclass(frozen=True)
class Route:
    """How a question for a role goes, as far as the database knows: read in the
    escalation's unit of work (`route_for`); what only Slack can add (a DM opened, a
    `@handle`'s id, a group's members) `reach` asks with no transaction open."""

    kind: str  # CHANNEL | PERSON | GROUP
    channel: str = ""  # CHANNEL: its id, or `#name` until the id is known
    person: str = ""  # PERSON: whose DM it is
    group: str = ""  # GROUP: the user group's id, or "" with
    handle: str = ""  # its `@handle` when the cache has no id for it
    fallback: str = ""  # GROUP: the default role's channel, where the group is mentioned
    raw: str = ""  # the contact as written (for the log)
    via_email: str = ""  # set when the role itself is only reachable by e-mail


@dataclass(frozen=True)
class Reached:
    """Where Slack said a `route` leads (None: nowhere), and the `@handle` ids it gave on the
    way, for the next unit of work to keep."""

    target: Target | None
    group_ids: dict[str, str | None]


def route_for(session: Session, policy: AdoptedPolicy, role: RoleContact) -> Route | None:
    """How a question for `role` is posted (None: no way in Slack).

    - `#channel`: that channel.
    - a person: a direct message from the bot (conversations.open).
    - a user group: the default role's channel with the group mentioned, so the whole group
      sees it and one thread holds the answer; without such a channel, a group DM with up to
      eight of its members.
    - an e-mail address: the default role's Slack contact, with a note to pass it on; the bot
      sends no e-mail. None when the default role cannot be reached in Slack either.
    """
    contact = contacts.parse_contact(role.contact)
    if contact.kind == contacts.CHANNEL:
        return Route(CHANNEL, channel=channel_id_for(session, contact.value) or "#" + contact.value)
    if contact.kind == contacts.USER:
        return Route(PERSON, person=contact.value, raw=contact.raw)
    if contact.kind in (contacts.USERGROUP, contacts.HANDLE):
        group, handle = contact.value, ""
        if contact.kind == contacts.HANDLE:
            handle = "@" + contact.value
            known, group_id = contacts.cached_id(session, handle)
            if known and group_id is None:
                return None  # Slack said there is no such group
            group, handle = (group_id or "", "") if known else ("", handle)
        fallback = _default_channel(session, policy, role) or ""
        return Route(GROUP, group=group, handle=handle, fallback=fallback, raw=contact.raw)
    if contact.kind == contacts.EMAIL:
        default = policy.default_role
        if default is None or default.id == role.id:
            return None
        found = route_for(session, policy, default)
        return replace(found, via_email=contact.value) if found is not None else None
    return None


def reach(route: Route, slack: Outgoing, lookup: Lookup) -> Reached:
    """Where `route` leads, asking Slack what it must (call it with no transaction open)."""
    target: Target | None = None
    learned: dict[str, str | None] = {}
    if route.kind == CHANNEL:
        target = Target(route.channel, CHANNEL)
    elif route.kind == PERSON:
        opened = _open(slack, [route.person], route.raw)
        target = Target(opened, PERSON, person=route.person) if opened else None
    elif route.kind == GROUP:
        group = route.group
        if route.handle:
            learned = usergroup_ids(lookup, [route.handle]) or {}
            group = learned.get(route.handle) or ""
        target = _group_target(route, group, slack, lookup) if group else None
    if target is not None and route.via_email:
        target = replace(target, via_email=route.via_email)
    return Reached(target, learned)


def _group_target(route: Route, group: str, slack: Outgoing, lookup: Lookup) -> Target | None:
    if route.fallback:
        return Target(route.fallback, CHANNEL, group=group)
    members = lookup.usergroup_members(group)
    opened = _open(slack, members[:MAX_GROUP_MEMBERS_MESSAGED], route.raw) if members else ""
    return Target(opened, GROUP, group=group) if opened else None


def _open(slack: Outgoing, users: list[str], contact: str) -> str:
    try:
        return slack.open_conversation(users)
    except SlackApiError as error:
        log.info("reaching %s failed: %s", contact, reason(error))
        return ""


def _default_channel(session: Session, policy: AdoptedPolicy, role: RoleContact) -> str | None:
    default = policy.default_role
    if default is None or default.id == role.id:
        return None
    contact = contacts.parse_contact(default.contact)
    if contact.kind != contacts.CHANNEL:
        return None
    return channel_id_for(session, contact.value) or "#" + contact.value


def where(lang: str, target: Target, channel: str | None = None) -> Mrkdwn:
    """Where the question went, for people to read: never a link into someone's DM."""
    if target.kind == PERSON:
        return say(lang, WHERE_LINES[PERSON], person=target.mention)
    if target.kind == GROUP:
        return say(lang, WHERE_LINES[GROUP], group=target.mention)
    channel = channel or target.channel
    shown = mrkdwn.channel(channel) if contacts.is_channel_id(channel) else esc(channel)
    return say(lang, WHERE_LINES[CHANNEL], channel=shown)
