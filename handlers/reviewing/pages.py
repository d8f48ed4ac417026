"""`/policy review [SECTION]` as the lead sees it: the overview of every section, and one
section's review page by page.

A section's page shows its consolidated text with an "edit text" button (a modal prefilled
with the accepted contributions in question order), its contributions with accept/reject
buttons, and its draft rules and roles with edit/remove buttons. Every button's value names
the page it is on, so a click shows that page again as it now stands.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from bot.drafting.template import load_template
from bot.i18n import words
from bot.reviewing import review
from bot.reviewing.contributions import ACCEPTED, PENDING, REJECTED
from bot.reviewing.versions import NO_RULES, REVIEW_WITHOUT_ROLE, Problem
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, actions, button, context, divider, header, section
from handlers.kit.context import RequestContext
from handlers.kit.limits import BLOCKS_PER_MESSAGE
from handlers.kit.mrkdwn import Mrkdwn, code, shown
from handlers.kit.payloads import ContributionRef, ReviewPage, RoleRef, RuleRef
from handlers.reviewing.forms import VERDICT_WORDS
from handlers.router import CommandCall

OPEN, PAGE_BACK, PAGE_NEXT = "review_open", "review_page_back", "review_page_next"
ACCEPT, REJECT, RESET = "review_accept", "review_reject", "review_reset"
EDIT_TEXT, PREFILL = "review_edit_text", "review_prefill"
RULE_ADD, RULE_EDIT, RULE_REMOVE = "review_rule_add", "review_rule_edit", "review_rule_remove"
ROLE_ADD, ROLE_EDIT, ROLE_REMOVE = "review_role_add", "review_role_edit", "review_role_remove"
SETTINGS, GROUPS = "review_settings", "review_groups"
STATES = {
    PENDING: "reviewing.state_pending",
    ACCEPTED: "reviewing.state_accepted",
    REJECTED: "reviewing.state_rejected",
}
SECTIONS_SHOWN = 40
ITEMS_SHOWN = 25  # ids listed per line before "+N more"

# A review page is made of units: blocks that stay together (an item and its buttons).
Unit = list[Block]


def problems_text(ctx: RequestContext, problems: list[Problem], limit: int = 12) -> Mrkdwn:
    """Why the draft cannot be adopted, one line per problem."""
    lines = [ctx.t("reviewing.adopt_refused")]
    for problem in problems:
        if problem.code == NO_RULES:
            lines.append(ctx.t("reviewing.problem_no_rules"))
        elif problem.code == REVIEW_WITHOUT_ROLE:
            ids = items_list(problem.detail)
            lines.append(ctx.t("reviewing.problem_review_without_role", ids=ids))
        else:
            shown_issues = [mrkdwn.fmt("    {}", code(issue)) for issue in problem.detail[:limit]]
            if len(problem.detail) > limit:
                more = ctx.t("reviewing.problems_more", count=len(problem.detail) - limit)
                shown_issues.append(mrkdwn.fmt("    {}", more))
            lines.append(ctx.t("reviewing.problem_invalid", issues=mrkdwn.lines(shown_issues)))
    return mrkdwn.lines(lines)


def items_list(ids: list[str], titles: dict[str, str] | None = None) -> Mrkdwn:
    """Ids (or the titles they stand for) as a short list: the first 25, and how many more."""
    names = [mrkdwn.esc(titles.get(i, i)) if titles else code(i) for i in ids[:ITEMS_SHOWN]]
    listed = mrkdwn.join(", ", names)
    return listed + f" (+{len(ids) - ITEMS_SHOWN})" if len(ids) > ITEMS_SHOWN else listed


# -- the overview ---------------------------------------------------------------------------
def overview_blocks(ctx: RequestContext) -> list[Block]:
    with ctx.unit_of_work() as session:
        found = review.overview(session, ctx.settings.language)
    blocks: list[Block] = [section(ctx.t("reviewing.overview_title"))]
    review_button = ctx.plain("reviewing.button_review")
    for counts in found.sections[:SECTIONS_SHOWN]:
        line = ctx.t(
            "reviewing.overview_line",
            title=counts.section.title,
            id=counts.section.id,
            pending=counts.pending,
            accepted=counts.accepted,
            rules=ctx.t("common.rules", count=counts.rules),
            roles=ctx.t("common.roles", count=counts.roles),
            edited=ctx.t("reviewing.overview_edited") if counts.has_text else mrkdwn.EMPTY,
        )
        value = ReviewPage(counts.section.id).encode()
        blocks.append(section(line, button(review_button, OPEN, value)))
    if found.loose_rules or found.loose_roles:
        line = ctx.t(
            "reviewing.overview_other",
            rules=ctx.t("common.rules", count=found.loose_rules),
            roles=ctx.t("common.roles", count=found.loose_roles),
        )
        blocks.append(section(line, button(review_button, OPEN, ReviewPage(review.OTHER).encode())))
    blocks.append(
        actions(
            button(ctx.plain("reviewing.button_settings"), SETTINGS),
            button(ctx.plain("reviewing.button_groups"), GROUPS),
        )
    )
    if found.problems:
        blocks.append(context(problems_text(ctx, found.problems)))
    else:
        blocks.append(context(ctx.t("reviewing.overview_ready")))
    return blocks[:BLOCKS_PER_MESSAGE]


# -- a section's pages ----------------------------------------------------------------------
def review_pages(ctx: RequestContext, section_id: str) -> list[list[Block]]:
    """The section's review in pages of at most 50 blocks, never cutting an item from its
    buttons. One page is shown at a time with previous/next buttons: a response_url takes
    only a few answers, so a long section must not need one message per page."""
    with ctx.unit_of_work() as session:
        found = review.section_review(session, section_id, ctx.settings.language)
    makers = review_units(ctx, found)
    # Which units go on which page does not depend on the page numbers in their buttons.
    sizes = [len(make(0)) for make in makers]
    pages: list[list[int]] = [[]]
    size = 0
    for index, unit_size in enumerate(sizes):
        if size + unit_size > BLOCKS_PER_MESSAGE - 2 and pages[-1]:
            pages.append([])
            size = 0
        pages[-1].append(index)
        size += unit_size
    result = []
    for number, page in enumerate(pages):
        blocks = [block for index in page for block in makers[index](number)]
        if len(pages) > 1:
            blocks.append(context(ctx.t("reviewing.more_pages", page=number + 1, pages=len(pages))))
            moves = []
            if number > 0:
                target = ReviewPage(section_id, number - 1).encode()
                moves.append(button(ctx.plain("reviewing.button_previous"), PAGE_BACK, target))
            if number < len(pages) - 1:
                target = ReviewPage(section_id, number + 1).encode()
                moves.append(button(ctx.plain("reviewing.button_next"), PAGE_NEXT, target))
            blocks.append(actions(*moves, block_id="review_pages"))
        result.append(blocks)
    return result


def review_units(ctx: RequestContext, found: review.SectionReview) -> list[Callable[[int], Unit]]:
    """The page's units, each made for the page number it lands on."""
    section_id = found.section.id
    people = ctx.known_people(
        [
            found.section.text,
            *(c.text for c in found.contributions),
            *(r.text for r in found.rules),
            *(r.handles for r in found.roles),
        ]
    )
    if found.is_other:
        title = ctx.plain("reviewing.other_title")
        return [lambda page: [header(title)], *_rule_and_role_units(ctx, found, people)]
    title = found.section.title or section_id
    lang = ctx.lang
    prompts = {q.id: q.prompt.get(lang) for q in load_template().questions}

    def heading(page: int) -> Unit:
        edit = button(ctx.plain("reviewing.button_edit_text"), EDIT_TEXT, _page(section_id, page))
        line = ctx.t("reviewing.section_title", title=title, id=section_id)
        return [header(title), section(line, edit)]

    text = shown(found.section.text.strip(), 2000, people) or ctx.t("reviewing.section_no_text")
    units: list[Callable[[int], Unit]] = [
        heading,
        lambda page: [section(mrkdwn.lines([ctx.t("reviewing.section_text"), text]))],
    ]
    if found.offers_prefill:
        label = ctx.plain("reviewing.button_prefill")
        units.append(
            lambda page: [
                actions(button(label, PREFILL, _page(section_id, page)), block_id=PREFILL)
            ]
        )
    count = len(found.contributions)
    units.append(
        lambda page: [divider(), section(ctx.t("reviewing.contributions_title", count=count))]
    )
    if not found.contributions:
        units.append(lambda page: [context(ctx.t("reviewing.no_contributions"))])
    for item in found.contributions:
        line = ctx.t(
            "reviewing.contribution",
            state=ctx.t(STATES[item.review]),
            author=mrkdwn.user(item.author),
            question=prompts.get(item.question_id, item.question_id),
            text=shown(item.text.strip(), 2500, people),
        )
        units.append(_contribution_unit(ctx, line, item.id, item.review, section_id))
    return units + _rule_and_role_units(ctx, found, people)


