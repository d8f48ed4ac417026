"""`/policy mine`: the asker's own latest questions, what the bot answered, and for each one
passed on to a role where that conversation stands, with a link to it in their own DM with
the bot (the only place a link goes: they can look there). Texts are the log's: masked."""

from __future__ import annotations

from bot.asking import escalations
from bot.asking.conversation import Activity
from bot.asking.escalations import EscalationView
from bot.asking.intents import CHECK, SEARCH, WHO
from bot.asking.masking import excerpt
from bot.asking.mine import MyQuestion, my_questions
from bot.asking.service import VERDICT_NAMES, AdoptedPolicy, adopted_policy
from bot.dates import format_date
from bot.vocabulary import Verdict
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, context, section
from handlers.kit.context import RequestContext
from handlers.kit.limits import BLOCKS_PER_MESSAGE
from handlers.kit.mrkdwn import Mrkdwn
from handlers.router import CommandCall

KIND_WORDS = {
    CHECK: "asking.mine.kind.check",
    WHO: "asking.mine.kind.who",
    SEARCH: "asking.mine.kind.search",
}


def run_mine(call: CommandCall) -> None:
    ctx = call.ctx
    with ctx.unit_of_work() as session:
        mine = my_questions(session, ctx.actor)
        policy = adopted_policy(session)
    if not mine.questions:
        call.reply(ctx.t("asking.mine.none"))
        return
    # The list speaks the language of their latest question: the one they showed they read,
    # which their Slack locale (never Dutch) often is not.
    ctx.speak(mine.questions[0].question.language)
    title = ctx.t("asking.mine.title")
    blocks: list[Block] = [section(title)]
    for asked in mine.questions:
        blocks.append(section(_question_line(ctx, asked, policy)))
    older = mine.total - len(mine.questions)
    if older > 0:
        blocks.append(context(ctx.t("asking.mine.older", count=older)))
    blocks.append(context(ctx.t("asking.mine.footer")))
    call.reply(title, blocks[:BLOCKS_PER_MESSAGE])


def _question_line(ctx: RequestContext, asked: MyQuestion, policy: AdoptedPolicy | None) -> Mrkdwn:
    question = asked.question
    text = (
        mrkdwn.fmt("“{}”", excerpt(question.text, 160))
        if question.text
        else ctx.t("asking.escalate.text_gone")
    )
    line = ctx.t(
        "asking.mine.line",
        date=format_date(question.asked_at, ctx.lang, ctx.settings.timezone),
        kind=ctx.t(KIND_WORDS.get(question.kind, KIND_WORDS[SEARCH])),
        text=text,
        answer=_answer(ctx, asked, policy),
    )
    if asked.escalation is None:
        return line
    return mrkdwn.lines([line, _conversation(ctx, asked.escalation, asked.activity)])


def _answer(ctx: RequestContext, asked: MyQuestion, policy: AdoptedPolicy | None) -> Mrkdwn:
    question = asked.question
    if question.policy_version is None:
        return ctx.t("asking.mine.answer.no_policy")
    if question.kind == CHECK and question.verdict:
        verdict = ctx.t(VERDICT_NAMES[Verdict(question.verdict)])
        if question.rule_ids:
            return ctx.t(
                "asking.mine.answer.check", verdict=verdict, rules=", ".join(question.rule_ids)
            )
        return ctx.t("asking.mine.answer.uncovered", verdict=verdict)
    if question.kind == WHO and question.role_id:
        role = policy.role(question.role_id) if policy is not None else None
        return ctx.t("asking.mine.answer.who", role=role.name if role else question.role_id)
    return ctx.t("asking.mine.answer.search")


def _conversation(ctx: RequestContext, row: EscalationView, activity: Activity) -> Mrkdwn:
    if row.status == escalations.ANSWERED:
        by = mrkdwn.user(row.answered_by) if row.answered_by else mrkdwn.EMPTY
        on = (
            format_date(row.answered_at, ctx.lang, ctx.settings.timezone)
            if row.answered_at
            else "?"
        )
        state = ctx.t("asking.mine.state.answered", role=row.role_name, by=by, date=on)
    elif activity.from_role:
        state = ctx.t("asking.mine.state.replied", role=row.role_name, count=activity.from_role)
    else:
        state = ctx.t("asking.mine.state.waiting", role=row.role_name)
    link = ctx.lookup.permalink(row.asker_channel, row.asker_thread_ts)  # their own DM
    if link is None:
        return state
    return mrkdwn.join(" · ", [state, mrkdwn.link(link, ctx.plain("asking.mine.conversation"))])
