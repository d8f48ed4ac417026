"""Whom a role sends people to, as the lead picks it in the role modal: a person (Slack's
people picker), a user group, a channel (Slack's channel picker), an e-mail address, or typed
as people say it (`@lotte`, `@webcare`, `#communicatie`), found by name. The id is stored in
the policy file's form with the name Slack gives it (`bot.directory`), so documents show the
name, also when they are made without Slack.

Read from the modal's fields alone (`chosen_contact`, before the ack); what Slack must say,
the name of a picked id or the id of a typed name, is asked after the ack
(`Outgoing.look_up_contact`, `handlers.kit.contact_lookup.read_contact`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.directory import CHANNEL, USER, USERGROUP
from bot.policy.validation import NameToResolve
from handlers.reviewing.forms import CONTACT_TYPED

# A typed contact that already is in the policy file's form of an id.
_ID_FORMS = (
    (re.compile(r"^@([UW][A-Z0-9]{2,})$"), USER),
    (re.compile(r"^(S[A-Z0-9]{6,})$"), USERGROUP),
    (re.compile(r"^#([CG][A-Z0-9]{6,})$"), CHANNEL),
)


@dataclass(frozen=True)
class ChosenContact:
    contact: str  # the policy file's form, or the `@name`/`#name` typed
    read: dict[str, Any] | None = None  # what Slack is asked (`read_contact`), if any
    error: tuple[str, str] | None = None  # (block id, catalogue key): nothing was chosen

    @property
    def checked_as(self) -> str | NameToResolve:
        """The contact as the role's format is checked before Slack is asked: a typed `@name`
        as the name Slack will resolve (the format itself takes only ids)."""
        named = self.read is not None and not self.read.get("slack_id")
        return (
            NameToResolve(self.contact) if named and self.contact.startswith("@") else self.contact
        )


def chosen_contact(values: dict[str, Any]) -> ChosenContact:
    """The one contact the modal's fields name, without asking Slack anything."""
    picked: list[tuple[str, str, str | None, str | None]] = []  # contact, block, id, kind
    if values.get("contact_user"):
        user = str(values["contact_user"])
        picked.append(("@" + user, "contact_user", user, USER))
    if values.get("contact_usergroup"):
        group = str(values["contact_usergroup"])
        picked.append((group, "contact_usergroup", group, USERGROUP))
    if values.get("contact_channel"):
        channel = str(values["contact_channel"])
        picked.append(("#" + channel, "contact_channel", channel, CHANNEL))
    email = str(values.get("contact_email") or "").strip()
    if email:
        picked.append((email, "contact_email", None, None))
    typed = str(values.get(CONTACT_TYPED) or "").strip()
    if typed:
        picked.append(_typed(typed))
    if len(picked) > 1:
        return ChosenContact("", error=(picked[1][1], "reviewing.error_contact_one"))
    if not picked:
        return ChosenContact("", error=("contact_user", "reviewing.error_contact_none"))
    contact, block, slack_id, kind = picked[0]
    typed_one = block == CONTACT_TYPED
    if slack_id is None and not (typed_one and contact.startswith(("@", "#"))):
        return ChosenContact(contact)  # an e-mail address, or what the format says
    read = {"contact": contact, "slack_id": slack_id, "kind": kind, "typed": typed_one}
    return ChosenContact(contact, read)


def _typed(typed: str) -> tuple[str, str, str | None, str | None]:
    for pattern, kind in _ID_FORMS:
        if found := pattern.match(typed):
            return typed, CONTACT_TYPED, found.group(1), kind
    return typed, CONTACT_TYPED, None, None  # found by name after the ack, if it is one
