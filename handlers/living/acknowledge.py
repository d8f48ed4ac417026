"""`/policy acknowledge AUDIENCE` (the lead): everyone in a channel (`#communicatie`), a user
group (`@redactie`) or the whole workspace (`everyone`) is asked, in a direct message, to
acknowledge the adopted version; *I have read it* records it.

Who is in the audience comes from Slack (`conversations.members`, `usergroups.users.list`,
`users.list`, every page), bots and deactivated people left out. The core inserts one request
per person and version, so someone asked before (by another audience, by another instance) is
not asked again; the version's document is shared where the audience can read it (the channel,
or the channel the version was announced in, or the public channel the lead typed in) and
linked from each message. With no such place (a user group, or everyone, and no announcement
channel), each person gets the document in their own direct messages, and the request after
it, linking to it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.asking import groups
from bot.directory import CHANNEL, USERGROUP, NameResolver
from bot.exporting import ExportSource, export
from bot.exporting.source import version_source
from bot.i18n import words
from bot.living import acknowledgement as acks
from bot.profiles import cached_profile
from bot.storage import Session
from bot.vocabulary import language_of_locale
from handlers.kit import mrkdwn
from handlers.kit.asker import asker_known
from handlers.kit.catalogue import say
from handlers.kit.contact_lookup import find_contact
from handlers.kit.context import RequestContext, request_context
from handlers.kit.groups import fetch_members, policy_groups, served
from handlers.kit.incoming import channel_mentioned, usergroup_mentioned
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.names import learn_for_document
from handlers.kit.outbox import Sent, after_sending
from handlers.kit.outside import first_outside
from handlers.kit.payloads import AckRef
from handlers.kit.slack import SlackUser, Then
from handlers.living.ack_message import request_message
from handlers.router import CommandCall

log = logging.getLogger(__name__)
DOCUMENT_FORMAT = "docx"  # what management signed, shared for reading in full
DOCUMENT_SHARED, REQUEST_SENT = "living:document_shared", "living:request_sent"
OWN_COPY_SHARED = "living:own_copy_shared"


def audience_of(ctx: RequestContext, typed: str) -> acks.Audience | None:
    word = typed.strip()
    if word.lower() in words("living.words.everyone"):
        return acks.Audience(acks.WORKSPACE)
    if channel := channel_mentioned(word):
        return acks.Audience(acks.CHANNEL, channel)
    if usergroup := usergroup_mentioned(word):
        return acks.Audience(acks.USERGROUP, usergroup)
    if word[:1] in ("#", "@"):
        contact = find_contact(ctx.lookup, word)
        if contact is not None and contact.kind == CHANNEL:
            return acks.Audience(acks.CHANNEL, contact.slack_id)
        if contact is not None and contact.kind == USERGROUP:
            return acks.Audience(acks.USERGROUP, contact.slack_id)
    return None


def run_acknowledge(call: CommandCall) -> None:
    ctx = call.ctx
    if not call.args.strip():
        call.reply(ctx.t("living.ack.usage"))
        return
    audience = audience_of(ctx, call.args)
    if audience is None:
        call.reply(ctx.t("living.ack.unknown_audience", typed=call.args.strip()[:80]))
        return
    with ctx.unit_of_work() as session:
        found = acks.version_doc(session)
    if found is None:
        call.reply(ctx.t("living.ack.no_version"))
        return
    people = members_of(ctx, audience)
    if people is None:
        call.reply(ctx.t("living.ack.slack_silent"))
        return
    ask_people(ctx, found, audience, people, call.channel_id, call.reply)


def members_of(ctx: RequestContext, audience: acks.Audience) -> list[SlackUser] | None:
    """The people of the audience: no bots, nobody deactivated (users.list says who is who)."""
    everyone = ctx.lookup.users(limit=50000)
    if everyone is None:
        return None
    if audience.kind == acks.WORKSPACE:
        return everyone
    target = str(audience.target)
    ids = (
        ctx.lookup.channel_members(target)
        if audience.kind == acks.CHANNEL
        else ctx.lookup.usergroup_members(target)
    )
    if ids is None:
        return None
    wanted = set(ids)
    return [user for user in everyone if user.id in wanted]


def ask_people(
    ctx: RequestContext,
    found: acks.VersionDoc,
    audience: acks.Audience,
    people: list[SlackUser],
    typed_in: str | None,
    tell: Callable[[Mrkdwn], object],
) -> acks.Campaign:
    """The requests, once each, and the document shared where the audience can read it (the
    channel asked, else the one the version was announced in, else the public channel where
    the lead typed the command); the messages follow once Slack has the document
    (`document_shared`), with its link. With nowhere everyone can read, each person gets the
    document in their direct messages, and the request after it with its link
    (`own_copy_shared`). `tell` tells the lead. What Slack must say (who is in the policy's
    groups, whether the lead typed in a public channel, the document's names) is asked
    before the unit of work, which writes the requests and asks Slack nothing."""
    ctx.know_profile()  # the lead's language, for what they are told
    with ctx.unit_of_work() as session:
        stale = groups.stale_references(session, found.document.groups)
    fetched = fetch_members(ctx.lookup, stale)
    where = audience.target if audience.kind == acks.CHANNEL else found.announced_in
    if where is None and typed_in and ctx.lookup.is_public_channel(typed_in):
        where = typed_in  # the lead's DM, or a private channel, would link to nothing
    learn_for_document(ctx, partial(_version_source, found.number))
    with ctx.unit_of_work() as session:
        asked = [
            acks.Member(
                user.id,
                frozenset(policy_groups(session, served(fetched), found.document.groups, user.id)),
                _language(ctx, session, user),
            )
            for user in people
        ]
        now = ctx.services.clock.now()
        campaign = acks.start(session, found.number, audience, asked, ctx.actor, now)
        exported = None
        if campaign.new:
            exported = export(_version_source(found.number, session), DOCUMENT_FORMAT)
        if exported is not None and where:
            ctx.slack.upload(
                where,
                file=exported.content,
                filename=exported.filename,
                title=exported.filename,
                comment=ctx.t("living.ack.shared_comment", label=found.label),
                then=Then(DOCUMENT_SHARED, {"campaign": campaign.id}),
            )
        elif exported is not None:
            for request in acks.unsent_of(session, campaign.id):
                ctx.slack.upload(
                    to_user=request.user_id,
                    file=exported.content,
                    filename=exported.filename,
                    title=exported.filename,
                    comment=say(request.language, "living.ack.shared_comment", label=found.label),
                    then=Then(
                        OWN_COPY_SHARED, {"version": request.version, "person": request.user_id}
                    ),
                )
        count, already = len(campaign.new), campaign.already
        tell(ctx.t("living.ack.asked", count=count, already=already, label=found.label))
    return campaign


def _version_source(
    number: int, session: Session, resolve: NameResolver | None = None
) -> ExportSource:
    return version_source(session, number, resolve=resolve)


def _language(ctx: RequestContext, session: Any, user: SlackUser) -> str:
    profile = cached_profile(session, user.id)
    if profile is not None and profile.language:
        return profile.language
    return language_of_locale(user.locale, ctx.settings.language)


@after_sending(DOCUMENT_SHARED)
def document_shared(ctx: RequestContext, sent: Sent, *, campaign: int, **_: Any) -> None:
    """The document is in Slack (or could not be shared: then the messages go without a
    link): each request of the campaign is sent, once, in its reader's language."""
    if not sent.ok:
        log.warning("sharing the document of campaign %s failed: %s", campaign, sent.error)
    with ctx.unit_of_work() as session:
        acks.share_document(session, campaign, sent.permalink if sent.ok else None)
        for request in acks.unsent_of(session, campaign):
            send_request(ctx, session, request)


@after_sending(OWN_COPY_SHARED)
def own_copy_shared(
    ctx: RequestContext, sent: Sent, *, version: int, person: str, **_: Any
) -> None:
    """The document is in the person's direct messages (or could not be put there): their
    request follows, linking to it."""
    if not sent.ok:
        log.warning("sharing version %s with %s failed: %s", version, person, sent.error)
    with ctx.unit_of_work() as session:
        if sent.ok:
            acks.share_own_copy(session, version, person, sent.permalink)
        request = acks.request_of(session, version, person)
        if request is not None and request.ts is None:
            send_request(ctx, session, request)


def send_request(ctx: RequestContext, session: Session, request: acks.Request) -> None:
    """One person's request, in their language, linking to the document (their own copy, or
    the campaign's); where it went is kept for the button."""
    found = acks.reading(session, request)
    if found is None:
        return
    text, blocks = request_message(request.language, found)
    where = {"version": request.version, "person": request.user_id}
    ctx.slack.direct_message(
        request.user_id, text, blocks, unfurl_links=False, then=Then(REQUEST_SENT, where)
    )


@after_sending(REQUEST_SENT)
def request_sent(ctx: RequestContext, sent: Sent, *, version: int, person: str, **_: Any) -> None:
    if not (sent.ok and sent.channel and sent.ts):
        log.warning("asking %s to acknowledge version %s failed: %s", person, version, sent.error)
        return
    with ctx.unit_of_work() as session:
        acks.sent(session, version, person, sent.channel, sent.ts)


def on_read(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """*I have read it*: recorded once; the message says since when."""
    ack()
    ctx = request_context(context)
    value = AckRef.decode((body.get("actions") or [{}])[0].get("value"))
    # Two runs at most: `asker_known`'s one errand (see `kit.outside`).
    first_outside(ctx, partial(_record_read, ctx, value.version), None, runs=2)


def _record_read(ctx: RequestContext, version: int, session: Session, _: None) -> None:
    """The reading recorded; the reader told where their words are theirs to read (not
    asked, or the request's message not known yet), in their language, learned before the
    first write (`asker_known`: from Slack with no transaction open if not stored)."""
    asked = acks.request_of(session, version, ctx.actor)
    if asked is None or not (asked.channel and asked.ts):
        asker_known(ctx)
    if asked is None:
        ctx.slack.respond(ctx.t("living.ack.not_asked"))
        return
    acks.acknowledge(session, version, ctx.actor, ctx.services.clock.now())
    request = acks.request_of(session, version, ctx.actor)
    found = acks.reading(session, request) if request is not None else None
    if request is None or found is None or request.acknowledged_at is None:
        return
    text, blocks = request_message(request.language, found, request.acknowledged_at)
    if request.channel and request.ts:
        ctx.slack.update(request.channel, request.ts, text, blocks)
    else:  # its message's place is not known yet: a private note instead
        when = mrkdwn.moment(request.acknowledged_at)
        ctx.slack.respond(ctx.t("living.ack.thanks", when=when))
