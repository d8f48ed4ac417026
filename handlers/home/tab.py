"""What the App Home tab shows (`handlers.home`): the draft's sections for the working group,
the adopted version and how to ask for everyone else."""

from __future__ import annotations

from bot import people
from bot.drafting import sessions
from bot.drafting.status import DraftStatus, draft_status
from handlers.home import HomeParts
from handlers.kit.actions import PLAN_SECTION, SETUP_PROJECT
from handlers.kit.blocks import Block, button, context, divider, header, section
from handlers.kit.context import RequestContext
from handlers.kit.limits import BLOCKS_PER_VIEW
from handlers.kit.status import adopted_line, section_button, section_line


def home_blocks(ctx: RequestContext, parts: HomeParts = HomeParts()) -> list[Block]:
    blocks = [header(ctx.plain("home.title"))]
    for part in parts.top:
        blocks += part(ctx)
    blocks += own_blocks(ctx)
    for part in parts.bottom:
        blocks += part(ctx)
    return blocks[:BLOCKS_PER_VIEW]


def own_blocks(ctx: RequestContext) -> list[Block]:
    with ctx.unit_of_work() as session:
        status = draft_status(session, ctx.settings.calendar.today(ctx.services.clock.now()))
        working_group = ctx.has_role(people.WORKING_GROUP)
        links = {s.section_id: s.permalink for s in reversed(sessions.open_sessions(session))}
    blocks: list[Block] = []
    if working_group:
        blocks += drafting_blocks(ctx, status, links)
    else:
        blocks += [section(ctx.t("home.intro")), section(adopted_line(ctx.lang, status))]
        blocks.append(context(ctx.t("home.next_steps")))
    return blocks


def drafting_blocks(
    ctx: RequestContext, status: DraftStatus, links: dict[str, str | None]
) -> list[Block]:
    lang = ctx.lang
    blocks: list[Block] = [
        section(ctx.t("home.intro_working_group")),
        section(adopted_line(lang, status)),
        divider(),
        section(ctx.t("home.sections_title")),
    ]
    for number, item in enumerate(status.sections, start=1):
        start = section_button(lang, item, links.get(item.section.id))
        blocks.append(section(section_line(lang, number, item), accessory=start))
    blocks.append(divider())
    following = status.next_section
    if following is None:
        blocks.append(section(ctx.t("home.all_answered")))
    else:
        blocks.append(
            section(
                ctx.t(
                    "home.next_section",
                    title=following.section.title.get(lang),
                    answered=following.answered,
                    total=following.total,
                    section=following.section.id,
                )
            )
        )
    if ctx.has_role(people.COMMS_LEAD):
        setup = button(ctx.plain("rhythm.setup_button"), SETUP_PROJECT)
        blocks.append(section(ctx.t("rhythm.home_setup"), accessory=setup))
        plan = button(ctx.plain("rhythm.plan_button"), PLAN_SECTION)
        blocks.append(section(ctx.t("rhythm.home_plan"), accessory=plan))
    blocks.append(context(ctx.t("home.next_steps_working_group")))
    return blocks
