"""`/policy review [SECTION]` as the lead sees it: the overview of every section, and one
section's review page by page.

A section's page shows its consolidated text with an "edit text" button (a modal prefilled
with the accepted contributions in question order), its contributions question by question
with the buttons that decide on them (`contribution_units`), the cover's decisions on the
page of the section that asks for them, and its draft rules and roles with edit/remove
buttons. Every button's value names the page it is on, so a click shows that page again as
it now stands. The overview says honestly what stands between the draft and adoption.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from bot import directory
from bot.i18n import words
from bot.reviewing import review
from bot.reviewing.readiness import Readiness
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, actions, button, context, divider, header, section
from handlers.kit.context import RequestContext
from handlers.kit.limits import BLOCKS_PER_MESSAGE
from handlers.kit.mrkdwn import Mrkdwn, code, shown
from handlers.kit.names import contact_shown, refresh_stale
from handlers.kit.payloads import DecisionsForm, ReviewPage, RoleRef, RuleRef
from handlers.reviewing.contribution_units import contribution_units
from handlers.reviewing.forms import VERDICT_WORDS
from handlers.reviewing.ids import (
    DECISIONS_EDIT,
    EDIT_TEXT,
    GROUPS,
    OPEN,
    PAGE_BACK,
    PAGE_NEXT,
    PREFILL,
    ROLE_ADD,
    ROLE_EDIT,
    ROLE_REMOVE,
    RULE_ADD,
    RULE_EDIT,
    RULE_REMOVE,
    SETTINGS,
)
from handlers.reviewing.readiness_text import problems_text, readiness_text
from handlers.router import CommandCall

SECTIONS_SHOWN = 40
DECISIONS_SHOWN = 20

# A review page is made of units: blocks that stay together (an item and its buttons).
Unit = list[Block]


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
    blocks.append(context(overview_readiness(ctx, found.readiness)))
    return blocks[:BLOCKS_PER_MESSAGE]


def overview_readiness(ctx: RequestContext, ready: Readiness) -> Mrkdwn:
    """Ready to adopt only when it is: else what must be fixed, and what is not ready."""
    if ready.ready:
        return ctx.t("reviewing.overview_ready")
    lines = []
    if ready.blocking:
        lines.append(problems_text(ctx, ready.blocking))
    if ready.to_confirm:
        lines.append(readiness_text(ctx, ready.to_confirm, ready.titles))
    return mrkdwn.lines(lines)


# -- a section's pages ----------------------------------------------------------------------
def review_pages(ctx: RequestContext, section_id: str) -> list[list[Block]]:
    """The section's review in pages of at most 50 blocks, never cutting an item from its
    buttons. One page is shown at a time with previous/next buttons: a response_url takes
    only a few answers, so a long section must not need one message per page."""
    with ctx.unit_of_work() as session:
        found = review.section_review(session, section_id, ctx.settings.language)
        contacts = [r.contact for r in found.roles]
        names = directory.stored_names(session, _contact_ids(contacts))
    makers = review_units(ctx, found, names)
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


def _contact_ids(contacts: list[str]) -> list[str]:
    return [c.lstrip("@#") for c in contacts if directory.kind_of(c.lstrip("@#"))]


def review_units(
    ctx: RequestContext, found: review.SectionReview, names: dict[str, str]
) -> list[Callable[[int], Unit]]:
    """The page's units, each made for the page number it lands on."""
    section_id = found.section.id
    # Only people the bot has met become mentions; any other `@U…` stays text.
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
        return [lambda page: [header(title)], *_rule_and_role_units(ctx, found, names, people)]
    title = found.section.title or section_id

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
    if found.decisions is not None:
        units.append(_decisions_unit(ctx, section_id, found.decisions))
    units += contribution_units(ctx, found, people)
    return units + _rule_and_role_units(ctx, found, names, people)


def _page(section_id: str, page: int) -> str:
    return ReviewPage(section_id, page).encode()


def _decisions_unit(
    ctx: RequestContext, section_id: str, decisions: tuple[str, ...]
) -> Callable[[int], Unit]:
    """The decisions management is asked to take: from the accepted answers, editable."""
    listed = [mrkdwn.fmt("{}. {}", n, d) for n, d in enumerate(decisions[:DECISIONS_SHOWN], 1)]
    body = mrkdwn.lines(listed) if listed else ctx.t("reviewing.no_decisions")
    text = mrkdwn.lines([ctx.t("reviewing.decisions_title"), body])

    def unit(page: int) -> Unit:
        value = DecisionsForm(section=section_id, page=page).encode()
        edit = button(ctx.plain("reviewing.button_edit_decisions"), DECISIONS_EDIT, value)
        return [divider(), section(text, edit)]

    return unit


def _rule_and_role_units(
    ctx: RequestContext,
    found: review.SectionReview,
    names: dict[str, str],
    people: Collection[str],
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
        evidence = mrkdwn.EMPTY
        if rule.examples or rule.not_examples or rule.context:
            evidence = ctx.t(
                "reviewing.rule_evidence",
                examples=len(rule.examples),
                not_examples=len(rule.not_examples),
                context=len(rule.context),
            )
        line = ctx.t(
            "reviewing.rule_line",
            id=rule.id,
            verdict=ctx.t(VERDICT_WORDS[rule.verdict]),
            role=role,
            text=shown(rule.text.strip(), 2500, people),
            evidence=evidence,
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
            contact=contact_shown(item.contact, names) or ctx.t("reviewing.no_contact"),
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
        refresh_stale(ctx)  # after the answer: names a month old are looked up again
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
