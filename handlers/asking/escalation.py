"""Escalation: "Ask <role>" posts the question, with the asker and a link, to the role's contact
(a channel, a person's DM, a user group), tells the asker where it went, and relays the role's
first reply in that thread back to the asker.

Listener matcher (exact, for the drafting capability to exclude): a `message` event with a
`thread_ts` different from its `ts`, subtype None or `thread_broadcast`, from a person (no
`bot_id`, not the bot user), whose (channel, thread_ts) is an escalation post and not a
drafting session's thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from slack_bolt import Ack, BoltContext

from bot import threads
from bot.asking import contacts, escalations, question_log
from bot.asking.intents import CHECK, SEARCH, WHO
from bot.asking.masking import excerpt
from bot.asking.service import VERDICT_NAMES, AdoptedPolicy, RoleContact, adopted_policy, masked
from bot.storage import Session
from bot.vocabulary import Verdict
from handlers.asking.answers import quote_text
from handlers.asking.contacts import ContactRenderer, channel_id_for, usergroup_id_for
from handlers.asking.questions import from_a_person, in_a_thread
from handlers.kit import mrkdwn
from handlers.kit.catalogue import plain, say
from handlers.kit.context import RequestContext, request_context
from handlers.kit.incoming import plain_text
from handlers.kit.mrkdwn import Mrkdwn, esc
from handlers.kit.outbox import Sent, after_sending
from handlers.kit.payloads import AskRole
from handlers.kit.slack import Lookup, Then

log = logging.getLogger(__name__)

MAX_GROUP_MEMBERS_MESSAGED = 8  # a group DM holds at most 8 people besides the bot
RELAYED_REACTION = "outbox_tray"

# How the post to the role names the kind of question that was asked.
KIND_LINES = {
    CHECK: "asking.escalate.kind.check",
    WHO: "asking.escalate.kind.who",
    SEARCH: "asking.escalate.kind.search",
}
CHANNEL, PERSON, GROUP = "channel", "person", "group"
WHERE_LINES = {
    CHANNEL: "asking.where.channel",
    PERSON: "asking.where.person",
    GROUP: "asking.where.group",
}


def is_escalation_reply(event: dict[str, Any], context: BoltContext) -> bool:
    """A person's reply in the thread of an escalation post (never a drafting thread)."""
    channel = event.get("channel")
    if not channel or not in_a_thread(event):
        return False
    if event.get("subtype") not in (None, "thread_broadcast") or not from_a_person(event, context):
        return False
    kind = request_context(context).thread_kind(channel, event["thread_ts"])
    return kind == threads.ESCALATION


# ---- where a question for a role goes ------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """Where an escalation goes: a channel (by id or `#name`), a person's DM, or a group DM
    (`people`: the conversation is opened when the post is sent)."""

    channel: str
    kind: str  # CHANNEL | PERSON | GROUP
    mention: Mrkdwn = mrkdwn.EMPTY  # the person or user group, as a Slack mention
    via_email: str = ""  # set when the role itself is only reachable by e-mail
    people: tuple[str, ...] = ()
    mentioned: str = ""  # the id behind `mention`

    @classmethod
    def reached(cls, kind: str, channel: str, mentioned: str) -> Target:
        """A target as a completion step learns it back: its kind, where the post went and
        whom it named."""
        if kind == PERSON:
            return cls(channel, PERSON, mention=mrkdwn.user(mentioned), mentioned=mentioned)
        if kind == GROUP:
            return cls(channel, GROUP, mention=mrkdwn.usergroup(mentioned), mentioned=mentioned)
        return cls(channel, CHANNEL)

    @classmethod
    def seen_in(cls, row: escalations.EscalationView) -> Target:
        """What an earlier escalation's channel was: a DM (D…), a group DM (G…) or a channel."""
        channel = row.posted_channel or ""
        contact = contacts.parse_contact(row.contact)
        if channel.startswith("D") and contact.kind == contacts.USER:
            return cls(channel, PERSON, mention=mrkdwn.user(contact.value))
        if channel.startswith("G") and contact.kind == contacts.USERGROUP:
            return cls(channel, GROUP, mention=mrkdwn.usergroup(contact.value))
        return cls(channel, CHANNEL)


