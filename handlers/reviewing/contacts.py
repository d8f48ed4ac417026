"""Whom a role sends people to, as the lead picks it in the role modal: a person (Slack's
people picker), a user group, a channel (Slack's channel picker), an e-mail address, or typed
as people say it (`@lotte`, `@webcare`, `#communicatie`), found by name. The id is stored in
the policy file's form with the name Slack gives it (`bot.directory`), so documents show the
name, also when they are made without Slack."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.directory import CHANNEL, USER, USERGROUP, SlackRef
from handlers.kit.context import RequestContext
from handlers.kit.names import find_contact, slack_names
from handlers.reviewing.forms import CONTACT_TYPED

# A typed contact that already is in the policy file's form of an id.
_ID_FORMS = (
    (re.compile(r"^@([UW][A-Z0-9]{2,})$"), USER),
    (re.compile(r"^(S[A-Z0-9]{6,})$"), USERGROUP),
    (re.compile(r"^#([CG][A-Z0-9]{6,})$"), CHANNEL),
)
TYPED_USERS = 1000  # people searched for a typed @name (users.list, five pages)


@dataclass(frozen=True)
class ChosenContact:
    contact: str  # the policy file's form
    name: tuple[str, str, str] | None = None  # (slack id, kind, name) to remember
    error: tuple[str, str] | None = None  # (block id, catalogue key): nothing was chosen


def chosen_contact(ctx: RequestContext, values: dict[str, Any]) -> ChosenContact:
    """The one contact the modal's fields name, looked up where it is a Slack id or name."""
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
        found = _typed(ctx, typed)
        if isinstance(found, ChosenContact):
            return found
        picked.append(found)
    if len(picked) > 1:
        return ChosenContact("", error=(picked[1][1], "reviewing.error_contact_one"))
    if not picked:
        return ChosenContact("", error=("contact_user", "reviewing.error_contact_none"))
    contact, _, slack_id, kind = picked[0]
    if slack_id is None or kind is None:
        return ChosenContact(contact)
    names = slack_names(ctx)([SlackRef(slack_id, kind)])
    name = names.get(slack_id)
    return ChosenContact(contact, (slack_id, kind, name) if name else None)


def _typed(
    ctx: RequestContext, typed: str
) -> tuple[str, str, str | None, str | None] | ChosenContact:
    for pattern, kind in _ID_FORMS:
        if found := pattern.match(typed):
            return typed, CONTACT_TYPED, found.group(1), kind
    if not typed.startswith(("@", "#")):
        return typed, CONTACT_TYPED, None, None  # an e-mail address, or what the format says
    named = find_contact(ctx, typed, people_limit=TYPED_USERS)
    if named is not None:
        return ChosenContact(named.contact, (named.slack_id, named.kind, named.name))
    if typed.startswith("#"):  # a channel the bot cannot see: the format takes its name
        return typed, CONTACT_TYPED, None, None
    return ChosenContact("", error=(CONTACT_TYPED, "reviewing.error_contact_unknown"))
