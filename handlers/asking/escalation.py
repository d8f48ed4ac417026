"""Escalation: "Ask <role>" posts the question (masked) to the role's contact (a channel, a
person's DM, a user group; `targets`) and opens the asker's side of the conversation: a thread
in their DM with the bot. That is the thread of their question when they asked in that DM,
else a new message there that quotes it. From then on `conversation` relays every reply
between the two threads.

Links go only where the reader can look: the role gets a link to where the question was asked
only when that is a public channel; the asker gets a link to their own DM with the bot.

The escalation is recorded with its post, in one commit (a second click finds it). What
Slack must say first (where it goes: a person's or a group's DM opened, a `@handle`'s id;
the link to where it was asked) is asked before that unit of work, with none open
(`SlackFirst`, `kit.outside`). Where the post went, and the asker's thread, are stored by
completion steps once Slack has them (`escalation_posted`, `asker_thread_opened`), and the
asker is told there. What those steps ask Slack (the asker's DM opened, its thread's
permalink) each step's `prepare` asks before its transaction: that transaction writes first
(it settles the outbox row), and on SQLite a Slack call inside it would hold the writer turn
every other request's ack waits for.
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
from handlers.asking.targets import Reached, Route, Target, reach, route_for, where
from handlers.kit import mrkdwn
from handlers.kit.asker import asker_known
from handlers.kit.context import RequestContext, request_context
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.outbox import Sent, after_sending
from handlers.kit.outside import Errand, OutsideFirst, first_outside
from handlers.kit.payloads import AskRole, PayloadError
from handlers.kit.slack import SlackApiError, Then, reason

log = logging.getLogger(__name__)
POSTED, THREAD_OPENED = "asking:escalation_posted", "asking:asker_thread_opened"


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
    link: str | None = None  # the permalink of a new thread, asked before the step's work


@dataclass(frozen=True)
class Reaching:
    """What Slack said before the escalation's unit of work (`SlackFirst`): the route it
    was asked for, where that leads, and the link to where the question was asked."""

    route: Route | None = None  # None: Slack not asked yet
    reached: Reached = Reached(None, {})
    origin_link: str | None = None


@dataclass(frozen=True)
class SlackFirst(Errand[Reaching]):
    """Where `route` leads (a DM opened, a `@handle`'s id, a group's members), and the link
    to the question's message when that is in a public channel (a place the role can
    look; never the asker's DM)."""

    route: Route
    asked_in: tuple[str | None, str | None]

    def run(self, ctx: RequestContext, ahead: Reaching) -> Reaching:
        channel, ts = self.asked_in
        link = None
        if channel is not None and ctx.lookup.is_public_channel(channel):
            link = ctx.lookup.permalink(channel, ts)
        return Reaching(self.route, reach(self.route, ctx.slack, ctx.lookup), link)


# The question read (Slack asked, `SlackFirst`), the escalation recorded; and once more
# should the role's route change in between (a version adopted meanwhile: Slack is asked
# again for the new one). A second change in those seconds is answered as an error. (The
# presser's language, asked first when they are told no, `KnowAsker`, takes one run of a
# path that asks Slack nothing else.)
RUNS = 3


