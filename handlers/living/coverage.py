"""`/policy coverage [VERSION] [csv]` (the lead): who has acknowledged the adopted version, in
all, per policy group and per audience asked; `csv` sends the list of who acknowledged what
and when as a file in the lead's direct messages with the bot (it names people: not for a
channel)."""

from __future__ import annotations

from bot.i18n import words
from bot.living.acknowledgement import CHANNEL, USERGROUP, WORKSPACE
from bot.living.coverage import Coverage, Share, coverage, coverage_csv
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, context, section
from handlers.kit.context import RequestContext
from handlers.kit.mrkdwn import Mrkdwn
from handlers.router import CommandCall

SHARES_SHOWN = 20


def run_coverage(call: CommandCall) -> None:
    ctx = call.ctx
    parts = call.args.split()
    as_csv = any(p.lower() in words("living.words.csv") for p in parts)
    numbers = [p for p in parts if p.isdigit()]
    unknown = [p for p in parts if not p.isdigit() and p.lower() not in words("living.words.csv")]
    if unknown or len(numbers) > 1:
        call.reply(ctx.t("living.coverage.usage"))
        return
    number = int(numbers[0]) if numbers else None
    with ctx.unit_of_work() as session:
        found = coverage(session, number)
        table = coverage_csv(session, number) if as_csv and found is not None else None
    if found is None:
        key = "living.coverage.no_version" if number is None else "living.coverage.unknown"
        call.reply(ctx.t(key, number=number or 0))
        return
    if table is not None:
        send_csv(call, found, table)
        return
    call.reply(summary_line(ctx, found), coverage_blocks(ctx, found))


def summary_line(ctx: RequestContext, found: Coverage) -> Mrkdwn:
    if not found.of:
        return ctx.t("living.coverage.nobody_asked", label=found.label)
    return ctx.t(
        "living.coverage.summary",
        label=found.label,
        acknowledged=found.acknowledged,
        of=found.of,
        percent=f"{found.percent:g}",
    )


def _share_line(ctx: RequestContext, share: Share, name: Mrkdwn) -> Mrkdwn:
    return ctx.t(
        "living.coverage.share",
        name=name,
        acknowledged=share.acknowledged,
        of=share.of,
        percent=f"{share.percent:g}",
    )


def _audience_name(ctx: RequestContext, share: Share) -> Mrkdwn:
    if share.key == CHANNEL:
        return mrkdwn.channel(share.name)
    if share.key == USERGROUP:
        return mrkdwn.usergroup(share.name)
    assert share.key == WORKSPACE
    return ctx.t("living.coverage.workspace")


def coverage_blocks(ctx: RequestContext, found: Coverage) -> list[Block]:
    """The summary, per policy group, and per audience the lead asked: for the reply and for
    the App Home."""
    blocks: list[Block] = [section(summary_line(ctx, found))]
    if not found.of:
        blocks.append(context(ctx.t("living.coverage.how_to_ask")))
        return blocks
    groups = [s for s in found.groups[1:] if s.of][:SHARES_SHOWN]
    if groups:
        lines = [_share_line(ctx, s, mrkdwn.esc(s.name)) for s in groups]
        blocks.append(section(mrkdwn.lines([ctx.t("living.coverage.per_group"), *lines])))
    audiences = found.audiences[:SHARES_SHOWN]
    if audiences:
        lines = [_share_line(ctx, s, _audience_name(ctx, s)) for s in audiences]
        blocks.append(section(mrkdwn.lines([ctx.t("living.coverage.per_audience"), *lines])))
    blocks.append(context(ctx.t("living.coverage.csv_hint")))
    return blocks


def send_csv(call: CommandCall, found: Coverage, table: str) -> None:
    """The list as a file in the lead's direct messages with the bot (it names people)."""
    ctx = call.ctx
    filename = f"acknowledgements-{found.label}.csv".replace("/", "-")
    with ctx.unit_of_work():
        ctx.slack.upload(
            to_user=ctx.actor,
            content=table,
            filename=filename,
            title=filename,
            comment=summary_line(ctx, found),
        )
        call.reply(ctx.t("living.coverage.csv_sent", filename=filename))
