"""What living by the policy adds to the App Home: a crisis banner for everyone while crisis
mode is on; for the lead and admins, who has acknowledged the adopted version (per group and
audience) and how many answers changed with it. The next review date is in the adopted
version's line (`kit.status`), which the Home and `/policy status` share."""

from __future__ import annotations

from bot import people
from bot.living import crisis
from bot.living.coverage import coverage
from bot.living.rechecks import latest_result
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, divider, section
from handlers.kit.context import RequestContext
from handlers.living.ack_form import choose_button
from handlers.living.coverage import coverage_blocks


def crisis_banner(ctx: RequestContext) -> list[Block]:
    with ctx.unit_of_work() as session:
        now = crisis.current(session)
    if now is None:
        return []
    why = now.reason or ctx.plain("living.crisis.no_reason")
    return [section(ctx.t("living.crisis.banner", since=mrkdwn.moment(now.since), reason=why))]


def lead_view(ctx: RequestContext) -> list[Block]:
    if not ctx.has_role(people.COMMS_LEAD):
        return []
    with ctx.unit_of_work() as session:
        found = coverage(session)
        rechecked = latest_result(session)
    if found is None:
        return []
    blocks: list[Block] = [divider(), section(ctx.t("living.home.title"))]
    blocks += coverage_blocks(ctx, found)
    blocks.append(choose_button(ctx, found.version))
    if rechecked is not None and rechecked.version == found.version:
        blocks.append(
            section(ctx.t("living.home.changed", count=rechecked.changed, asked=rechecked.asked))
        )
    return blocks