def _page(section_id: str, page: int) -> str:
    return ReviewPage(section_id, page).encode()


def _contribution_unit(
    ctx: RequestContext, line: Mrkdwn, contribution: int, state: str, section_id: str
) -> Callable[[int], Unit]:
    def unit(page: int) -> Unit:
        value = ContributionRef(contribution, section_id, page).encode()
        if state == PENDING:
            buttons = [
                button(ctx.plain("reviewing.button_accept"), ACCEPT, value, style="primary"),
                button(ctx.plain("reviewing.button_reject"), REJECT, value, style="danger"),
            ]
        else:
            buttons = [button(ctx.plain("reviewing.button_reset"), RESET, value)]
        return [section(line), actions(*buttons, block_id=f"review_c_{contribution}")]

    return unit


def _rule_and_role_units(
    ctx: RequestContext, found: review.SectionReview, people: Collection[str]
) -> list[Callable[[int], Unit]]:
    section_id = found.section.id
    edit, remove = ctx.plain("reviewing.button_edit"), ctx.plain("reviewing.button_remove")
    rules_title = ctx.t("reviewing.rules_title", count=len(found.rules))
    add_rule = ctx.plain("reviewing.button_add_rule")
    units: list[Callable[[int], Unit]] = [
        lambda page: [
            divider(),
            section(
                rules_title, button(add_rule, RULE_ADD, RuleRef(section_id, None, page).encode())
            ),
        ]
    ]
    if not found.rules:
        units.append(lambda page: [context(ctx.t("reviewing.no_rules"))])
    for rule in found.rules:
        role = (
            ctx.t("reviewing.rule_role", role=found.role_names.get(rule.role, rule.role))
            if rule.role
            else mrkdwn.EMPTY
        )
        line = ctx.t(
            "reviewing.rule_line",
            id=rule.id,
            verdict=ctx.t(VERDICT_WORDS[rule.verdict]),
            role=role,
            text=shown(rule.text.strip(), 2500, people),
        )
        units.append(
            _item_unit(line, RuleRef(section_id, rule.pk), RULE_EDIT, RULE_REMOVE, edit, remove)
        )
    roles_title = ctx.t("reviewing.roles_title", count=len(found.roles))
    add_role = ctx.plain("reviewing.button_add_role")
    units.append(
        lambda page: [
            divider(),
            section(
                roles_title, button(add_role, ROLE_ADD, RoleRef(section_id, None, page).encode())
            ),
        ]
    )
    if not found.roles:
        units.append(lambda page: [context(ctx.t("reviewing.no_roles"))])
    for item in found.roles:
        line = ctx.t(
            "reviewing.role_line",
            name=item.name,
            id=item.id,
            contact=mrkdwn.esc(item.contact) or ctx.t("reviewing.no_contact"),
            handles=shown(item.handles.strip(), 2000, people),
        )
        ref = RoleRef(section_id, item.pk)
        units.append(_item_unit(line, ref, ROLE_EDIT, ROLE_REMOVE, edit, remove))
    return units


