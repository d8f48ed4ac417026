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
from handlers.kit.payloads import AskRole, PayloadError
from handlers.kit.slack import Lookup, Outgoing, SlackApiError, reason

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
    """Where an escalation goes: a channel (by id or `#name`), a person's DM, or a group DM."""

    channel: str
    kind: str  # CHANNEL | PERSON | GROUP
    mention: Mrkdwn = mrkdwn.EMPTY  # the person or user group, as a Slack mention
    via_email: str = ""  # set when the role itself is only reachable by e-mail

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
    session: Session, slack: Outgoing, lookup: Lookup, policy: AdoptedPolicy, role: RoleContact
) -> Target | None:
    """Where a question for `role` is posted.

    - `#channel`: that channel.
    - a person: a direct message from the bot (conversations.open).
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
        try:
            opened = slack.open_conversation([contact.value])
        except SlackApiError as error:
            log.info("reaching %s failed: %s", contact.raw, reason(error))
            return None
        return Target(opened, PERSON, mention=mrkdwn.user(contact.value))
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
        try:
            opened = slack.open_conversation(members[:MAX_GROUP_MEMBERS_MESSAGED])
        except SlackApiError as error:
            log.info("reaching %s failed: %s", contact.raw, reason(error))
            return None
        return Target(opened, GROUP, mention=mention)
    if contact.kind == contacts.EMAIL:
        default = policy.default_role
        if default is None or default.id == role.id:
            return None
        found = target_for(session, slack, lookup, policy, default)
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
def escalate(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """The "Ask <role>" button: post the question to the role's contact, tell the asker where."""
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
        escalation_id, text, target, role = prepared
    try:
        posted = ctx.slack.post(target.channel, text, unfurl_links=False)
    except SlackApiError as error:
        with ctx.unit_of_work() as session:
            escalations.mark_failed(session, escalation_id, reason(error))
            contact = ContactRenderer(session, ctx.lookup).render(role.contact)
        ctx.slack.respond(ctx.t("asking.escalate.failed", role=role.name, contact=contact))
        return
    with ctx.unit_of_work() as session:  # the second: where the post went
        escalations.mark_posted(session, escalation_id, posted.channel, posted.ts)
        if target.channel.startswith("#"):  # now we know the channel's id: links from here on
            contacts.remember_ids(session, {target.channel: posted.channel})
    where = _where(ctx, posted.channel, target)
    ctx.slack.respond(ctx.t("asking.escalate.sent", role=role.name, where=where))


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
    if value.role is not None and value.role != question.role_id:
        raise PayloadError(f"ask: role {value.role!r:.40} is not the one answered")
    # The role the bot answered with, as recorded; the default role if that one is gone.
    role = policy.role(question.role_id) or policy.default_role
    if role is None:
        return ctx.t("asking.escalate.gone")
    renderer = ContactRenderer(session, ctx.lookup)
    existing = escalations.for_question(session, question.id)
    if existing is not None:
        where = _where(ctx, existing.posted_channel or "", Target.seen_in(existing))
        return ctx.t("asking.escalate.already", role=role.name, where=where)
    target = target_for(session, ctx.slack, ctx.lookup, policy, role)
    if target is None:
        contact = renderer.render(role.contact)
        by_email = contacts.parse_contact(role.contact).kind == contacts.EMAIL
        key = "asking.escalate.email" if by_email else "asking.escalate.failed"
        return ctx.t(key, role=role.name, contact=contact)
    origin_channel, origin_ts = question.asked_channel, question.asked_ts
    link = ctx.lookup.permalink(origin_channel, origin_ts)
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
        origin_channel=origin_channel,
        origin_ts=origin_ts,
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
def relay_escalation_reply(event: dict[str, Any], context: BoltContext) -> None:
    """The role's first reply in the escalation thread goes back to the asker, once."""
    ctx = request_context(context)
    reply = plain_text(event.get("text") or "")[0]
    with ctx.unit_of_work() as session:
        found = escalations.find_by_thread(session, event["channel"], event["thread_ts"])
        if found is None or found.status != escalations.OPEN or event.get("user") == found.asker:
            return
        if not escalations.record_reply(session, found.id, event["user"], reply):
            return  # someone else's reply was first, at this instance or another
        policy = adopted_policy(session)
    lang = found.asker_language
    replier = mrkdwn.user(event["user"])
    lines = [say(lang, "asking.escalate.relay", role=found.role_name, replier=replier)]
    lines.append(quote_text(reply, 2500))
    if found.text and policy is not None:
        lines.append(say(lang, "asking.escalate.relay_question"))
        lines.append(quote_text(excerpt(masked(policy, found.text), 300), 400))
    link = ctx.lookup.permalink(event["channel"], event.get("ts"))
    if link:
        lines.append(mrkdwn.link(link, plain(lang, "asking.escalate.relay_link")))
    ctx.slack.direct_message(found.asker, mrkdwn.lines(lines), unfurl_links=False)
    ctx.slack.react(event["channel"], event["ts"], RELAYED_REACTION)  # the role sees it went on
