"""People, not ids: every Slack id a document would show, found and written as a name.

Ids hide in role contacts (`@U0123ABCD`, `S0123ABCD`, `#C0123ABCD`), in groups' `slack`, in
the working group's user ids, and in free text (Slack markup such as `<@U0123ABCD|lotte>`, or
`@U0123ABCD` as drafting stores a mention). `slack_refs` finds them all, so the names can be
looked up once (`bot.directory.names_for`); `Names` then writes each one as the directory
knows it (`Lotte de Vries`, `@webcare`, `#communicatie`) or, when nobody knows it yet, as a
neutral phrase in the document's language, never as the raw id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.asking.contacts import CHANNEL as CONTACT_CHANNEL
from bot.asking.contacts import USER as CONTACT_USER
from bot.asking.contacts import USERGROUP as CONTACT_USERGROUP
from bot.asking.contacts import is_channel_id, parse_contact
from bot.directory import CHANNEL, USER, USERGROUP, SlackRef, kind_of, shown_name
from bot.i18n import t

# Slack's own markup, as a message carries it.
_MARKUP_USER = re.compile(r"<@([UW][A-Z0-9]{2,})(?:\|([^>]*))?>")
_MARKUP_GROUP = re.compile(r"<!subteam\^(S[A-Z0-9]{2,})(?:\|([^>]*))?>")
_MARKUP_CHANNEL = re.compile(r"<#([CG][A-Z0-9]{2,})(?:\|([^>]*))?>")
# An id written as a mention (`@U0123ABCD`, `@S0123ABCD`, `#C0123ABCD`) or standing on its
# own (`U0123ABCD`): Slack's shape, 9 to 12 capitals and digits, at least one a digit. A
# hashtag or a word of that shape (#CORONA2020, SOCIALMEDIA1) is a candidate too: it is only
# written as a name when the directory knows it, or when it is unmistakably an id (`_sure`).
_MENTION = re.compile(r"(?<![\w<@#&])([@#])([UWSCG](?=[A-Z]*\d)[A-Z0-9]{8,11})\b")
_BARE = re.compile(r"(?<![\w@#/.\-])([UWS](?=[A-Z]*\d)[A-Z0-9]{8,11})(?![\w.\-@])")


def _sure(prefix: str, slack_id: str) -> bool:
    """Whether a candidate nobody has named is surely a Slack id. `@U…` in text is how drafting
    stores a mention; for `#` and bare tokens, Slack's usual second character, a digit, has to
    tell them apart from hashtags and capitalised words."""
    return prefix == "@" or slack_id[1:2].isdigit()


_MENTION_KIND = {"@": (USER, USERGROUP), "#": (CHANNEL,)}
# What a document says for an id nobody has named yet, by its kind.
_UNKNOWN = {
    USER: "document.unknown_user",
    USERGROUP: "document.unknown_usergroup",
    CHANNEL: "document.unknown_channel",
}


def _kind_for(prefix: str, slack_id: str) -> str | None:
    kind = kind_of(slack_id)
    return kind if kind in _MENTION_KIND.get(prefix, ()) else None


def text_refs(text: str) -> Iterator[SlackRef]:
    """The Slack ids in a piece of free text."""
    for found in _MARKUP_USER.finditer(text):
        yield SlackRef(found.group(1), USER)
    for found in _MARKUP_GROUP.finditer(text):
        yield SlackRef(found.group(1), USERGROUP)
    for found in _MARKUP_CHANNEL.finditer(text):
        yield SlackRef(found.group(1), CHANNEL)
    for found in _MENTION.finditer(text):
        kind = _kind_for(found.group(1), found.group(2))
        if kind:
            yield SlackRef(found.group(2), kind)
    for found in _BARE.finditer(text):
        kind = kind_of(found.group(1))
        if kind:
            yield SlackRef(found.group(1), kind)


def contact_ref(raw: str) -> SlackRef | None:
    """The Slack id a role contact (or a group's `slack`) names, if it is an id at all."""
    contact = parse_contact(raw)
    if contact.kind == CONTACT_USER:
        return SlackRef(contact.value, USER)
    if contact.kind == CONTACT_USERGROUP:
        return SlackRef(contact.value, USERGROUP)
    if contact.kind == CONTACT_CHANNEL and is_channel_id(contact.value):
        return SlackRef(contact.value, CHANNEL)
    return None


def slack_refs(
    policy: Mapping[str, Any], people: Iterable[str], texts: Iterable[str]
) -> set[SlackRef]:
    """Every Slack id a document of `policy` would show: contacts, groups, `people` (the working
    group's user ids) and whatever the policy's and the other `texts` mention."""
    refs: set[SlackRef] = {SlackRef(user_id, USER) for user_id in people if user_id}
    for role in _dicts(policy.get("roles")):
        ref = contact_ref(str(role.get("contact") or ""))
        if ref:
            refs.add(ref)
    for group in _dicts(policy.get("groups")):
        ref = contact_ref(str(group.get("slack") or ""))
        if ref:
            refs.add(ref)
    for text in [*_policy_texts(policy), *texts]:
        refs.update(text_refs(text))
    return refs


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value or [] if isinstance(item, dict)]