def _item_unit(
    line: Mrkdwn, ref: RuleRef | RoleRef, edit_id: str, remove_id: str, edit: str, remove: str
) -> Callable[[int], Unit]:
    kind = "r" if isinstance(ref, RuleRef) else "o"
    pk = ref.rule if isinstance(ref, RuleRef) else ref.role

    def unit(page: int) -> Unit:
        value = (
            RuleRef(ref.section, ref.rule, page)
            if isinstance(ref, RuleRef)
            else RoleRef(ref.section, ref.role, page)
        ).encode()
        return [
            section(line),
            actions(
                button(edit, edit_id, value),
                button(remove, remove_id, value, "danger"),
                block_id=f"review_{kind}_{pk}",
            ),
        ]

    return unit


# -- /policy review [SECTION] ---------------------------------------------------------------
def run_review(call: CommandCall) -> None:
    ctx = call.ctx
    wanted = call.args.strip()
    if not wanted:
        call.reply(ctx.t("reviewing.overview_title"), overview_blocks(ctx))
        return
    if wanted.casefold() in words("reviewing.words.other"):
        wanted = review.OTHER
    with ctx.unit_of_work() as session:
        section_id = review.find_section(session, wanted, ctx.settings.language)
        known = review.section_ids(session, ctx.settings.language)
    if section_id is None:
        other = words("reviewing.words.other")[0]
        listed = mrkdwn.join(", ", (code(i) for i in [*known, other]))
        call.reply(ctx.t("reviewing.unknown_section", given=wanted[:40], sections=listed))
        return
    call.reply(ctx.t("reviewing.review_of", id=section_id), review_pages(ctx, section_id)[0])
