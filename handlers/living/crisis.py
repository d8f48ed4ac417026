"""`/policy crisis on [REASON]` and `/policy crisis off` (the lead and admins): while it is on,
every "may I post this?" answer is at least *review*, sent to the crisis role, with the reason
(`bot.living.crisis`). Turning it on or off is announced in the channel the lead chose for the
policy's announcements (the latest version's, else where the command was typed), in the
policy's language, and recorded in the audit trail."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.i18n import words
from bot.living import crisis
from bot.living.acknowledgement import version_doc
from bot.storage import utcnow
from bot.vocabulary import language_or
from handlers.kit import mrkdwn
from handlers.kit.blocks import section
from handlers.kit.catalogue import say
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.slack import reason
from handlers.router import CommandCall

log = logging.getLogger(__name__)


def run_crisis(call: CommandCall) -> None:
    ctx = call.ctx
    word, _, rest = call.args.partition(" ")
    word = word.strip().lower()
    if word in words("living.words.on"):
        turn_on(call, rest.strip())
    elif word in words("living.words.off"):
        turn_off(call)
    elif not word:
        with ctx.unit_of_work() as session:
            now = crisis.current(session)
        if now is None:
            call.reply(ctx.t("living.crisis.status_off"))
        else:
            call.reply(
                ctx.t(
                    "living.crisis.status_on",
                    since=mrkdwn.moment(now.since),
                    reason=now.reason or ctx.plain("living.crisis.no_reason"),
                )
            )
    else:
        call.reply(ctx.t("living.crisis.usage"))


def turn_on(call: CommandCall, why: str) -> None:
    ctx = call.ctx
    with ctx.unit_of_work() as session:
        found = version_doc(session)
        where = (found.announced_in if found else None) or call.channel_id or None
        period, started = crisis.turn_on(session, ctx.actor, why, where, utcnow())
        role = (
            crisis.crisis_role(session, found.document, ctx.settings.admins)["name"]
            if found is not None
            else ctx.plain("living.crisis.lead_role")
        )
        lang = language_or(found.document.language if found else None, ctx.settings.language)
    shown_reason = period.reason or ctx.plain("living.crisis.no_reason")
    if not started:
        call.reply(
            ctx.t(
                "living.crisis.already_on", since=mrkdwn.moment(period.since), reason=shown_reason
            )
        )
        return
    news = say(
        lang,
        "living.crisis.announce_on",
        user=mrkdwn.user(ctx.actor),
        reason=period.reason or say(lang, "living.crisis.no_reason"),
        role=role,
    )
    announced = _announce(call, period.announce_in, news)
    call.reply(ctx.t("living.crisis.turned_on", role=role, reason=shown_reason, where=announced))


def turn_off(call: CommandCall) -> None:
    ctx = call.ctx
    with ctx.unit_of_work() as session:
        ended = crisis.turn_off(session, ctx.actor, utcnow())
        found = version_doc(session)
        lang = language_or(found.document.language if found else None, ctx.settings.language)
    if ended is None:
        call.reply(ctx.t("living.crisis.not_on"))
        return
    news = say(
        lang,
        "living.crisis.announce_off",
        user=mrkdwn.user(ctx.actor),
        since=mrkdwn.moment(ended.since),
    )
    announced = _announce(call, ended.announce_in, news)
    call.reply(ctx.t("living.crisis.turned_off", where=announced))


def _announce(call: CommandCall, channel: str | None, news: Mrkdwn) -> Mrkdwn:
    """Post the news; what to tell the lead about where it went."""
    ctx = call.ctx
    if not channel:
        return ctx.t("living.crisis.not_announced")
    try:
        ctx.slack.post(channel, news, [section(news)])
    except SlackApiError as error:
        log.warning("announcing crisis mode in %s failed: %s", channel, reason(error))
        return ctx.t("living.crisis.announce_failed", channel=mrkdwn.channel(channel))
    return ctx.t("living.crisis.announced_in", channel=mrkdwn.channel(channel))
