"""Escalation: "Ask <role>" posts the question (masked) to the role's contact (a channel, a
person's DM, a user group; `targets`) and opens the asker's side of the conversation: a thread
in their DM with the bot. That is the thread of their question when they asked in that DM,
else a new message there that quotes it. From then on `conversation` relays every reply
between the two threads.

Links go only where the reader can look: the role gets a link to where the question was asked
only when that is a public channel; the asker gets a link to their own DM with the bot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext

from bot import metrics
from bot.asking import contacts, escalations, question_log
from bot.asking.masking import excerpt
from bot.asking.service import RoleContact, adopted_policy
from bot.storage import Session
from handlers.asking.answers import quote_text
from handlers.asking.contacts import ContactRenderer
from handlers.asking.escalation_post import LANGUAGE, role_post
from handlers.asking.targets import Target, target_for, where
from handlers.kit import mrkdwn
from handlers.kit.context import RequestContext, request_context
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.payloads import AskRole, PayloadError
from handlers.kit.slack import Posted, SlackApiError, reason

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    """An escalation recorded and ready to post."""

    row: escalations.EscalationView
    target: Target
    role: RoleContact
    asked_in: tuple[str | None, str | None]  # the channel and message, from the record


@dataclass(frozen=True)
class AskerSide:
    """The asker's side of the conversation: a thread in their DM with the bot."""

    channel: str
    thread_ts: str
    in_their_thread: bool  # the thread of the question itself (asked in that DM)


