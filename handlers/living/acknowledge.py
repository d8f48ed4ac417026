"""`/policy acknowledge AUDIENCE` (the lead): everyone in a channel (`#communicatie`), a user
group (`@redactie`) or the whole workspace (`everyone`) is asked, in a direct message, to
acknowledge the adopted version; *I have read it* records it.

Who is in the audience comes from Slack (`conversations.members`, `usergroups.users.list`,
`users.list`, every page), bots and deactivated people left out. The core inserts one request
per person and version, so someone asked before (by another audience, by another instance) is
not asked again; the version's document is shared where the audience can read it (the channel,
or the channel the version was announced in) and linked from each message.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk.errors import SlackApiError

from bot.directory import CHANNEL, USERGROUP
from bot.exporting import export
from bot.exporting.source import version_source
from bot.i18n import words
from bot.living import acknowledgement as acks
from bot.profiles import cached_profile
from bot.storage import utcnow
from bot.vocabulary import language_of_locale
from handlers.kit import mrkdwn
from handlers.kit.context import RequestContext, request_context
from handlers.kit.groups import member_lookup, policy_groups
from handlers.kit.names import find_contact, slack_names
from handlers.kit.payloads import AckRef
from handlers.kit.slack import SlackUser, reason
from handlers.living.ack_message import request_message
from handlers.router import CommandCall

log = logging.getLogger(__name__)
_CHANNEL_MARKUP = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
_USERGROUP_MARKUP = re.compile(r"^<!subteam\^(S[A-Z0-9]+)(?:\|[^>]*)?>$")
DOCUMENT_FORMAT = "docx"  # what management signed, shared for reading in full


def audience_of(ctx: RequestContext, typed: str) -> acks.Audience | None:
    word = typed.strip()
    if word.lower() in words("living.words.everyone"):
        return acks.Audience(acks.WORKSPACE)
    if found := _CHANNEL_MARKUP.match(word):
        return acks.Audience(acks.CHANNEL, found.group(1))
    if found := _USERGROUP_MARKUP.match(word):
        return acks.Audience(acks.USERGROUP, found.group(1))
    if word[:1] in ("#", "@"):
        contact = find_contact(ctx, word)
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
    call.reply(ctx.t("living.ack.asking", count=len(people), label=found.label))
    campaign = ask_people(ctx, found, audience, people, call.channel_id)
    call.reply(
        ctx.t(
            "living.ack.asked", count=len(campaign.new), already=campaign.already, label=found.label
        )
    )


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
    typed_in: str,
) -> acks.Campaign:
    members = member_lookup(ctx.lookup)
    with ctx.unit_of_work() as session:
        asked = [
            acks.Member(
                user.id,
                frozenset(policy_groups(session, members, found.document.groups, user.id)),
                _language(ctx, session, user),
            )
            for user in people
        ]
        campaign = acks.start(session, found.number, audience, asked, ctx.actor, utcnow())
    if campaign.new:
        where = audience.target if audience.kind == acks.CHANNEL else found.announced_in
        link = share_document(ctx, found, where or typed_in)
        with ctx.unit_of_work() as session:
            acks.share_document(session, campaign.id, link)
    for request in campaign.new:
        send_request(ctx, request)
    return campaign


def _language(ctx: RequestContext, session: Any, user: SlackUser) -> str:
    profile = cached_profile(session, user.id)
    if profile is not None and profile.language:
        return profile.language
    return language_of_locale(user.locale, ctx.settings.language)


def share_document(ctx: RequestContext, found: acks.VersionDoc, channel: str) -> str | None:
    """Share the version's document in `channel`; its permalink (None: it could not be)."""
    with ctx.unit_of_work() as session:
        exported = export(
            version_source(session, found.number, resolve=slack_names(ctx)), DOCUMENT_FORMAT
        )
    comment = ctx.t("living.ack.shared_comment", label=found.label)
    try:
        return ctx.slack.upload(
            channel,
            file=exported.content,
            filename=exported.filename,
            title=exported.filename,
            comment=comment,
        )
    except SlackApiError as error:
        log.warning("sharing version %s in %s failed: %s", found.number, channel, reason(error))
        return None


def send_request(ctx: RequestContext, request: acks.Request) -> None:
    """One person's request, in their language; where it went is kept for the button."""
    with ctx.unit_of_work() as session:
        found = acks.reading(session, request)
    if found is None:
        return
    text, blocks = request_message(request.language, found)
    try:
        posted = ctx.slack.direct_message(request.user_id, text, blocks, unfurl_links=False)
    except SlackApiError as error:
        log.warning("asking %s to acknowledge failed: %s", request.user_id, reason(error))
        return
    with ctx.unit_of_work() as session:
        acks.sent(session, request.version, request.user_id, posted.channel, posted.ts)


def on_read(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """*I have read it*: recorded once; the message says since when."""
    ack()
    ctx = request_context(context)
    value = AckRef.decode((body.get("actions") or [{}])[0].get("value"))
    now = utcnow()
    with ctx.unit_of_work() as session:
        request = acks.request_of(session, value.version, ctx.actor)
        if request is None:
            ctx.slack.respond(ctx.t("living.ack.not_asked"))
            return
        acks.acknowledge(session, value.version, ctx.actor, now)
        request = acks.request_of(session, value.version, ctx.actor)
        found = acks.reading(session, request) if request is not None else None
    if request is None or found is None:
        return
    done = request.acknowledged_at or now
    text, blocks = request_message(request.language, found, done)
    if request.channel and request.ts:
        try:
            ctx.slack.update(request.channel, request.ts, text, blocks)
            return
        except SlackApiError as error:
            log.info("updating the acknowledgement of %s failed: %s", ctx.actor, reason(error))
    ctx.slack.respond(ctx.t("living.ack.thanks", when=mrkdwn.moment(done)))
