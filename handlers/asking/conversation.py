"""An escalation's conversation: every reply in the role's thread reaches the asker (in their
DM with the bot, in the escalation's thread there, in their language), every reply the asker
writes in that thread reaches the role's thread (masked, in the organisation's language), each
once; and *Mark answered* on the post closes it and tells the asker. The asker writing again
opens it again.

Listener matcher (exact, for the drafting capability to exclude): a `message` event with a
`thread_ts` different from its `ts`, subtype None or `thread_broadcast`, from a person (no
`bot_id`, not the bot user), whose (channel, thread_ts) is either thread of an escalation and
not a drafting session's thread.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext

from bot import threads
from bot.asking import conversation, escalations
from bot.asking.escalations import ASKER, ROLE, EscalationView
from bot.asking.masking import mask_personal_data
from bot.asking.service import adopted_policy, masked
from handlers.asking.answers import quote_text
from handlers.asking.escalation_post import LANGUAGE, role_post
from handlers.asking.questions import from_a_person, in_a_thread
from handlers.kit import mrkdwn
from handlers.kit.catalogue import say
from handlers.kit.context import RequestContext, request_context
from handlers.kit.incoming import plain_text
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.outbox import Sent, after_sending
from handlers.kit.payloads import EscalationRef
from handlers.kit.slack import Then

log = logging.getLogger(__name__)

RELAYED_REACTION = "outbox_tray"  # on a message once it went on: its author sees it did
MAX_RELAYED = 2500
RELAYED = "asking:relayed"


def is_escalation_reply(event: dict[str, Any], context: BoltContext) -> bool:
    """A person's message in either thread of an escalation (never a drafting thread)."""
    channel = event.get("channel")
    if not channel or not in_a_thread(event):
        return False
    if event.get("subtype") not in (None, "thread_broadcast") or not from_a_person(event, context):
        return False
    kind = request_context(context).thread_kind(channel, event["thread_ts"])
    return kind == threads.ESCALATION


def relay_escalation_reply(event: dict[str, Any], context: BoltContext) -> None:
    """Pass a message on to the other side of the conversation, once."""
    ctx = request_context(context)
    channel, thread_ts, ts = event["channel"], event["thread_ts"], event["ts"]
    author = str(event.get("user") or "")
    text = plain_text(event.get("text") or "")[0]
    with ctx.unit_of_work() as session:
        found = escalations.find_by_thread(session, channel, thread_ts)
        side = found.side_of(channel, thread_ts) if found is not None else None
        if found is None or side is None or not _speaks_for(found, side, author):
            return
        turn = conversation.record_turn(
            session, found.id, side=side, channel=channel, ts=ts, author=author
        )
        if not turn.first:
            return  # relayed already, by this instance or another
        if side == ASKER:  # the role reads the asker's words as the question: masked
            policy = adopted_policy(session)
            text = masked(policy, text) if policy is not None else mask_personal_data(text)
        reopened = escalations.get(session, found.id) if turn.reopened else None
        # Relayed with the turn, in one commit; its author sees it went on once Slack has it.
        then = Then(RELAYED, {"user": author, "channel": channel, "thread_ts": thread_ts, "ts": ts})
        relay = _to_asker if side == ROLE else _to_role
        if not relay(ctx, found, author, text, reopened is not None, then):
            ctx.slack.tell(
                channel, author, ctx.t("asking.conversation.failed"), thread_ts=thread_ts
            )
            return
        if reopened is not None:
            redraw(ctx, reopened)


@after_sending(RELAYED)
def relayed(
    ctx: RequestContext, sent: Sent, *, channel: str, thread_ts: str, ts: str, **_: Any
) -> None:
    """The message went on (a reaction on it says so to its author), or Slack refused it."""
    if sent.ok:
        ctx.slack.react(channel, ts, RELAYED_REACTION)
    else:
        log.info("relaying from %s failed: %s", channel, sent.error)
        ctx.slack.tell(channel, ctx.actor, ctx.t("asking.conversation.failed"), thread_ts=thread_ts)