def target_for(
    session: Session, lookup: Lookup, policy: AdoptedPolicy, role: RoleContact
) -> Target | None:
    """Where a question for `role` is posted.

    - `#channel`: that channel.
    - a person: a direct message from the bot (conversations.open, when it is sent).
    - a user group: the default role's channel with the group mentioned, so the whole group
      sees it and one thread holds the answer; without such a channel, a group DM with up to
      eight of its members.
    - an e-mail address: the default role's Slack contact, with a note to pass it on; the bot
      sends no e-mail. None when the default role cannot be reached in Slack either.
    """
    contact = contacts.parse_contact(role.contact)
    if contact.kind == contacts.CHANNEL:
        return Target(channel_id_for(session, contact.value) or "#" + contact.value, CHANNEL)
    if contact.kind == contacts.USER:
        person = contact.value
        return Target("", PERSON, mrkdwn.user(person), people=(person,), mentioned=person)
    if contact.kind in (contacts.USERGROUP, contacts.HANDLE):
        group_id = (
            contact.value
            if contact.kind == contacts.USERGROUP
            else usergroup_id_for(session, lookup, contact.value)
        )
        if group_id is None:
            return None
        mention = mrkdwn.usergroup(group_id)
        fallback = _default_channel(session, policy, role)
        if fallback is not None:
            return Target(fallback, CHANNEL, mention=mention)
        members = lookup.usergroup_members(group_id)
        if not members:
            return None
        group = tuple(members[:MAX_GROUP_MEMBERS_MESSAGED])
        return Target("", GROUP, mention, people=group, mentioned=group_id)
    if contact.kind == contacts.EMAIL:
        default = policy.default_role
        if default is None or default.id == role.id:
            return None
        found = target_for(session, lookup, policy, default)
        return replace(found, via_email=contact.value) if found is not None else None
    return None


def _default_channel(session: Session, policy: AdoptedPolicy, role: RoleContact) -> str | None:
    default = policy.default_role
    if default is None or default.id == role.id:
        return None
    contact = contacts.parse_contact(default.contact)
    if contact.kind != contacts.CHANNEL:
        return None
    return channel_id_for(session, contact.value) or "#" + contact.value


def _where(ctx: RequestContext, channel: str, target: Target) -> Mrkdwn:
    if target.kind == PERSON:
        return ctx.t(WHERE_LINES[PERSON], person=target.mention)
    if target.kind == GROUP:
        return ctx.t(WHERE_LINES[GROUP], group=target.mention)
    shown = mrkdwn.channel(channel) if contacts.is_channel_id(channel) else esc(channel)
    return ctx.t(WHERE_LINES[CHANNEL], channel=shown)


# ---- "Ask <role>" --------------------------------------------------------------------------
POSTED = "asking:escalation_posted"