def _policy_texts(policy: Mapping[str, Any]) -> Iterator[str]:
    for section in _dicts(policy.get("sections")):
        yield str(section.get("title") or "")
        yield str(section.get("text") or "")
    for role in _dicts(policy.get("roles")):
        yield str(role.get("name") or "")
        yield str(role.get("handles") or "")
    for rule in _dicts(policy.get("rules")):
        yield str(rule.get("text") or "")
    for group in _dicts(policy.get("groups")):
        yield str(group.get("name") or "")
    adopted = policy.get("adopted")
    if isinstance(adopted, dict):
        yield str(adopted.get("by") or "")
        yield str(adopted.get("reference") or "")
        yield from (str(d) for d in adopted.get("decisions") or [])
        yield from (str(s.get("by") or "") for s in _dicts(adopted.get("approvals")))
    yield str(policy.get("organisation") or "")


@dataclass(frozen=True)
class Names:
    """Writes Slack ids as names in one document's language."""

    lang: str
    known: Mapping[str, str] = field(default_factory=dict)  # id → bare name

    def of(self, ref: SlackRef, label: str = "") -> str:
        """`Lotte de Vries`, `@webcare`, `#communicatie`; a label Slack's markup carried when
        the directory has nothing; else "a Slack user (not yet resolved)"."""
        name = self.known.get(ref.id) or label.strip().lstrip("@#").strip()
        if name:
            return shown_name(ref.kind, name)
        return t(self.lang, _UNKNOWN[ref.kind])

    def person(self, user_id: str) -> str | None:
        """A working-group member's name, or None while nobody knows it."""
        return self.known.get(user_id)

    def known_contact(self, raw: str) -> str | None:
        """The contact as a name, or None when it is a Slack id nobody has named yet."""
        ref = contact_ref(raw)
        if ref is None:
            return self.text(raw)
        return shown_name(ref.kind, self.known[ref.id]) if ref.id in self.known else None

    def contact(self, raw: str) -> str:
        """A role's contact as people read it; e-mail addresses and `#channel` names stay."""
        ref = contact_ref(raw)
        return self.of(ref) if ref else self.text(raw)

    def text(self, text: str) -> str:
        """Free text with every Slack id in it written as a name."""
        if not text:
            return ""

        def markup(kind: str) -> Any:
            return lambda found: self.of(SlackRef(found.group(1), kind), found.group(2) or "")

        text = _MARKUP_USER.sub(markup(USER), text)
        text = _MARKUP_GROUP.sub(markup(USERGROUP), text)
        text = _MARKUP_CHANNEL.sub(markup(CHANNEL), text)

        def candidate(prefix: str, slack_id: str, kind: str | None, written: str) -> str:
            if kind and (slack_id in self.known or _sure(prefix, slack_id)):
                return self.of(SlackRef(slack_id, kind))
            return written

        def mention(found: re.Match[str]) -> str:
            prefix, slack_id = found.group(1), found.group(2)
            return candidate(prefix, slack_id, _kind_for(prefix, slack_id), found.group(0))

        def bare(found: re.Match[str]) -> str:
            slack_id = found.group(1)
            return candidate("", slack_id, kind_of(slack_id), found.group(0))

        return _BARE.sub(bare, _MENTION.sub(mention, text))
