"""Answers as Slack shows them: the verdict in the asker's language and how it was reached
(`certainty`), each deciding rule quoted in the policy's language with its evidence, whom to
contact as a mention or link, the version, and an "Ask <role>" button where the answer calls
for one. Everything from the policy or the asker is escaped; personal data in an echoed post
is masked. The asker's own work phone and e-mail (their Slack profile) go to the engine, which
does not take them for someone else's personal data."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from bot import metrics
from bot.answering.answers import WEAK
from bot.asking.certainty import LONE_WORD, OUR_WORK, SIGN_OF_RISK, UNSURE, HowSure, how_sure
from bot.asking.groups import stale_references
from bot.asking.intents import CHECK, WHO
from bot.asking.masking import excerpt
from bot.asking.service import (
    Answer,
    AnsweredRule,
    NoPolicy,
    adopted_policy,
    ask,
    masked,
)
from bot.opinion.reconsider import Consultation, NeedsModel, Opinion
from bot.storage import Session
from bot.vocabulary import Verdict
from handlers.asking.certainty import (
    also_noticed,
    evidence_line,
    how_sure_line,
    outweighed_aside,
    rule_heading,
)
from handlers.asking.contacts import ContactRenderer
from handlers.asking.ids import ESCALATE_ACTION
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, actions, button, context, fallback_text, section
from handlers.kit.context import RequestContext
from handlers.kit.groups import Fetched, fetch_members, policy_groups, served
from handlers.kit.limits import BLOCKS_PER_MESSAGE
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.outside import Errand, OutsideFirst, first_outside
from handlers.kit.payloads import AskRole

T = TypeVar("T")
MAX_RULES_SHOWN = 5
# Slack shows nothing for a slash command until the answer comes; a model that may take
# longer than this (with the rules' own few milliseconds) gets a "working on it" first.
WORKING_NOTE_AFTER_MS = 2000

# What an answer says first: its verdict, and whether the policy covered the question.
VERDICT_LINES = {
    (Verdict.FORBIDDEN, True): "asking.verdict.forbidden",
    (Verdict.REVIEW, True): "asking.verdict.review",
    (Verdict.ALLOWED, True): "asking.verdict.allowed",
    (Verdict.REVIEW, False): "asking.verdict.review_uncovered",
    (Verdict.ALLOWED, False): "asking.verdict.allowed_uncovered",
    (Verdict.FORBIDDEN, False): "asking.verdict.allowed_uncovered",
}


@dataclass(frozen=True)
class Asked:
    """Where a question was asked, so "Ask ROLE" can link back to it."""

    channel: str | None = None
    ts: str | None = None


@dataclass(frozen=True)
class Reply:
    """An answer to post: its notification text and its blocks."""

    text: Mrkdwn
    blocks: list[Block]

    @classmethod
    def saying(cls, text: Mrkdwn) -> Reply:
        return cls(text, [section(text)])


@dataclass(frozen=True)
class Ahead:
    """What was asked outside the answer's unit of work, for the next run of its `work`
    (None: not asked yet): the stale groups' members from Slack, the model's opinion."""

    fetched: Fetched | None = None
    opinion: Opinion | None = None


@dataclass(frozen=True)
class SlackFacts(Errand[Ahead]):
    """The asker's profile (kept in the next unit of work) and the stale groups' members."""

    stale: tuple[str, ...]

    def run(self, ctx: RequestContext, ahead: Ahead) -> Ahead:
        ctx.know_profile()
        return replace(ahead, fetched=fetch_members(ctx.lookup, self.stale))


@dataclass(frozen=True)
class ModelOpinion(Errand[Ahead]):
    """The language model's opinion, after the note (if any) the asker hears meanwhile."""

    consultation: Consultation
    note: Callable[[], object] | None

    def run(self, ctx: RequestContext, ahead: Ahead) -> Ahead:
        if self.note is not None:
            ctx.at_once(self.note)
        return replace(ahead, opinion=self.consultation.ask())


# Each errand above fills its own field of `Ahead` and is raised only while that field is
# None, Slack's before the engine runs and the model's within it: at most Slack's facts, the
# model's opinion, and the answer.
RUNS = 3


def answering(ctx: RequestContext, work: Callable[[Session, Ahead], T]) -> T:
    """`work` (which answers with `answer_question`, given the session and `ahead`) in the
    request's unit of work, which asks neither Slack nor a language model: on SQLite, once
    it has written (a group's members cached, the question's log) it holds the writer turn
    every other request's write waits for, another person's ack included; on PostgreSQL a
    transaction and a connection. Mostly everything is stored and `work` runs once. When it
    is not, `answer_question` raises `OutsideFirst` (`kit.outside`) with what to ask: that
    unit of work ends, rolled back; Slack is asked, outside any transaction, for the asker's
    profile (kept) and the stale groups' members, or the model is (after the note that it
    is working on it); and `work` runs again in a new unit of work, given what they said."""
    return first_outside(ctx, work, Ahead(), RUNS)


