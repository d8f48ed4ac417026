"""Escalation: "Ask <role>" posts the question, with the asker and a link, to the role's contact
(a channel, a person's DM, a user group), tells the asker where it went, and relays the role's
first reply in that thread back to the asker.

Listener matcher (exact, for the drafting capability to exclude): a `message` event with a
`thread_ts` different from its `ts`, subtype None or `thread_broadcast`, from a person (no
`bot_id`, not the bot user), whose (channel, thread_ts) is an escalation post
(`Escalation.posted_channel`, `Escalation.posted_ts`) and not a `DraftingSession` thread.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.asking import contacts, escalations, question_log
from bot.asking.intents import CHECK, SEARCH, WHO
from bot.asking.masking import excerpt
from bot.asking.service import AdoptedPolicy, adopted_policy, masked
from bot.i18n import t
from bot.storage.models.drafting import DraftingSession
from handlers.asking_answers import ContactRenderer, channel_id_for, quote_text, usergroup_id_for
from handlers.context import RequestContext, request_context
from handlers.drafting_markup import plain_text
from handlers.slack_text import esc

log = logging.getLogger(__name__)

MAX_GROUP_MEMBERS_MESSAGED = 8  # a group DM holds at most 8 people besides the bot


def in_drafting_thread(ctx: RequestContext, channel: str, thread_ts: str | None) -> bool:
    if not thread_ts:
        return False
    with ctx.db.session() as session:
        found = session.scalar(
            select(DraftingSession.id)
            .where(DraftingSession.channel == channel, DraftingSession.thread_ts == thread_ts)
            .limit(1)
        )
    return found is not None


def from_a_person(event: dict[str, Any], context: BoltContext) -> bool:
    user = event.get("user")
    return bool(user) and not event.get("bot_id") and user != context.bot_user_id


def is_escalation_reply(event: dict[str, Any], context: BoltContext) -> bool:
    """A person's reply in the thread of an escalation post (never a drafting thread)."""
    thread_ts, channel = event.get("thread_ts"), event.get("channel")
    if not thread_ts or not channel or thread_ts == event.get("ts"):
        return False
    if event.get("subtype") not in (None, "thread_broadcast") or not from_a_person(event, context):
        return False
    ctx = request_context(context)
    if not escalations.is_escalation_thread(ctx.db, channel, thread_ts):
        return False
    return not in_drafting_thread(ctx, channel, thread_ts)


# ---- escalation ----------------------------------------------------------------------------


