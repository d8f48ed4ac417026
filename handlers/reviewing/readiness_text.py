"""What stands between the draft and adoption, in the lead's words: what must be fixed first
(the format is broken: adoption is refused) and what is not ready (the lead confirms it)."""

from __future__ import annotations

from bot.reviewing.readiness import (
    EMPTY_SECTIONS,
    NO_DECISIONS,
    PENDING_CONTRIBUTIONS,
    RULES_WITHOUT_ROLE,
    Unready,
)
from bot.reviewing.versions import NO_RULES, REVIEW_WITHOUT_ROLE, ROLE_WITHOUT_CONTACT, Problem
from handlers.kit import mrkdwn
from handlers.kit.context import RequestContext
from handlers.kit.mrkdwn import Mrkdwn, code

ITEMS_SHOWN = 25  # ids listed per line before "+N more"
ISSUES_SHOWN = 12


def items_list(ids: list[str] | tuple[str, ...], titles: dict[str, str] | None = None) -> Mrkdwn:
    """Ids (or the titles they stand for) as a short list: the first 25, and how many more."""
    names = [mrkdwn.esc(titles.get(i, i)) if titles else code(i) for i in ids[:ITEMS_SHOWN]]
    listed = mrkdwn.join(", ", names)
    return listed + f" (+{len(ids) - ITEMS_SHOWN})" if len(ids) > ITEMS_SHOWN else listed


def problems_text(ctx: RequestContext, problems: list[Problem]) -> Mrkdwn:
    """Why the draft cannot be adopted, one line per problem, in the lead's language."""
    lines = [ctx.t("reviewing.adopt_refused")]
    for problem in problems:
        if problem.code == NO_RULES:
            lines.append(ctx.t("reviewing.problem_no_rules"))
        elif problem.code == REVIEW_WITHOUT_ROLE:
            ids = items_list(problem.detail)
            lines.append(ctx.t("reviewing.problem_review_without_role", ids=ids))
        elif problem.code == ROLE_WITHOUT_CONTACT:
            ids = items_list(problem.detail)
            lines.append(ctx.t("reviewing.problem_role_without_contact", ids=ids))
        else:
            told = [i.in_language(ctx.lang) for i in problem.issues] or problem.detail
            shown_issues = [mrkdwn.fmt("    {}", code(issue)) for issue in told[:ISSUES_SHOWN]]
            if len(told) > ISSUES_SHOWN:
                more = ctx.t("reviewing.problems_more", count=len(told) - ISSUES_SHOWN)
                shown_issues.append(mrkdwn.fmt("    {}", more))
            lines.append(ctx.t("reviewing.problem_invalid", issues=mrkdwn.lines(shown_issues)))
    return mrkdwn.lines(lines)


def readiness_text(ctx: RequestContext, unready: list[Unready], titles: dict[str, str]) -> Mrkdwn:
    """What is not ready yet (adopting it needs the lead's explicit confirmation)."""
    lines = [ctx.t("reviewing.not_ready_title")]
    for item in unready:
        if item.code == PENDING_CONTRIBUTIONS:
            where = items_list(item.items, titles)
            lines.append(ctx.t("reviewing.unready_pending", count=item.count, sections=where))
        elif item.code == EMPTY_SECTIONS:
            where = items_list(item.items, titles)
            lines.append(ctx.t("reviewing.unready_empty", count=item.count, titles=where))
        elif item.code == RULES_WITHOUT_ROLE:
            ids = items_list(item.items)
            lines.append(ctx.t("reviewing.unready_roleless", count=item.count, ids=ids))
        elif item.code == NO_DECISIONS:
            lines.append(ctx.t("reviewing.unready_no_decisions"))
    return mrkdwn.lines(lines)
