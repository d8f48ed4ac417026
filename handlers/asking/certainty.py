"""How an answer was reached, said in Slack in the asker's language (interfaces.md,
`certainty`): matched on strong evidence; weak evidence (what was noticed and whom to ask,
never a confident *forbidden*: a noticed rule is shown as noticed, not with its verdict); a
language model's suggestion (which model, which rules it named); or not covered.

`bot.asking.certainty` decides which applies; this only words it, as the command line does.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.answering.answers import MODEL, WEAK
from bot.asking.certainty import HowSure, how_sure, noticed_quotes, outweighed
from bot.asking.intents import SEARCH, WHO
from bot.asking.service import VERDICT_NAMES, Answer, AnsweredRule
from bot.vocabulary import Verdict
from handlers.kit import mrkdwn
from handlers.kit.context import RequestContext
from handlers.kit.mrkdwn import Mrkdwn

# Search and "who handles this?" have no verdict; they say how they found what they show.
OTHER_KINDS = {
    (WHO, True): "asking.how.who_covered",
    (WHO, False): "answering.certainty.not_covered",
    (SEARCH, True): "asking.how.search",
    (SEARCH, False): "asking.how.search",
}


def how_sure_line(ctx: RequestContext, answer: Answer) -> Mrkdwn:
    """One line: how the answer was reached."""
    if answer.kind in (WHO, SEARCH):
        role = answer.role.name if answer.role else "?"
        return ctx.t(OTHER_KINDS[answer.kind, answer.covered], role=role)
    how = how_sure(answer.data)
    quoted = [mrkdwn.fmt("“{}”", e[:80]) for e in how.noticed]
    noticed = mrkdwn.join(", ", quoted) if quoted else ctx.t("answering.something")
    return ctx.t(
        how.key, noticed=noticed, rules=how.rule_list, role=how.role, model=how.model or "?"
    )


def rule_heading(ctx: RequestContext, rule: AnsweredRule, how: HowSure) -> Mrkdwn:
    """ "Rule R01 (forbidden)"; on weak evidence "Rule R05 (noticed)": a noticed rule does not
    show its own verdict, which the answer did not reach; a rule the model named says so."""
    if how.certainty == WEAK:
        return ctx.t("asking.rule_noticed", id=rule.id)
    verdict = ctx.t(VERDICT_NAMES[rule.verdict])
    if how.certainty == MODEL and rule.id in how.rules:
        return ctx.t("asking.rule_model", id=rule.id, verdict=verdict, model=how.model)
    return ctx.t("asking.rule", id=rule.id, verdict=verdict)


def evidence_line(ctx: RequestContext, rule: AnsweredRule, how: HowSure) -> Mrkdwn | None:
    if not rule.evidence:
        return None
    shown = _quoted(rule.evidence)
    key = "asking.noticed_evidence" if how.certainty == WEAK else "asking.matched"
    return ctx.t(key, evidence=shown)


def also_noticed(ctx: RequestContext, answer: Answer, how: HowSure) -> Mrkdwn | None:
    """Rules noticed on weak evidence besides those that decided (a sure answer's aside)."""
    if how.certainty == WEAK:
        return None  # then the noticed rules are the answer itself
    deciding = {rule.id for rule in answer.rules}
    items = []
    for noticed in answer.data.get("noticed") or []:
        rule_id = str(noticed.get("id") or "")
        if not rule_id or rule_id in deciding:
            continue
        quotes = noticed_quotes(answer.data, {rule_id})
        shown = _quoted(quotes)
        items.append(mrkdwn.fmt("{} ({})", shown, ctx.t("asking.rule_ref", id=rule_id)))
    if not items:
        return None
    return ctx.t("answering.noticed", items=mrkdwn.join("; ", items))


def outweighed_aside(ctx: RequestContext, answer: Answer) -> Mrkdwn | None:
    """A stricter rule that matched on the same words as the deciding one, which the question
    says more of: named with its verdict, so that the asker can tell which one their post is
    about."""
    items = [
        mrkdwn.fmt(
            "{} ({}, {})",
            _quoted(rule.quotes),
            ctx.t("asking.rule_ref", id=rule.rule),
            ctx.t(VERDICT_NAMES[Verdict(rule.verdict)]),
        )
        for rule in outweighed(answer.data)
    ]
    if not items:
        return None
    return ctx.t("answering.outweighed", items=mrkdwn.join("; ", items))


def _quoted(quotes: Sequence[str]) -> Mrkdwn:
    """Up to six quotes of the question, each cut at 80 characters, in typographic quotes."""
    return mrkdwn.join(", ", (mrkdwn.fmt("“{}”", q[:80]) for q in quotes[:6]))