def escalate(
    ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    """The "Ask <role>" button: post the question to the role's contact, tell the asker where."""
    ack()
    ctx = request_context(context)
    try:
        value = json.loads((body.get("actions") or [{}])[0].get("value") or "{}")
        _escalate(ctx, client, respond, value)
    except Exception:
        log.exception("escalating failed")
        respond_privately(respond, ctx.t("asking.failed"))


def respond_privately(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)


def _escalate(
    ctx: RequestContext, client: WebClient, respond: Respond, value: dict[str, Any]
) -> None:
    question = question_log.get_question(ctx.db, int(value.get("q") or 0))
    policy = adopted_policy(ctx.db)
    if question is None or policy is None:
        respond_privately(respond, ctx.t("asking.escalate.gone"))
        return
    if question.asker != ctx.user_id:
        respond_privately(respond, ctx.t("asking.escalate.not_yours"))
        return
    role = policy.role(str(value.get("r") or "")) or policy.default_role
    if role is None:
        respond_privately(respond, ctx.t("asking.escalate.gone"))
        return
    renderer = ContactRenderer(ctx, client)
    existing = escalations.for_question(ctx.db, question.id)
    if existing is not None:
        where = _where(ctx, existing.posted_channel or "", _Target.seen_in(existing))
        respond_privately(
            respond, ctx.t("asking.escalate.already", role=esc(role["name"]), where=where)
        )
        return
    target = _target_for(ctx, client, policy, role)
    if target is None:
        contact = renderer.render(role["contact"])
        key = (
            "asking.escalate.email"
            if contacts.parse_contact(role["contact"]).kind == contacts.EMAIL
            else "asking.escalate.failed"
        )
        respond_privately(respond, ctx.t(key, role=esc(role["name"]), contact=contact))
        return
    origin_channel, origin_ts = value.get("c"), value.get("t")
    link = permalink_of(client, origin_channel, origin_ts)
    escalation_id = escalations.open_escalation(
        ctx.db,
        question_id=question.id,
        asker=question.asker,
        asker_language=ctx.lang,
        text=question.text,
        kind=question.kind,
        verdict=question.verdict,
        rule_ids=question.rule_ids,
        policy_version=question.policy_version,
        role_id=role["id"],
        role_name=role["name"],
        contact=role["contact"],
        origin_channel=origin_channel,
        origin_ts=origin_ts,
        origin_link=link,
    )
    lang = policy.language  # the role reads the organisation's language
    text = _escalation_post(lang, policy, question, role, target, link, renderer)
    try:
        posted = client.chat_postMessage(channel=target.channel, text=text, unfurl_links=False)
    except SlackApiError as error:
        reason = str(error.response.get("error"))
        escalations.mark_failed(ctx.db, escalation_id, reason)
        contact = renderer.render(role["contact"])
        respond_privately(
            respond, ctx.t("asking.escalate.failed", role=esc(role["name"]), contact=contact)
        )
        return
    escalations.mark_posted(ctx.db, escalation_id, posted["channel"], posted["ts"])
    if target.channel.startswith("#"):  # now we know the channel's id: links from here on
        contacts.remember_ids(ctx.db, {target.channel: posted["channel"]})
    where = _where(ctx, posted["channel"], target)
    respond_privately(respond, ctx.t("asking.escalate.sent", role=esc(role["name"]), where=where))


@dataclass
class _Target:
    """Where an escalation goes: a channel (by id or `#name`), a person's DM, or a group DM."""

    channel: str
    kind: str  # channel | person | group
    mention: str = ""  # the person or user group, as a Slack mention
    via_email: str = ""  # set when the role itself is only reachable by e-mail

    @classmethod
    def seen_in(cls, row: escalations.EscalationView) -> _Target:
        """What an earlier escalation's channel was: a DM (D…), a group DM (G…) or a channel."""
        channel = row.posted_channel or ""
        contact = contacts.parse_contact(row.contact)
        if channel.startswith("D") and contact.kind == contacts.USER:
            return cls(channel, "person", mention=f"<@{contact.value}>")
        if channel.startswith("G") and contact.kind == contacts.USERGROUP:
            return cls(channel, "group", mention=f"<!subteam^{contact.value}>")
        return cls(channel, "channel")


def _target_for(
    ctx: RequestContext, client: WebClient, policy: AdoptedPolicy, role: dict[str, str]
) -> _Target | None:
    """Where a question for `role` is posted.

    - `#channel`: that channel.
    - a person: a direct message from the bot (conversations.open).
    - a user group: the default role's channel with the group mentioned, so the whole group
      sees it and one thread holds the answer; without such a channel, a group DM with up to
      eight of its members.
    - an e-mail address: the default role's Slack contact, with a note to pass it on; the bot
      sends no e-mail. None when the default role cannot be reached in Slack either.
    """
    contact = contacts.parse_contact(role["contact"])
    if contact.kind == contacts.CHANNEL:
        channel_id = channel_id_for(ctx, client, contact.value)
        return _Target(channel_id or "#" + contact.value, "channel")
    if contact.kind == contacts.USER:
        try:
            opened = client.conversations_open(users=contact.value)
        except SlackApiError as error:
            log.info("conversations.open failed: %s", error.response.get("error"))
            return None
        return _Target(opened["channel"]["id"], "person", mention=f"<@{contact.value}>")
    if contact.kind in (contacts.USERGROUP, contacts.HANDLE):
        group_id = (
            contact.value
            if contact.kind == contacts.USERGROUP
            else usergroup_id_for(ctx, client, contact.value)
        )
        if group_id is None:
            return None
        mention = f"<!subteam^{group_id}>"
        fallback = _default_channel(ctx, client, policy, role)
        if fallback is not None:
            return _Target(fallback, "channel", mention=mention)
        try:
            members = client.usergroups_users_list(usergroup=group_id).get("users") or []
            if not members:
                return None
            opened = client.conversations_open(users=",".join(members[:MAX_GROUP_MEMBERS_MESSAGED]))
        except SlackApiError as error:
            log.info("reaching user group %s failed: %s", group_id, error.response.get("error"))
            return None
        return _Target(opened["channel"]["id"], "group", mention=mention)
    if contact.kind == contacts.EMAIL:
        default = policy.default_role
        if default is None or default["id"] == role["id"]:
            return None
        fallback = _target_for(ctx, client, policy, default)
        if fallback is not None:
            fallback.via_email = contact.value
        return fallback
    return None


def _default_channel(
    ctx: RequestContext, client: WebClient, policy: AdoptedPolicy, role: dict[str, str]
) -> str | None:
    default = policy.default_role
    if default is None or default["id"] == role["id"]:
        return None
    contact = contacts.parse_contact(default["contact"])
    if contact.kind != contacts.CHANNEL:
        return None
    return channel_id_for(ctx, client, contact.value) or "#" + contact.value


def permalink_of(client: WebClient, channel: str | None, ts: str | None) -> str | None:
    if not channel or not ts:
        return None
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
    except SlackApiError as error:
        log.info("chat.getPermalink failed: %s", error.response.get("error"))
        return None


def _escalation_post(
    lang: str,
    policy: AdoptedPolicy,
    question: question_log.LoggedQuestion,
    role: dict[str, str],
    target: _Target,
    link: str | None,
    renderer: ContactRenderer,
) -> str:
    asker = f"<@{question.asker}>"
    lines = [t(lang, "asking.escalate.post_title", role=esc(role["name"]), asker=asker)]
    if target.mention and target.kind != "person":
        lines.append(t(lang, "asking.escalate.post_group", group=target.mention))
    if target.via_email:
        contact = renderer.render(target.via_email)
        lines.append(
            t(lang, "asking.escalate.post_for_email", role=esc(role["name"]), contact=contact)
        )
    kind = question.kind if question.kind in (CHECK, WHO, SEARCH) else SEARCH
    lines.append(t(lang, f"asking.escalate.kind.{kind}"))
    if question.text:
        lines.append(quote_text(excerpt(masked(policy, question.text), 2000), 2100))
    else:
        lines.append(t(lang, "asking.escalate.text_gone"))
    version = esc(question.policy_version or "?")
    if question.kind == CHECK and question.verdict and question.rule_ids:
        rules = t(lang, "asking.escalate.rules", rules=", ".join(esc(r) for r in question.rule_ids))
        verdict = t(lang, f"asking.verdict_name.{question.verdict}")
        lines.append(
            t(lang, "asking.escalate.bot_said", verdict=verdict, rules=rules, version=version)
        )
    elif not question.covered:
        lines.append(t(lang, "asking.escalate.bot_said_uncovered", version=version))
    if link:
        lines.append(t(lang, "asking.escalate.link", link=link))
    lines.append(t(lang, "asking.escalate.reply_here", asker=asker))
    return "\n".join(lines)


def _where(ctx: RequestContext, channel: str, target: Any) -> str:
    kind = getattr(target, "kind", "channel")
    if kind == "person":
        return ctx.t("asking.where.person", person=getattr(target, "mention", ""))
    if kind == "group":
        return ctx.t("asking.where.group", group=getattr(target, "mention", ""))
    shown = f"<#{channel}>" if contacts.is_channel_id(channel) else esc(channel)
    return ctx.t("asking.where.channel", channel=shown)


def relay_escalation_reply(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """The role's first reply in the escalation thread goes back to the asker, once."""
    ctx = request_context(context)
    found = escalations.find_by_thread(ctx.db, event["channel"], event["thread_ts"])
    if found is None or found.status != escalations.OPEN or event.get("user") == found.asker:
        return
    reply = plain_text(event.get("text") or "")[0]
    if not escalations.record_reply(ctx.db, found.id, event["user"], reply):
        return  # someone else's reply was first, at this instance or another
    lang = found.asker_language
    lines = [
        t(lang, "asking.escalate.relay", role=esc(found.role_name), replier=f"<@{event['user']}>")
    ]
    lines.append(quote_text(reply, 2500))
    policy = adopted_policy(ctx.db)
    if found.text and policy is not None:
        lines.append(t(lang, "asking.escalate.relay_question"))
        lines.append(quote_text(excerpt(masked(policy, found.text), 300), 400))
    link = permalink_of(client, event["channel"], event.get("ts"))
    if link:
        lines.append(t(lang, "asking.escalate.relay_link", link=link))
    dm = client.conversations_open(users=found.asker)
    client.chat_postMessage(channel=dm["channel"]["id"], text="\n".join(lines), unfurl_links=False)
    try:  # show the role that their answer went on
        client.reactions_add(channel=event["channel"], timestamp=event["ts"], name="outbox_tray")
    except SlackApiError as error:
        log.info("reactions.add failed: %s", error.response.get("error"))