def escalate(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """The "Ask <role>" button: post the question to the role's contact, open the asker's
    thread, and tell the asker where it went and where the answers will come."""
    ack()
    ctx = request_context(context)
    value = AskRole.decode((body.get("actions") or [{}])[0].get("value"))
    # First unit of work: the escalation is recorded (and committed) before it is posted, so
    # a second click finds it instead of posting twice.
    with ctx.unit_of_work() as session:
        prepared = _prepare(ctx, session, value)
    if isinstance(prepared, Mrkdwn):
        ctx.slack.respond(prepared)
        return
    row, target, role = prepared.row, prepared.target, prepared.role
    text, blocks = role_post(row, ctx.settings.timezone)
    try:
        posted = ctx.slack.post(target.channel, text, blocks, unfurl_links=False)
    except SlackApiError as error:
        with ctx.unit_of_work() as session:
            escalations.mark_failed(session, row.id, reason(error))
            contact = ContactRenderer(session, ctx.lookup).render(role.contact)
        ctx.slack.respond(ctx.t("asking.escalate.failed", role=role.name, contact=contact))
        return
    shown_where = where(ctx.lang, target, posted.channel)
    side = _open_asker_side(ctx, row, prepared.asked_in, shown_where)
    with ctx.unit_of_work() as session:  # the second: where both sides of it are
        escalations.mark_posted(session, row.id, posted.channel, posted.ts)
        if side is not None:
            escalations.set_asker_thread(session, row.id, side.channel, side.thread_ts)
        if target.channel.startswith("#"):  # now we know the channel's id: links from here on
            contacts.remember_ids(session, {target.channel: posted.channel})
    metrics.escalations.inc()
    sent = ctx.t("asking.escalate.sent", role=role.name, where=shown_where)
    ctx.slack.respond(mrkdwn.join(" ", [sent, _where_answers_come(ctx, side)]))


def _prepare(ctx: RequestContext, session: Session, value: AskRole) -> Prepared | Mrkdwn:
    """The escalation recorded; or why not, to tell the asker."""
    question = question_log.get_question(session, value.question)
    policy = adopted_policy(session)
    if question is None or policy is None:
        return ctx.t("asking.escalate.gone")
    if question.asker != ctx.user_id:
        return ctx.t("asking.escalate.not_yours")
    if value.role is not None and value.role != question.role_id:
        raise PayloadError(f"ask: role {value.role!r:.40} is not the one answered")
    # The role the bot answered with, as recorded; the default role if that one is gone.
    role = policy.role(question.role_id) or policy.default_role
    if role is None:
        return ctx.t("asking.escalate.gone")
    existing = escalations.for_question(session, question.id)
    if existing is not None:
        shown = where(ctx.lang, Target.of(existing))
        return ctx.t("asking.escalate.already", role=existing.role_name, where=shown)
    target = target_for(session, ctx.slack, ctx.lookup, policy, role)
    if target is None:
        contact = ContactRenderer(session, ctx.lookup).render(role.contact)
        by_email = contacts.parse_contact(role.contact).kind == contacts.EMAIL
        key = "asking.escalate.email" if by_email else "asking.escalate.failed"
        return ctx.t(key, role=role.name, contact=contact)
    # Where it was asked is the record's too, never the button's.
    origin = (question.asked_channel, question.asked_ts)
    public = origin[0] is not None and ctx.lookup.is_public_channel(origin[0])
    escalation_id = escalations.open_escalation(
        session,
        question_id=question.id,
        asker=question.asker,
        asker_language=ctx.lang,
        text=question.text,  # the log's text: masked already
        kind=question.kind,
        verdict=question.verdict,
        rule_ids=question.rule_ids,
        policy_version=question.policy_version,
        role_id=role.id,
        role_name=role.name,
        contact=role.contact,
        origin_channel=origin[0],
        origin_ts=origin[1],
        # Only a public channel is a place the role can look; never the asker's DM.
        origin_link=ctx.lookup.permalink(*origin) if public else None,
        details=target.details | {LANGUAGE: policy.language},
    )
    row = escalations.get(session, escalation_id)
    assert row is not None
    return Prepared(row, target, role, origin)


def _open_asker_side(
    ctx: RequestContext,
    row: escalations.EscalationView,
    asked_in: tuple[str | None, str | None],
    shown_where: Mrkdwn,
) -> AskerSide | None:
    """The thread in the asker's DM where the role's replies will come: their question's own
    thread when they asked there (and no other escalation talks in it), else a new message
    that quotes the question. None when Slack lets us write no DM to them."""
    try:
        dm = ctx.slack.open_conversation([row.asker])
    except SlackApiError as error:
        log.info("no DM with %s: %s", row.asker, reason(error))
        return None
    channel, ts = asked_in
    if channel == dm and ts:
        with ctx.unit_of_work() as session:
            taken = escalations.asker_thread_taken(session, dm, ts)
        if not taken:
            note = ctx.t("asking.escalate.thread_note", role=row.role_name, where=shown_where)
            _post_quietly(ctx, dm, note, thread_ts=ts)
            return AskerSide(dm, ts, in_their_thread=True)
    question = (
        quote_text(excerpt(row.text, 600), 700) if row.text else ctx.t("asking.escalate.text_gone")
    )
    opening = mrkdwn.lines(
        [
            ctx.t("asking.escalate.thread_root", role=row.role_name, where=shown_where),
            question,
            ctx.t("asking.escalate.thread_hint"),
        ]
    )
    root = _post_quietly(ctx, dm, opening)
    return AskerSide(dm, root.ts, in_their_thread=False) if root is not None else None


def _post_quietly(
    ctx: RequestContext, channel: str, text: Mrkdwn, thread_ts: str | None = None
) -> Posted | None:
    try:
        return ctx.slack.post(channel, text, thread_ts=thread_ts, unfurl_links=False)
    except SlackApiError as error:
        log.info("could not write in the asker's DM %s: %s", channel, reason(error))
        return None


def _where_answers_come(ctx: RequestContext, side: AskerSide | None) -> Mrkdwn:
    if side is None:
        return ctx.t("asking.escalate.replies_dm")
    if side.in_their_thread:
        return ctx.t("asking.escalate.replies_here")
    link = ctx.lookup.permalink(side.channel, side.thread_ts)  # their own DM: they can look
    if link is None:
        return ctx.t("asking.escalate.replies_dm")
    label = ctx.plain("asking.escalate.replies_link")
    return ctx.t("asking.escalate.replies_dm_link", link=mrkdwn.link(link, label))