def escalate(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """The "Ask <role>" button: post the question to the role's contact, tell the asker where.
    The escalation is recorded with its post in one commit (a second click finds it); where
    the post went is stored, and the asker told, once Slack has it (`escalation_posted`)."""
    ack()
    ctx = request_context(context)
    value = AskRole.decode((body.get("actions") or [{}])[0].get("value"))
    with ctx.unit_of_work() as session:
        prepared = _prepare(ctx, session, value)
        if isinstance(prepared, Mrkdwn):
            ctx.slack.respond(prepared)
            return
        escalation_id, text, target, role = prepared
        then = Then(
            POSTED,
            {
                "user": ctx.actor,
                "response_url": ctx.slack.response_url,
                "escalation": escalation_id,
                "kind": target.kind,
                "given": target.channel,
                "mentioned": target.mentioned,
            },
        )
        if target.people:
            ctx.slack.to_people(target.people, text, unfurl_links=False, then=then)
        else:
            ctx.slack.post(target.channel, text, unfurl_links=False, then=then)


@after_sending(POSTED)
def escalation_posted(
    ctx: RequestContext,
    sent: Sent,
    *,
    escalation: int,
    kind: str,
    given: str,
    mentioned: str,
    **_: Any,
) -> None:
    """The post is in Slack (or refused): store where, and tell the asker."""
    with ctx.unit_of_work() as session:
        found = escalations.get(session, escalation)
        if found is None:
            return
        if not (sent.ok and sent.channel and sent.ts):
            escalations.mark_failed(session, escalation, sent.error or "not posted")
            contact = ContactRenderer(session, ctx.lookup).render(found.contact)
            ctx.slack.respond(
                ctx.t("asking.escalate.failed", role=found.role_name, contact=contact)
            )
            return
        escalations.mark_posted(session, escalation, sent.channel, sent.ts)
        if given.startswith("#"):  # now we know the channel's id: links from here on
            contacts.remember_ids(session, {given: sent.channel})
        where = _where(ctx, sent.channel, Target.reached(kind, sent.channel, mentioned))
        ctx.slack.respond(ctx.t("asking.escalate.sent", role=found.role_name, where=where))


def _prepare(
    ctx: RequestContext, session: Session, value: AskRole
) -> tuple[int, Mrkdwn, Target, RoleContact] | Mrkdwn:
    """The escalation recorded and its post written; or why not, to tell the asker."""
    question = question_log.get_question(session, value.question)
    policy = adopted_policy(session)
    if question is None or policy is None:
        return ctx.t("asking.escalate.gone")
    if question.asker != ctx.user_id:
        return ctx.t("asking.escalate.not_yours")
    role = policy.role(value.role) or policy.default_role
    if role is None:
        return ctx.t("asking.escalate.gone")
    renderer = ContactRenderer(session, ctx.lookup)
    existing = escalations.for_question(session, question.id)
    if existing is not None:
        where = _where(ctx, existing.posted_channel or "", Target.seen_in(existing))
        return ctx.t("asking.escalate.already", role=role.name, where=where)
    target = target_for(session, ctx.lookup, policy, role)
    if target is None:
        contact = renderer.render(role.contact)
        by_email = contacts.parse_contact(role.contact).kind == contacts.EMAIL
        key = "asking.escalate.email" if by_email else "asking.escalate.failed"
        return ctx.t(key, role=role.name, contact=contact)
    link = ctx.lookup.permalink(value.channel, value.ts)
    escalation_id = escalations.open_escalation(
        session,
        question_id=question.id,
        asker=question.asker,
        asker_language=ctx.lang,
        text=question.text,
        kind=question.kind,
        verdict=question.verdict,
        rule_ids=question.rule_ids,
        policy_version=question.policy_version,
        role_id=role.id,
        role_name=role.name,
        contact=role.contact,
        origin_channel=value.channel,
        origin_ts=value.ts,
        origin_link=link,
    )
    text = _escalation_post(policy, question, role, target, link, renderer)
    return escalation_id, text, target, role


def _escalation_post(
    policy: AdoptedPolicy,
    question: question_log.LoggedQuestion,
    role: RoleContact,
    target: Target,
    link: str | None,
    renderer: ContactRenderer,
) -> Mrkdwn:
    """The question as the role reads it, in the organisation's language."""
    lang = policy.language
    asker = mrkdwn.user(question.asker)
    lines = [say(lang, "asking.escalate.post_title", role=role.name, asker=asker)]
    if target.mention and target.kind != PERSON:
        lines.append(say(lang, "asking.escalate.post_group", group=target.mention))
    if target.via_email:
        contact = renderer.render(target.via_email)
        lines.append(say(lang, "asking.escalate.post_for_email", role=role.name, contact=contact))
    lines.append(say(lang, KIND_LINES.get(question.kind, KIND_LINES[SEARCH])))
    if question.text:
        lines.append(quote_text(excerpt(masked(policy, question.text), 2000), 2100))
    else:
        lines.append(say(lang, "asking.escalate.text_gone"))
    version = question.policy_version or "?"
    if question.kind == CHECK and question.verdict and question.rule_ids:
        rules = say(lang, "asking.escalate.rules", rules=", ".join(question.rule_ids))
        verdict = say(lang, VERDICT_NAMES[Verdict(question.verdict)])
        lines.append(
            say(lang, "asking.escalate.bot_said", verdict=verdict, rules=rules, version=version)
        )
    elif not question.covered:
        lines.append(say(lang, "asking.escalate.bot_said_uncovered", version=version))
    if link:
        lines.append(mrkdwn.link(link, plain(lang, "asking.escalate.link")))
    lines.append(say(lang, "asking.escalate.reply_here", asker=asker))
    return mrkdwn.lines(lines)


# ---- the role's reply ----------------------------------------------------------------------
RELAY = "asking:relay"


def relay_escalation_reply(event: dict[str, Any], context: BoltContext) -> None:
    """The role's first reply in the escalation thread goes back to the asker, once: recorded
    first; the relay follows once Slack has given the reply's link (`relay_with_link`)."""
    ctx = request_context(context)
    reply = plain_text(event.get("text") or "")[0]
    with ctx.unit_of_work() as session:
        found = escalations.find_by_thread(session, event["channel"], event["thread_ts"])
        if found is None or found.status != escalations.OPEN or event.get("user") == found.asker:
            return
        if not escalations.record_reply(session, found.id, event["user"], reply):
            return  # someone else's reply was first, at this instance or another
        # The reply as written (the stored one is masked) waits in the outbox with the step.
        where = {"channel": event["channel"], "ts": event["ts"]}
        then = Then(RELAY, {"escalation": found.id, "reply": reply, **where})
        ctx.slack.permalink(event["channel"], event["ts"], then)


@after_sending(RELAY)
def relay_with_link(
    ctx: RequestContext,
    sent: Sent,
    *,
    escalation: int,
    reply: str,
    channel: str,
    ts: str,
    **_: Any,
) -> None:
    with ctx.unit_of_work() as session:
        found = escalations.get(session, escalation)
        policy = adopted_policy(session)
        if found is None or not found.replied_by:
            return
        lang = found.asker_language
        replier = mrkdwn.user(found.replied_by)
        lines = [say(lang, "asking.escalate.relay", role=found.role_name, replier=replier)]
        lines.append(quote_text(reply, 2500))
        if found.text and policy is not None:
            lines.append(say(lang, "asking.escalate.relay_question"))
            lines.append(quote_text(excerpt(masked(policy, found.text), 300), 400))
        if sent.permalink:
            lines.append(mrkdwn.link(sent.permalink, plain(lang, "asking.escalate.relay_link")))
        ctx.slack.direct_message(found.asker, mrkdwn.lines(lines), unfurl_links=False)
        ctx.slack.react(channel, ts, RELAYED_REACTION)  # the role sees it went on
