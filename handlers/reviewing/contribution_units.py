"""The contributions on a section's review page, question by question.

Each question with answers waiting shows how many, with "Accept all" when there are several.
Each answer shows who wrote it, where it stands, what it proposes (rules, roles, standard
rules) and what of it is in the draft, with the buttons that decide on it: accept or reject
at once, or with a comment for the author (the "⋯" menu, which also edits a proposed rule
into the draft); a decided answer can be undone or decided the other way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from bot.drafting.rule_library import library_rule
from bot.drafting.template import load_template
from bot.reviewing import review
from bot.reviewing.contributions import ACCEPTED, PENDING, REJECTED, ContributionItem
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, actions, button, context, divider, overflow, section
from handlers.kit.context import RequestContext
from handlers.kit.mrkdwn import Mrkdwn, shown
from handlers.kit.payloads import Decide, ProposedRule, QuestionAccept
from handlers.reviewing.ids import ACCEPT, ACCEPT_ALL, DECIDE_MORE, REJECT, RESET

Unit = list[Block]

STATES = {
    PENDING: "reviewing.state_pending",
    ACCEPTED: "reviewing.state_accepted",
    REJECTED: "reviewing.state_rejected",
}
VERDICTS = {
    "forbidden": "reviewing.doc.verdict_forbidden",
    "review": "reviewing.doc.verdict_review",
    "allowed": "reviewing.doc.verdict_allowed",
}
RULES_EDITED_IN = 3  # proposed rules offered to "edit into the draft" in the menu
PROPOSALS_SHOWN = 10


def contribution_units(
    ctx: RequestContext, found: review.SectionReview, people: Collection[str] = ()
) -> list[Callable[[int], Unit]]:
    """`people`: the `@U…` the bot has met, shown as mentions (any other stays text)."""
    section_id = found.section.id
    waiting = sum(1 for c in found.contributions if c.review == PENDING)
    title = ctx.t(
        "reviewing.contributions_title",
        contributions=ctx.t("common.contributions", count=len(found.contributions)),
        waiting=waiting,
    )
    units: list[Callable[[int], Unit]] = [lambda page: [divider(), section(title)]]
    if not found.contributions:
        units.append(lambda page: [context(ctx.t("reviewing.no_contributions"))])
        return units
    prompts = {q.id: q.prompt.get(ctx.lang) for q in load_template().questions}
    question_id = None
    for item in found.contributions:
        if item.question_id != question_id:
            question_id = item.question_id
            prompt = prompts.get(question_id, question_id)
            units.append(
                _question_unit(ctx, section_id, question_id, prompt, found.pending(question_id))
            )
        units.append(_contribution_unit(ctx, item, section_id, people))
    return units


def _question_unit(
    ctx: RequestContext, section_id: str, question_id: str, prompt: str, waiting: int
) -> Callable[[int], Unit]:
    line = ctx.t("reviewing.question_line", question=prompt, waiting=waiting)

    def unit(page: int) -> Unit:
        if waiting < 2:
            return [section(line)]
        value = QuestionAccept(section_id, question_id, page).encode()
        label = ctx.plain("reviewing.button_accept_all", count=waiting)
        return [section(line, button(label, ACCEPT_ALL, value, style="primary"))]

    return unit


def _contribution_unit(
    ctx: RequestContext, item: ContributionItem, section_id: str, people: Collection[str]
) -> Callable[[int], Unit]:
    changed = (
        ctx.t("reviewing.changed_since_accepted") if item.changed_since_accepted else mrkdwn.EMPTY
    )
    line = ctx.t(
        "reviewing.contribution",
        state=ctx.t(STATES[item.review]),
        author=mrkdwn.user(item.author),
        changed=changed,
        text=shown(item.text.strip(), 2500, people),
    )
    details = proposals_text(ctx, item)

    def unit(page: int) -> Unit:
        blocks = [section(line)]
        if details:
            blocks.append(context(details))
        blocks.append(
            actions(*_buttons(ctx, item, section_id, page), block_id=f"review_c_{item.id}")
        )
        return blocks

    return unit


def _buttons(
    ctx: RequestContext, item: ContributionItem, section_id: str, page: int
) -> list[Block]:
    def decide(decision: str, note: bool = False) -> str:
        return Decide(item.id, decision, section_id, page, note).encode()

    accept = button(ctx.plain("reviewing.button_accept"), ACCEPT, decide(ACCEPTED), "primary")
    reject = button(ctx.plain("reviewing.button_reject"), REJECT, decide(REJECTED), "danger")
    reset = button(ctx.plain("reviewing.button_reset"), RESET, decide(PENDING))
    if item.review == ACCEPTED:
        shown_buttons = [reset, reject]
    elif item.review == REJECTED:
        shown_buttons = [reset, accept]
    else:
        shown_buttons = [accept, reject]
    menu = [
        (ctx.plain("reviewing.menu_accept_note"), decide(ACCEPTED, note=True)),
        (ctx.plain("reviewing.menu_reject_note"), decide(REJECTED, note=True)),
    ]
    if item.review != PENDING:  # a comment on the decision as it stands comes first
        same = ACCEPTED if item.review == ACCEPTED else REJECTED
        menu = [(ctx.plain("reviewing.menu_comment"), decide(same, note=True))] + [
            choice for choice in menu if Decide.decode(choice[1]).decision != same
        ]
    if item.review == PENDING:
        for line in range(min(len(item.proposed_rules), RULES_EDITED_IN)):
            label = ctx.plain("reviewing.menu_edit_in", number=line + 1)
            menu.append((label, ProposedRule(item.id, line, section_id, page).encode()))
    return [*shown_buttons, overflow(DECIDE_MORE, menu)]


def proposals_text(ctx: RequestContext, item: ContributionItem) -> Mrkdwn:
    """What the answer proposes, and what of it is in the draft: empty for plain text."""
    lines: list[Mrkdwn] = []
    for number, rule in enumerate(item.proposed_rules[:PROPOSALS_SHOWN], start=1):
        extra = []
        if rule.examples:
            extra.append(ctx.t("reviewing.proposed_example", text=rule.examples[0]))
        if rule.not_examples:
            extra.append(ctx.t("reviewing.proposed_not_example", text=rule.not_examples[0]))
        lines.append(
            ctx.t(
                "reviewing.proposed_rule",
                number=number,
                verdict=ctx.t(VERDICTS.get(rule.verdict, VERDICTS["review"])),
                text=rule.text[:300],
                extra=mrkdwn.join("", extra),
            )
        )
    for role in item.proposed_roles[:PROPOSALS_SHOWN]:
        who = role.contact or role.who
        lines.append(ctx.t("reviewing.proposed_role", topic=role.topic[:200], who=who[:100]))
    titles = [_library_title(i, ctx.lang) for i in item.proposed_options[:PROPOSALS_SHOWN]]
    if titles:
        lines.append(ctx.t("reviewing.proposed_library", titles=", ".join(titles)))
    if item.in_draft:
        lines.append(
            ctx.t("reviewing.in_draft", ids=mrkdwn.join(", ", map(mrkdwn.code, item.in_draft)))
        )
    return mrkdwn.lines(lines)


def _library_title(library_id: str, lang: str) -> str:
    try:
        return library_rule(library_id).title.get(lang)
    except KeyError:
        return library_id