def escalate(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """The "Ask <role>" button: post the question to the role's contact, open the asker's
    thread, and tell the asker where it went and where the answers will come."""
    ack()
    ctx = request_context(context)
    value = AskRole.decode((body.get("actions") or [{}])[0].get("value"))
    first_outside(
        ctx, lambda session, ahead: _escalate(ctx, session, value, ahead), Reaching(), RUNS
    )


def _escalate(ctx: RequestContext, session: Session, value: AskRole, ahead: Reaching) -> None:
    prepared = _prepare(ctx, session, value, ahead)
    if isinstance(prepared, Mrkdwn):
        ctx.slack.respond(prepared)
        return
    row, target = prepared.row, prepared.target
    text, blocks = role_post(row, ctx.settings.timezone)
    then = Then(
        POSTED,
        {
            "user": ctx.actor,
            "response_url": ctx.slack.response_url,
            "escalation": row.id,
            "given": target.channel,
            "asked_in": prepared.asked_in[0],
            "asked_ts": prepared.asked_in[1],
        },
    )
    ctx.slack.post(target.channel, text, blocks, unfurl_links=False, then=then)


def _asker_dm(ctx: RequestContext, sent: Sent, **_: Any) -> str | None:
    """Before `escalation_posted`'s transaction: the id of the asker's DM with the bot (the
    step's person is the asker, who pressed the button); None when the post failed or Slack
    lets us open no DM with them. Run again with the step after a crash: opening is
    idempotent (Slack answers the same id)."""
    if not (sent.ok and ctx.user_id):
        return None
    try:
        return ctx.slack.open_conversation([ctx.user_id])
    except SlackApiError as error:
        log.info("no DM with %s: %s", ctx.user_id, reason(error))
        return None


@after_sending(POSTED, prepare=_asker_dm)
def escalation_posted(
    ctx: RequestContext,
    sent: Sent,
    *,
    escalation: int,
    given: str,
    asked_in: str | None,
    asked_ts: str | None,
    prepared: str | None = None,
    **_: Any,
) -> None:
    """The post is in Slack (or refused): store where, open the asker's side (in their DM,
    `prepared`), tell them."""
    with ctx.unit_of_work() as session:
        row = escalations.get(session, escalation)
        if row is None:
            return
        ctx.speak(row.asker_language)  # the language the question was asked in
        if not (sent.ok and sent.channel and sent.ts):
            escalations.mark_failed(session, row.id, sent.error or "not posted")
            contact = ContactRenderer(session).render(row.contact)
            failed = ctx.t("asking.escalate.failed", role=row.role_name, contact=contact)
            ctx.slack.respond(failed)
            return
        escalations.mark_posted(session, row.id, sent.channel, sent.ts)
        target = Target.of(row)
        if given.startswith("#"):  # now we know the channel's id: links from here on
            contacts.remember_ids(session, {given: sent.channel})
        metrics.escalations.inc()
        shown_where = where(ctx.lang, target, sent.channel)
        side = _open_asker_side(ctx, session, row, prepared, (asked_in, asked_ts), shown_where)
        if side is not None:
            escalations.set_asker_thread(session, row.id, side.channel, side.thread_ts)
            _tell_where(ctx, row, shown_where, side)


def _thread_link(ctx: RequestContext, sent: Sent, **_: Any) -> str | None:
    """Before `asker_thread_opened`'s transaction: the permalink of the thread just opened in
    the asker's DM (their own DM: they can look); None without one."""
    if not (sent.ok and sent.channel and sent.ts):
        return None
    return ctx.lookup.permalink(sent.channel, sent.ts)


@after_sending(THREAD_OPENED, prepare=_thread_link)
def asker_thread_opened(
    ctx: RequestContext, sent: Sent, *, escalation: int, prepared: str | None = None, **_: Any
) -> None:
    """The message that opens the asker's thread is in their DM (or not): the replies will
    come there (the thread's link, `prepared`), and the asker is told."""
    with ctx.unit_of_work() as session:
        row = escalations.get(session, escalation)
        if row is None:
            return
        ctx.speak(row.asker_language)
        shown_where = where(ctx.lang, Target.of(row), row.posted_channel)
        side = None
        if sent.ok and sent.channel and sent.ts:
            side = AskerSide(sent.channel, sent.ts, in_their_thread=False, link=prepared)
            escalations.set_asker_thread(session, row.id, side.channel, side.thread_ts)
        _tell_where(ctx, row, shown_where, side)


def _tell_where(
    ctx: RequestContext,
    row: escalations.EscalationView,
    shown_where: Mrkdwn,
    side: AskerSide | None,
) -> None:
    sent = ctx.t("asking.escalate.sent", role=row.role_name, where=shown_where)
    ctx.slack.respond(mrkdwn.join(" ", [sent, _where_answers_come(ctx, side)]))


def _prepare(
    ctx: RequestContext, session: Session, value: AskRole, ahead: Reaching
) -> Prepared | Mrkdwn:
    """The escalation recorded; or why not, to tell the asker. `ahead`: what Slack said of
    the role's route and the question's origin; `OutsideFirst(SlackFirst)` before anything is
    written when Slack was not asked for this route yet."""
    question = question_log.get_question(session, value.question)
    policy = adopted_policy(session)
    if question is None or policy is None or question.asker != ctx.user_id:
        asker_known(ctx)  # told in their own language: asked of Slack first if need be
        gone = question is None or policy is None
        return ctx.t("asking.escalate.gone" if gone else "asking.escalate.not_yours")
    ctx.speak(question.language)  # the conversation goes on in the question's language
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
    # Where it was asked is the record's too, never the button's.
    origin = (question.asked_channel, question.asked_ts)
    route = route_for(session, policy, role)
    if route is not None and ahead.route != route:
        raise OutsideFirst(SlackFirst(route, origin))
    target = ahead.reached.target if route is not None else None
    if target is None:
        contact = ContactRenderer(session, ahead.reached.group_ids).render(role.contact)
        by_email = contacts.parse_contact(role.contact).kind == contacts.EMAIL
        key = "asking.escalate.email" if by_email else "asking.escalate.failed"
        return ctx.t(key, role=role.name, contact=contact)
    if ahead.reached.group_ids:
        contacts.remember_ids(session, ahead.reached.group_ids)
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
        origin_link=ahead.origin_link,
        details=target.details | {LANGUAGE: policy.language},
    )
    row = escalations.get(session, escalation_id)
    assert row is not None
    return Prepared(row, target, role, origin)


def _open_asker_side(
    ctx: RequestContext,
    session: Session,
    row: escalations.EscalationView,
    dm: str | None,
    origin: tuple[str | None, str | None],
    shown_where: Mrkdwn,
) -> AskerSide | None:
    """The thread in the asker's DM `dm` (opened before this transaction) where the role's
    replies will come: their question's own thread when they asked there (and no other
    escalation talks in it); else a new message that quotes the question, whose thread is
    stored once Slack has posted it (`asker_thread_opened`, which then tells the asker). None
    until then, or when Slack lets us write no DM to them."""
    if dm is None:
        _tell_where(ctx, row, shown_where, None)
        return None
    asked_in, asked_ts = origin
    if asked_in == dm and asked_ts and not escalations.asker_thread_taken(session, dm, asked_ts):
        note = ctx.t("asking.escalate.thread_note", role=row.role_name, where=shown_where)
        ctx.slack.post(dm, note, thread_ts=asked_ts, unfurl_links=False)
        return AskerSide(dm, asked_ts, in_their_thread=True)
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
    then = Then(
        THREAD_OPENED,
        {"user": ctx.actor, "response_url": ctx.slack.response_url, "escalation": row.id},
    )
    ctx.slack.post(dm, opening, unfurl_links=False, then=then)
    return None


def _where_answers_come(ctx: RequestContext, side: AskerSide | None) -> Mrkdwn:
    if side is None:
        return ctx.t("asking.escalate.replies_dm")
    if side.in_their_thread:
        return ctx.t("asking.escalate.replies_here")
    link = side.link  # their own DM: they can look
    if link is None:
        return ctx.t("asking.escalate.replies_dm")
    label = ctx.plain("asking.escalate.replies_link")
    return ctx.t("asking.escalate.replies_dm_link", link=mrkdwn.link(link, label))
