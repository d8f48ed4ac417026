"""What Slack's answer about a role's contact means for the role (the role modal's contact,
read after its ack): which contact to store, or none when only Slack's answer shows it is
wrong. Plain data in and out; asking Slack is the handler's (`handlers.kit.contact_lookup`).

Trust: Slack's pickers vouch for what they offer, so a picked id is stored even when Slack
will not say its name; an id typed by hand is refused when Slack says nobody has it; a typed
`@name` nobody goes by is refused, while a typed `#name` nobody can see is kept as typed
(the format takes a channel by its name, and the bot need not be in it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AskedContact:
    """The contact as the modal gave it."""

    contact: str  # the policy file's form (`@U…`, `S…`, `#C…`), or a typed `@name`/`#name`
    slack_id: str  # empty: a typed name, whose id only Slack knows
    kind: str  # user | usergroup | channel (`bot.directory`); empty with no id
    typed: bool  # typed by hand, not picked


@dataclass(frozen=True)
class StoredContact:
    """The contact to store, with the id, kind and name the directory remembers (empty when
    Slack did not say)."""

    contact: str
    slack_id: str = ""
    kind: str = ""
    name: str = ""


@dataclass(frozen=True)
class SlackSaid:
    """Slack's answer, as plain data. For a typed name: what goes by it (`found`, None: nothing
    does). For an id: whether Slack knows it (`known`; None: Slack would not say, a channel
    the bot cannot see) and its name (empty when not said)."""

    found: StoredContact | None = None
    known: bool | None = None
    name: str = ""


def contact_to_store(asked: AskedContact, said: SlackSaid) -> StoredContact | None:
    """The contact to store for `asked` given what Slack said; None when the role must not be
    saved (nobody goes by a typed `@name`, or Slack does not know a typed id)."""
    if not (asked.slack_id and asked.kind):  # a typed name
        if said.found is not None:
            return said.found
        if asked.contact.startswith("#"):
            return StoredContact(asked.contact)
        return None
    if asked.typed and said.known is False:
        return None
    return StoredContact(asked.contact, asked.slack_id, asked.kind, said.name)
