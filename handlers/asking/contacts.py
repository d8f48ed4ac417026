"""Role contacts as Slack shows them, and the Slack facts answering needs: channel ids and
user group ids (cached in the database, so a question costs no Slack call most of the time;
who is in which user group: `handlers.kit.groups`).

Rendering asks Slack nothing (it runs inside a unit of work): a `@handle` shows as its
group's mention when the id is cached or handed in (`usergroup_ids`, asked outside any unit
of work), else as typed. The policy format takes no `@handle` as a role's contact (drafting
resolves a typed one to its id), so only a version stored otherwise would show one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.asking import contacts
from bot.storage import Session
from handlers.kit import mrkdwn
from handlers.kit.mrkdwn import Mrkdwn, esc
from handlers.kit.slack import Lookup

# A user group's id by its `@handle` (lower case, with the @), as Slack said (None: no such
# group), or as the cache holds it.
GroupIds = Mapping[str, str | None]


class ContactRenderer:
    """Role contacts as Slack renders them: `<@U…>`, `<!subteam^S…>`, `<#C…>`, mailto links.
    `learned`: user group ids Slack gave before this unit of work, kept here."""

    def __init__(self, session: Session, learned: GroupIds | None = None) -> None:
        self.session, self.learned = session, dict(learned or {})
        if self.learned:
            contacts.remember_ids(session, self.learned)

    def render(self, raw: str) -> Mrkdwn:
        contact = contacts.parse_contact(raw)
        if contact.kind == contacts.USER:
            return mrkdwn.user(contact.value)
        if contact.kind == contacts.USERGROUP:
            return mrkdwn.usergroup(contact.value)
        if contact.kind == contacts.CHANNEL:
            channel_id = channel_id_for(self.session, contact.value)
            return mrkdwn.channel(channel_id) if channel_id else esc("#" + contact.value)
        if contact.kind == contacts.HANDLE:
            group_id = known_group_id(self.session, contact.value, self.learned)
            return mrkdwn.usergroup(group_id) if group_id else esc("@" + contact.value)
        if contact.kind == contacts.EMAIL:
            return mrkdwn.mailto(contact.value)
        return esc(contact.raw)


def channel_id_for(session: Session, name_or_id: str) -> str | None:
    """A channel's id from its name, as learned from earlier posts there (cached in the DB).

    Slack's `chat.postMessage` takes a `#name` and answers with the id; that is when the bot
    learns it. Until then the contact shows as plain `#name`, which people read just as well.
    """
    if contacts.is_channel_id(name_or_id) and name_or_id.isupper():
        return name_or_id
    known, channel_id = contacts.cached_id(session, "#" + name_or_id)
    return channel_id if known else None


def _key(handle: str) -> str:
    return "@" + handle.lstrip("@").lower()


def known_group_id(session: Session, handle: str, learned: GroupIds) -> str | None:
    """A user group's id from its `@handle`: as Slack just said, else as cached (None: not
    known, or no such group)."""
    key = _key(handle)
    if key in learned:
        return learned[key]
    return contacts.cached_id(session, key)[1]


def usergroup_ids(lookup: Lookup, handles: Iterable[str]) -> dict[str, str | None] | None:
    """The ids of the user groups `handles` (None for one that does not exist), asked of
    Slack now (one `usergroups.list`), outside any transaction; None when Slack will not
    say. Every listed group's id comes along: the cache learns them all at once."""
    wanted = [_key(handle) for handle in handles]
    if not wanted:
        return {}
    listed = lookup.usergroups()
    if listed is None:
        return None
    found: dict[str, str | None] = {_key(g.handle): g.id for g in listed if g.handle}
    for key in wanted:
        found.setdefault(key, None)
    return found
