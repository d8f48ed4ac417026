"""Answers as Slack shows them: the verdict in the asker's language, each deciding rule quoted
in the policy's language with its evidence, whom to contact as a mention or link, the version,
and an "Ask <role>" button where the answer calls for one. Everything from the policy or the
asker is escaped; personal data in an echoed post is masked."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.asking import contacts, groups
from bot.asking.intents import CHECK, WHO
from bot.asking.masking import excerpt
from bot.asking.service import AdoptedPolicy, Answer, NoPolicy, adopted_policy, ask, masked
from handlers.blocks import Block, actions, button, context, section
from handlers.context import RequestContext
from handlers.slack_text import esc

log = logging.getLogger(__name__)

ESCALATE_ACTION = "asking_escalate"
MAX_RULES_SHOWN = 5


# ---- answering -----------------------------------------------------------------------------


def answer_question(
    ctx: RequestContext,
    client: WebClient,
    kind: str,
    text: str,
    source: str,
    origin: dict[str, str],
    post: str = "",
) -> tuple[str, list[Block]]:
    """Ask the core and render its answer in the asker's language: (fallback text, blocks)."""
    policy = adopted_policy(ctx.db)
    asked_groups = (
        groups_of_asker(ctx, client, policy, ctx.user_id or "") if policy is not None else {"all"}
    )
    result = ask(
        ctx.db,
        ctx.settings,
        kind=kind,
        text=text,
        groups=asked_groups,
        asker=ctx.user_id or "",
        source=source,
        language=ctx.lang,
        policy=policy,
    )
    if isinstance(result, NoPolicy):
        message = no_policy_text(ctx, result)
        return message, [section(message)]
    renderer = ContactRenderer(ctx, client)
    if result.kind == CHECK:
        blocks = check_blocks(ctx, result, renderer, post)
    elif result.kind == WHO:
        blocks = who_blocks(ctx, result, renderer)
    else:
        blocks = search_blocks(ctx, result, renderer)
    if result.offers_escalation and result.role:
        value = json.dumps({"q": result.question_id, "r": result.role["id"], **origin})
        label = ctx.t("asking.button.ask", role=result.role["name"])
        blocks.append(actions(button(label, ESCALATE_ACTION, value), block_id="asking_escalate"))
    return _fallback_text(blocks), blocks[:50]


def no_policy_text(ctx: RequestContext, result: NoPolicy) -> str:
    if not result.contacts:
        return ctx.t("asking.no_policy_nobody")
    names = [f"<@{user}>" for user in result.contacts[:5]]
    joined = names[-1]
    if len(names) > 1:
        joined = ", ".join(names[:-1]) + f" {ctx.t('asking.or')} " + joined
    return ctx.t("asking.no_policy", contacts=joined)


def _verdict_line(ctx: RequestContext, answer: Answer) -> str:
    role = esc(answer.role["name"]) if answer.role else "?"
    verdict = answer.verdict or "allowed"
    if not answer.covered:
        key = "asking.verdict.review_uncovered" if verdict == "review" else None
        return ctx.t(key or "asking.verdict.allowed_uncovered", role=role)
    if verdict == "review":
        return ctx.t("asking.verdict.review", role=role)
    return ctx.t(f"asking.verdict.{verdict}")


def _rule_blocks(ctx: RequestContext, rules: list[dict[str, Any]]) -> list[Block]:
    blocks: list[Block] = []
    for rule in rules[:MAX_RULES_SHOWN]:
        verdict = ctx.t(f"asking.verdict_name.{rule.get('verdict', 'allowed')}")
        lines = [ctx.t("asking.rule", id=esc(str(rule.get("id", ""))), verdict=verdict)]
        lines.append(quote_text(str(rule.get("text", "")), 1200))
        evidence = [str(e) for e in rule.get("evidence") or [] if str(e).strip()]
        if evidence:
            shown = ", ".join(f"“{esc(e[:80])}”" for e in evidence[:6])
            lines.append(ctx.t("asking.matched", evidence=shown))
        blocks.append(section("\n".join(lines)))
    if len(rules) > MAX_RULES_SHOWN:
        blocks.append(context(ctx.t("asking.more_rules", count=len(rules) - MAX_RULES_SHOWN)))
    return blocks


def quote_text(text: str, limit: int) -> str:
    cut = text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"
    return "\n".join("> " + esc(line) for line in cut.splitlines() or [""])


def _footer(ctx: RequestContext, answer: Answer, renderer: ContactRenderer) -> Block:
    parts = []
    if answer.role:
        contact = renderer.render(answer.role.get("contact", ""))
        parts.append(ctx.t("asking.contact", role=esc(answer.role["name"]), contact=contact))
    parts.append(ctx.t("asking.version", version=esc(answer.policy.label)))
    return context(" · ".join(parts))


def check_blocks(
    ctx: RequestContext, answer: Answer, renderer: ContactRenderer, post: str
) -> list[Block]:
    blocks = [section(_verdict_line(ctx, answer))]
    if post:
        shown = excerpt(masked(answer.policy, post), 400)
        blocks.append(context(ctx.t("asking.your_text") + "\n" + quote_text(shown, 500)))
    blocks += _rule_blocks(ctx, answer.rules)
    blocks.append(_footer(ctx, answer, renderer))
    return blocks


def who_blocks(ctx: RequestContext, answer: Answer, renderer: ContactRenderer) -> list[Block]:
    role = answer.role or {}
    name, handles = esc(role.get("name", "?")), esc(role.get("handles", ""))
    key = "asking.who.answer" if answer.covered else "asking.who.uncovered"
    lines = [ctx.t(key, role=name, handles=handles)]
    lines.append(ctx.t("asking.who.reach", contact=renderer.render(role.get("contact", ""))))
    blocks = [section("\n".join(lines))]
    if answer.rules:
        blocks.append(context(ctx.t("asking.who.related")))
        blocks += _rule_blocks(ctx, answer.rules[:3])
    blocks.append(context(ctx.t("asking.version", version=esc(answer.policy.label))))
    return blocks