def _speaks_for(found: EscalationView, side: str, author: str) -> bool:
    """The role's thread speaks for the role (the asker, if they are there too, is not
    relayed to themselves); the asker's thread is their DM with the bot: only they write."""
    return author != found.asker if side == ROLE else author == found.asker


def _to_asker(
    ctx: RequestContext,
    found: EscalationView,
    replier: str,
    text: str,
    _reopened: bool,
    then: Then | None = None,
) -> bool:
    """The role's reply, in the asker's language, in their thread (or their DM)."""
    lang = found.asker_language
    lines = [say(lang, "asking.escalate.relay", role=found.role_name, replier=mrkdwn.user(replier))]
    lines.append(_said(lang, text))
    if found.replied_by is None:  # the role's first reply: say how to answer back
        lines.append(say(lang, "asking.escalate.relay_hint"))
    message = mrkdwn.lines(lines)
    if found.asker_channel and found.asker_thread_ts:
        return _post(ctx, found.asker_channel, message, found.asker_thread_ts, then)
    # an escalation from before the asker had a thread: their DM, as it was then
    ctx.slack.direct_message(found.asker, message, unfurl_links=False, then=then)
    return True


def _to_role(
    ctx: RequestContext,
    found: EscalationView,
    asker: str,
    text: str,
    reopened: bool,
    then: Then | None = None,
) -> bool:
    """The asker's reply (masked), in the organisation's language, in the role's thread;
    False when the role's post is not known (yet)."""
    if not found.posted_channel or not found.posted_ts:
        return False
    lang = found.details.get(LANGUAGE) or found.asker_language
    key = "asking.conversation.reopened" if reopened else "asking.conversation.from_asker"
    message = mrkdwn.lines([say(lang, key, asker=mrkdwn.user(asker)), _said(lang, text)])
    return _post(ctx, found.posted_channel, message, found.posted_ts, then)


def _post(
    ctx: RequestContext, channel: str, message: Mrkdwn, thread_ts: str, then: Then | None = None
) -> bool:
    ctx.slack.post(channel, message, thread_ts=thread_ts, unfurl_links=False, then=then)
    return True


def _said(lang: str, text: str) -> Mrkdwn:
    if not text.strip():
        return say(lang, "asking.conversation.no_text")
    return quote_text(text, MAX_RELAYED)


# ---- "Mark answered" -----------------------------------------------------------------------
def mark_answered(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """The button on the post to the role: the question is settled. Once, whoever clicks and
    at whichever instance; the asker is told in their thread, the post says who closed it."""
    ack()
    ctx = request_context(context)
    value = EscalationRef.decode((body.get("actions") or [{}])[0].get("value"))
    ctx.know_profile()  # the clicker's language, asked of Slack before the unit of work
    with ctx.unit_of_work() as session:  # closed, redrawn and told, in one commit
        found = escalations.get(session, value.escalation)
        if found is None or found.status == escalations.FAILED:
            ctx.slack.respond(ctx.t("asking.conversation.gone"))
            return
        closed = conversation.mark_answered(session, found.id, ctx.actor)
        now = escalations.get(session, found.id)
        assert now is not None
        if not closed:
            by = mrkdwn.user(now.answered_by) if now.answered_by else mrkdwn.EMPTY
            ctx.slack.respond(ctx.t("asking.conversation.already_answered", by=by))
            return
        redraw(ctx, now)
        lang = now.asker_language
        by = mrkdwn.user(ctx.actor)
        told = say(lang, "asking.conversation.answered", role=now.role_name, by=by)
        if now.asker_channel and now.asker_thread_ts:
            _post(ctx, now.asker_channel, told, now.asker_thread_ts)
        else:
            ctx.slack.tell_privately(None, now.asker, told)


def redraw(ctx: RequestContext, row: EscalationView) -> None:
    """The post to the role as the escalation now stands (answered, or open again); a post
    too old or deleted is given up (logged): the thread still works."""
    if not row.posted_channel or not row.posted_ts:
        return
    text, blocks = role_post(row, ctx.settings.timezone)
    ctx.slack.update(row.posted_channel, row.posted_ts, text, blocks)