def answer_question(
    ctx: RequestContext,
    session: Session,
    kind: str,
    text: str,
    source: str,
    asked: Asked,
    post: str = "",
    while_waiting: Callable[[], object] | None = None,
    ahead: Ahead | None = None,
) -> Reply:
    """Ask the core and render its answer in the asker's language, in `session`: the unit of
    work `answering` opened.

    `while_waiting` is called when a language model is about to be asked and may take longer
    than Slack's three seconds (`WORKING_NOTE_AFTER_MS`), so the asker hears it is on its way.

    Called in `answering`'s unit of work, which asks neither Slack nor the model: when the
    asker's profile is not stored, or a policy group's cached members are stale (Slack not
    asked yet), it raises `OutsideFirst(SlackFacts)` before it writes anything; when the
    model must be asked (no opinion given yet), `OutsideFirst(ModelOpinion)` before the
    question's log. The role's contact is rendered from what is stored (`ContactRenderer`
    asks Slack nothing)."""
    ahead = ahead or Ahead()
    fetched = ahead.fetched
    slow = ctx.settings.llm_timeout_ms > WORKING_NOTE_AFTER_MS
    note = while_waiting if slow else None
    policy = adopted_policy(session)
    listed = list(policy.document.groups) if policy is not None else []
    if fetched is None:
        known, stale = ctx.profile_known(), stale_references(session, listed)
        if stale or not known:
            raise OutsideFirst(SlackFacts(tuple(stale)))
    groups = policy_groups(session, served(fetched or {}), listed, ctx.actor)
    try:
        result = ask(
            session,
            ctx.settings,
            kind=kind,
            text=text,
            groups=groups,
            asker=ctx.actor,
            source=source,
            language=ctx.lang,
            policy=policy,
            own_contacts=ctx.own_contacts,
            opinion=ahead.opinion,
            model_first=True,
            asked_in=(asked.channel, asked.ts),
        )
    except NeedsModel as needed:
        raise OutsideFirst(ModelOpinion(needed.consultation, note)) from None
    if isinstance(result, NoPolicy):
        return Reply.saying(no_policy_text(ctx, result))
    renderer = ContactRenderer(session)
    if result.kind == CHECK:
        metrics.answers.labels(verdict=str(result.verdict or Verdict.ALLOWED)).inc()
    if result.kind == CHECK:
        blocks = check_blocks(ctx, result, renderer, post)
    elif result.kind == WHO:
        blocks = who_blocks(ctx, result, renderer)
    else:
        blocks = search_blocks(ctx, result, renderer)
    role = result.role
    if result.offers_escalation and role is not None:
        value = AskRole(result.question_id).encode()  # the rest is in the question's record
        label = ctx.plain("asking.button.ask", role=role.name)
        blocks.append(actions(button(label, ESCALATE_ACTION, value), block_id=ESCALATE_ACTION))
    return Reply(fallback_text(blocks), blocks[:BLOCKS_PER_MESSAGE])


def no_policy_text(ctx: RequestContext, result: NoPolicy) -> Mrkdwn:
    if not result.contacts:
        return ctx.t("asking.no_policy_nobody")
    names = [mrkdwn.user(user) for user in result.contacts[:5]]
    joined = names[-1]
    if len(names) > 1:
        joined = mrkdwn.fmt("{} {} {}", mrkdwn.join(", ", names[:-1]), ctx.t("asking.or"), joined)
    return ctx.t("asking.no_policy", contacts=joined)


# An answer no rule decided, made *review* by what was noticed: a sign of risk, or the post
# being about the work (policy-format.md, "Signs of risk when no rule applies"), or by nothing
# showing it plainly fine ("A post no rule covers and nothing shows to be fine"); or left
# *allowed* by the default with a lone word noticed ("A lone word, noticed").
_NO_RULE_BUT = {
    SIGN_OF_RISK: "asking.verdict.cue",
    OUR_WORK: "asking.verdict.our_work",
    UNSURE: "asking.verdict.unsure",
    LONE_WORD: "asking.verdict.lone_word",
}


def _verdict_line(ctx: RequestContext, answer: Answer, how: HowSure) -> Mrkdwn:
    found = answer.role  # each read makes the role from the answer's JSON
    role = found.name if found else "?"
    if how.key in _NO_RULE_BUT:  # no rule: a sign of risk only (policy-format.md)
        return ctx.t(_NO_RULE_BUT[how.key], role=role)
    if how.certainty == WEAK:  # never a confident verdict on what was only noticed
        return ctx.t("asking.verdict.weak", role=role)
    verdict = Verdict(answer.verdict or Verdict.ALLOWED)
    return ctx.t(VERDICT_LINES[verdict, answer.covered], role=role)