def search_blocks(ctx: RequestContext, answer: Answer, renderer: ContactRenderer) -> list[Block]:
    passages = answer.data.get("passages") or []
    blocks: list[Block] = []
    if passages:
        blocks.append(section(ctx.t("asking.search.intro")))
        for passage in passages:
            title = esc(str(passage.get("title") or passage.get("section_id") or ""))
            body = quote_text(mrkdwn(str(passage.get("text", ""))), 700)
            blocks.append(section(f"*{title}*\n{body}" if title else body))
    else:
        blocks.append(section(ctx.t("asking.search.none")))
    role = answer.role or {}
    if role:
        offer = ctx.t("asking.search.offer", role=esc(role.get("name", "")))
        blocks.append(section(offer + " " + renderer.render(role.get("contact", ""))))
    blocks.append(context(ctx.t("asking.search.tip")))
    blocks.append(context(ctx.t("asking.version", version=esc(answer.policy.label))))
    return blocks


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def mrkdwn(markdown: str) -> str:
    """A policy paragraph (Markdown, hard-wrapped) as Slack mrkdwn: lines of one paragraph
    joined, list items kept on their own line, `**bold**` as `*bold*`."""
    lines: list[str] = []
    for line in markdown.splitlines():
        if lines and line.strip() and not _LIST_ITEM.match(line) and lines[-1].strip():
            lines[-1] = lines[-1].rstrip() + " " + line.strip()
        else:
            lines.append(line.strip())
    return _BOLD.sub(r"*\1*", "\n".join(lines))


def _fallback_text(blocks: list[Block]) -> str:
    """The notification text: the first section's words."""
    for block in blocks:
        if block.get("type") == "section":
            return str(block["text"]["text"])[:3000]
    return "policybot"


# ---- contacts, channels, user groups -------------------------------------------------------


class ContactRenderer:
    """Role contacts as Slack renders them: `<@U…>`, `<!subteam^S…>`, `<#C…>`, mailto links."""

    def __init__(self, ctx: RequestContext, client: WebClient) -> None:
        self.ctx, self.client = ctx, client

    def render(self, raw: str) -> str:
        contact = contacts.parse_contact(raw)
        if contact.kind == contacts.USER:
            return f"<@{contact.value}>"
        if contact.kind == contacts.USERGROUP:
            return f"<!subteam^{contact.value}>"
        if contact.kind == contacts.CHANNEL:
            channel_id = channel_id_for(self.ctx, self.client, contact.value)
            return f"<#{channel_id}>" if channel_id else esc("#" + contact.value)
        if contact.kind == contacts.HANDLE:
            group_id = usergroup_id_for(self.ctx, self.client, contact.value)
            return f"<!subteam^{group_id}>" if group_id else esc("@" + contact.value)
        if contact.kind == contacts.EMAIL:
            address = esc(contact.value)
            return f"<mailto:{address}|{address}>"
        return esc(contact.raw)


def channel_id_for(ctx: RequestContext, client: WebClient, name_or_id: str) -> str | None:
    """A channel's id from its name, as learned from earlier posts there (cached in the DB).

    Slack's `chat.postMessage` takes a `#name` and answers with the id; that is when the bot
    learns it. Until then the contact shows as plain `#name`, which people read just as well.
    """
    if contacts.is_channel_id(name_or_id) and name_or_id.isupper():
        return name_or_id
    known, channel_id = contacts.cached_id(ctx.db, "#" + name_or_id)
    return channel_id if known else None


def usergroup_id_for(ctx: RequestContext, client: WebClient, handle: str) -> str | None:
    """A user group's id from its `@handle`: cached, else one `usergroups.list`."""
    wanted = handle.lstrip("@").lower()
    known, group_id = contacts.cached_id(ctx.db, "@" + wanted)
    if known:
        return group_id
    try:
        listed = client.usergroups_list()
    except SlackApiError as error:
        log.info("usergroups.list failed: %s", error.response.get("error"))
        return None
    found: dict[str, str | None] = {
        "@" + str(g.get("handle", "")).lower(): str(g["id"])
        for g in listed.get("usergroups") or []
        if g.get("handle") and g.get("id")
    }
    found.setdefault("@" + wanted, None)
    contacts.remember_ids(ctx.db, found)
    return found["@" + wanted]


def groups_of_asker(
    ctx: RequestContext, client: WebClient, policy: AdoptedPolicy, user_id: str
) -> set[str]:
    """The asker's policy groups, from Slack user groups (cached in the database)."""
    if not policy.document.groups or not user_id:
        return {groups.EVERYONE}
    handles: dict[str, str] | None = None

    def lookup(reference: str) -> list[str] | None:
        nonlocal handles
        try:
            group_id: str | None = reference
            if reference.startswith("@"):
                if handles is None:  # one usergroups.list for every handle in this question
                    listed = client.usergroups_list()
                    handles = {
                        str(g.get("handle", "")).lower(): str(g["id"])
                        for g in listed.get("usergroups") or []
                    }
                group_id = handles.get(reference[1:].lower())
                if group_id is None:
                    return []  # no such user group: nobody is in it
            members = client.usergroups_users_list(usergroup=group_id)
            return [str(u) for u in members.get("users") or []]
        except SlackApiError as error:
            log.info("user group lookup for %s failed: %s", reference, error.response.get("error"))
            return None

    return groups.groups_of(ctx.db, policy.document.groups, user_id, lookup)
