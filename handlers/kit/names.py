"""People, user groups and channels by name, not by id, wherever the bot shows or takes them.

- `slack_names(ctx)`: a `bot.directory.NameResolver` backed by the kit's Lookup (`users.info`,
  `usergroups.list`, `conversations.info`), for documents made in Slack;
- typed names found (`find_contact`) and the role modal's contact read after its ack
  (`read_contact`): `handlers.kit.contact_lookup`;
- `learn_unknown(ctx, contacts)`: the names of ids nobody has named yet, looked up after the
  ack and outside any unit of work (a decision's accepted roles: `reviewing.told`);
- `refresh_stale(ctx)`: names not looked at for a month, looked up again;
- `learn_for_document(ctx, build)`: the names a document made in Slack lacks, looked up
  before the unit of work that makes it, which then reads them stored;
- `contact_shown(contact, names)`: a contact as the review shows it (a mention, a channel
  link, `@handle`, an address), never a bare id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from bot import directory
from bot.directory import CHANNEL, USER, USERGROUP, NameResolver, SlackRef
from bot.storage import Session, not_the_work
from handlers.kit import mrkdwn
from handlers.kit.context import Phase, RequestContext
from handlers.kit.mrkdwn import Mrkdwn

NAME_LOOKUPS = 50  # names fetched from Slack per document or refresh at most


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


def learn_unknown(ctx: RequestContext, contacts: Iterable[str]) -> int:
    """The names of the Slack ids among `contacts` that nobody has named yet, looked up and
    kept (between two short transactions); how many were found. Only after the ack and
    outside a unit of work (`_look_up_and_keep`). Names are a cache: lost in a crash before
    they are kept, a document made in Slack looks up the names it lacks itself
    (`slack_names`), and the review shows an unnamed id as it is."""
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


def learn_for_document(
    ctx: RequestContext, build: Callable[[Session, NameResolver], object]
) -> int:
    """The names a document lacks (unknown, or learned long ago), looked up in Slack and kept
    before the unit of work that makes it; how many were found. `build(session, resolve)`
    makes the document's source as that unit of work will (`bot.exporting.source`): here with
    a resolver that only notes what it would ask, in a read of its own; Slack is asked
    afterwards, outside any transaction (`_look_up_and_keep`). The unit of work then builds it
    with `resolve=None`: the stored names, Slack asked nothing while it holds a transaction
    (on SQLite, once it has written, the writer turn every other request's ack waits for).
    Names are a cache: one Slack would not give stays an id, as a resolver's miss did."""
    asked: list[SlackRef] = []

    def note(refs: Sequence[SlackRef]) -> Mapping[str, str]:
        asked.extend(refs)
        return {}

    with ctx.unit_of_work() as session:
        build(session, note)
    return _look_up_and_keep(ctx, asked)


def _look_up_and_keep(ctx: RequestContext, refs: Sequence[SlackRef]) -> int:
    """Slack's names for `refs` (looked up outside any transaction), kept in the directory."""
    # Slack asked here would hold others' writes or an ack: a caller's mistake.
    if ctx.phase is not Phase.FREE:
        raise RuntimeError("names looked up in Slack before the ack or in a unit of work")
    if not refs:
        return 0
    found = slack_names(ctx)(refs)
    kinds = {ref.id: ref.kind for ref in refs}
    # A cache, not the request's change: it must not mark the request done before it answers.
    with ctx.unit_of_work() as session, not_the_work(session):
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
