"""Role contacts as Slack shows them, and the Slack facts answering needs: channel ids and
user group ids (cached in the database, so a question costs no Slack call most of the time;
who is in which user group: `handlers.kit.groups`)."""

from __future__ import annotations

from bot.asking import contacts
from bot.storage import Session
from handlers.kit import mrkdwn
from handlers.kit.mrkdwn import Mrkdwn, esc
from handlers.kit.slack import Lookup


class ContactRenderer:
    """Role contacts as Slack renders them: `<@U…>`, `<!subteam^S…>`, `<#C…>`, mailto links."""

    def __init__(self, session: Session, lookup: Lookup) -> None:
        self.session, self.lookup = session, lookup

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
            group_id = usergroup_id_for(self.session, self.lookup, contact.value)
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


def usergroup_id_for(session: Session, lookup: Lookup, handle: str) -> str | None:
    """A user group's id from its `@handle`: cached, else one `usergroups.list`."""
    wanted = handle.lstrip("@").lower()
    known, group_id = contacts.cached_id(session, "@" + wanted)
    if known:
        return group_id
    listed = lookup.usergroups()
    if listed is None:
        return None
    found: dict[str, str | None] = {"@" + g.handle.lower(): g.id for g in listed if g.handle}
    found.setdefault("@" + wanted, None)
    contacts.remember_ids(session, found)
    return found["@" + wanted]