def _rule_blocks(ctx: RequestContext, rules: list[AnsweredRule], how: HowSure) -> list[Block]:
    blocks: list[Block] = []
    for rule in rules[:MAX_RULES_SHOWN]:
        lines = [rule_heading(ctx, rule, how), quote_text(rule.text, 1200)]
        evidence = evidence_line(ctx, rule, how)
        if evidence is not None:
            lines.append(evidence)
        blocks.append(section(mrkdwn.lines(lines)))
    if len(rules) > MAX_RULES_SHOWN:
        blocks.append(context(ctx.t("asking.more_rules", count=len(rules) - MAX_RULES_SHOWN)))
    return blocks


def quote_text(text: str, limit: int) -> Mrkdwn:
    cut = text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"
    return mrkdwn.quote(cut)


def _footer(ctx: RequestContext, answer: Answer, renderer: ContactRenderer) -> Block:
    parts = []
    role = answer.role  # each read makes the role from the answer's JSON
    if role:
        contact = renderer.render(role.contact)
        parts.append(ctx.t("asking.contact", role=role.name, contact=contact))
    parts.append(ctx.t("asking.version", version=answer.policy.label))
    return context(mrkdwn.join(" · ", parts))


def check_blocks(
    ctx: RequestContext, answer: Answer, renderer: ContactRenderer, post: str
) -> list[Block]:
    how = how_sure(answer.data)
    blocks = [section(_verdict_line(ctx, answer, how)), context(how_sure_line(ctx, answer))]
    crisis = answer.data.get("crisis")
    if crisis:  # crisis mode: at least review, by the crisis role; say why
        reason = str(crisis.get("reason") or "") or ctx.plain("living.crisis.no_reason")
        blocks.insert(1, context(ctx.t("living.crisis.answer_note", reason=reason)))
    if post:
        shown = excerpt(masked(answer.policy, post), 400)
        blocks.append(context(mrkdwn.lines([ctx.t("asking.your_text"), quote_text(shown, 500)])))
    blocks += _rule_blocks(ctx, answer.rules, how)
    for aside in (outweighed_aside(ctx, answer), also_noticed(ctx, answer, how)):
        if aside is not None:
            blocks.append(context(aside))
    blocks.append(_footer(ctx, answer, renderer))
    return blocks


def who_blocks(ctx: RequestContext, answer: Answer, renderer: ContactRenderer) -> list[Block]:
    role = answer.role
    name, handles = (role.name, role.handles) if role else ("?", "")
    key = "asking.who.answer" if answer.covered else "asking.who.uncovered"
    reach = ctx.t("asking.who.reach", contact=renderer.render(role.contact if role else ""))
    blocks = [section(mrkdwn.lines([ctx.t(key, role=name, handles=handles), reach]))]
    blocks.append(context(how_sure_line(ctx, answer)))
    if answer.rules:
        blocks.append(context(ctx.t("asking.who.related")))
        blocks += _rule_blocks(ctx, answer.rules[:3], how_sure(answer.data))
    blocks.append(context(ctx.t("asking.version", version=answer.policy.label)))
    return blocks


def search_blocks(ctx: RequestContext, answer: Answer, renderer: ContactRenderer) -> list[Block]:
    blocks: list[Block] = []
    if answer.passages:
        blocks.append(section(ctx.t("asking.search.intro")))
        for passage in answer.passages:
            body = quote_text(policy_markdown(passage.text), 700)
            blocks.append(
                section(mrkdwn.fmt("*{}*\n{}", passage.title, body) if passage.title else body)
            )
    else:
        blocks.append(section(ctx.t("asking.search.none")))
    blocks.append(context(how_sure_line(ctx, answer)))
    role = answer.role
    if role:
        offer = ctx.t("asking.search.offer", role=role.name)
        blocks.append(section(mrkdwn.fmt("{} {}", offer, renderer.render(role.contact))))
    blocks.append(context(ctx.t("asking.search.tip")))
    blocks.append(context(ctx.t("asking.version", version=answer.policy.label)))
    return blocks


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def policy_markdown(markdown: str) -> str:
    """A policy paragraph (Markdown, hard-wrapped) as Slack would read it: lines of one
    paragraph joined, list items kept on their own line, `**bold**` as `*bold*`."""
    lines: list[str] = []
    for line in markdown.splitlines():
        if lines and line.strip() and not _LIST_ITEM.match(line) and lines[-1].strip():
            lines[-1] = lines[-1].rstrip() + " " + line.strip()
        else:
            lines.append(line.strip())
    return _BOLD.sub(r"*\1*", "\n".join(lines))
