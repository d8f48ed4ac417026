"""`/policy crisis on [REASON]` and `/policy crisis off` (the lead and admins): while it is on,
every "may I post this?" answer is at least *review*, sent to the crisis role, with the reason
(`bot.living.crisis`). Turning it on or off is announced in the channel the lead chose for the
policy's announcements (a channel named before the reason, else the latest version's, else
where the command was typed; turning it off, where turning it on was), in the policy's
language, and recorded in the audit trail; the announcement is written with the
change, in one commit."""

from __future__ import annotations

from bot.directory import CHANNEL
from bot.i18n import words
from bot.living import crisis
from bot.living.acknowledgement import version_doc
from bot.vocabulary import language_or
from handlers.kit import mrkdwn
from handlers.kit.blocks import section
from handlers.kit.catalogue import say
from handlers.kit.contact_lookup import find_contact
from handlers.kit.context import RequestContext
from handlers.kit.incoming import channel_mentioned
from handlers.kit.mrkdwn import Mrkdwn
from handlers.router import CommandCall


def run_crisis(call: CommandCall) -> None:
    ctx = call.ctx
    word, _, rest = call.args.partition(" ")
    word = word.strip().lower()
    if word in words("living.words.on"):
        ctx.know_profile()  # the lead's language, asked before the unit of work that writes
        turn_on(call, rest.strip())
    elif word in words("living.words.off"):
        ctx.know_profile()
        turn_off(call)
    elif not word:
        with ctx.unit_of_work() as session:
            now = crisis.current(session)
        if now is None:
            call.reply(ctx.t("living.crisis.status_off"))
            return
        why = now.reason or ctx.plain("living.crisis.no_reason")
        call.reply(ctx.t("living.crisis.status_on", since=mrkdwn.moment(now.since), reason=why))
    else:
        call.reply(ctx.t("living.crisis.usage"))


def _channel_first(ctx: RequestContext, why: str) -> tuple[str | None, str]:
    """A channel named before the reason (`#crisis Brand bij de remise`): where to announce."""
    first, _, rest = why.partition(" ")
    if channel := channel_mentioned(first):
        return channel, rest.strip()
    if first.startswith("#") and len(first) > 1:
        contact = find_contact(ctx.lookup, first)
        if contact is not None and contact.kind == CHANNEL:
            return contact.slack_id, rest.strip()
    return None, why


def turn_on(call: CommandCall, why: str) -> None:
    ctx = call.ctx
    chosen, why = _channel_first(ctx, why)
    with ctx.unit_of_work() as session:
        found = version_doc(session)
        where = chosen or (found.announced_in if found else None) or call.channel_id or None
        period, started = crisis.turn_on(session, ctx.actor, why, where, ctx.services.clock.now())
        shown_reason = period.reason or ctx.plain("living.crisis.no_reason")
        if not started:
            since = mrkdwn.moment(period.since)
            call.reply(ctx.t("living.crisis.already_on", since=since, reason=shown_reason))
            return
        role = (
            crisis.crisis_role(session, found.document, ctx.settings.admins)["name"]
            if found is not None
            else ctx.plain("living.crisis.lead_role")
        )
        lang = language_or(found.document.language if found else None, ctx.settings.language)
        reason = period.reason or say(lang, "living.crisis.no_reason")
        news = say(
            lang, "living.crisis.announce_on", user=mrkdwn.user(ctx.actor), reason=reason, role=role
        )
        announced = _announce(call, period.announce_in, news)
        call.reply(
            ctx.t("living.crisis.turned_on", role=role, reason=shown_reason, where=announced)
        )


def turn_off(call: CommandCall) -> None:
    ctx = call.ctx
    with ctx.unit_of_work() as session:
        ended = crisis.turn_off(session, ctx.actor, ctx.services.clock.now())
        if ended is None:
            call.reply(ctx.t("living.crisis.not_on"))
            return
        found = version_doc(session)
        lang = language_or(found.document.language if found else None, ctx.settings.language)
        since = mrkdwn.moment(ended.since)
        news = say(lang, "living.crisis.announce_off", user=mrkdwn.user(ctx.actor), since=since)
        announced = _announce(call, ended.announce_in, news)
        call.reply(ctx.t("living.crisis.turned_off", where=announced))


def _announce(call: CommandCall, channel: str | None, news: Mrkdwn) -> Mrkdwn:
    """Post the news (the outbox tells the lead if Slack refuses it); what to tell the lead
    about where it goes."""
    ctx = call.ctx
    if not channel:
        return ctx.t("living.crisis.not_announced")
    ctx.slack.post(channel, news, [section(news)])
    return ctx.t("living.crisis.announced_in", channel=mrkdwn.channel(channel))
