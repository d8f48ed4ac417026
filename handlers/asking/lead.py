"""For the communications lead: `/policy escalations` (open and answered) and `/policy gaps`
(uncovered questions grouped, each with a button that starts drafting the likely section)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.asking import conversation, escalations, gaps
from bot.asking.conversation import Activity
from bot.asking.masking import excerpt, mask_personal_data
from bot.asking.service import adopted_policy
from bot.dates import format_date
from handlers.asking.ids import GAP_DRAFT_ACTION
from handlers.asking.targets import Target, where
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, button, context, divider, section
from handlers.kit.context import RequestContext, request_context
from handlers.kit.limits import BLOCKS_PER_MESSAGE, SECTION_TEXT
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.payloads import GapSection
from handlers.kit.replies import origin_of
from handlers.router import CommandCall

MAX_GAP_GROUPS = 15
LISTED = {
    escalations.OPEN: "asking.escalations.open",
    escalations.ANSWERED: "asking.escalations.answered",
}

# Starts drafting a section in a channel for a person; the drafting capability provides it
# (see handlers/__init__.py), so asking does not reach into drafting's modules.
StartDrafting = Callable[[RequestContext, str, str], None]


def run_escalations(call: CommandCall) -> None:
    ctx = call.ctx
    with ctx.unit_of_work() as session:
        listed = {
            status: escalations.list_escalations(session, status, limit=20) for status in LISTED
        }
        counts = escalations.count_by_status(session)
        talk = conversation.activity(session, (row.id for rows in listed.values() for row in rows))
    if not any(listed.values()):
        call.reply(ctx.t("asking.escalations.none"))
        return
    blocks: list[Block] = [section(ctx.t("asking.escalations.title"))]
    for status, key in LISTED.items():
        rows = listed[status]
        if not rows:
            continue
        lines = [ctx.t(key, count=counts.get(status, 0))]
        lines += [_escalation_line(ctx, row, talk.get(row.id, Activity())) for row in rows]
        more = counts.get(status, 0) - len(rows)
        if more > 0:
            lines.append(ctx.t("asking.escalations.more", count=more))
        blocks += [section(piece) for piece in _chunks(lines)]
    call.reply(ctx.t("asking.escalations.title"), blocks[:BLOCKS_PER_MESSAGE])


def _escalation_line(
    ctx: RequestContext, row: escalations.EscalationView, talk: Activity
) -> Mrkdwn:
    # The text is the log's, masked when it was asked; masked again, in case it predates that.
    text = (
        mrkdwn.esc(excerpt(mask_personal_data(row.text), 120))
        if row.text
        else ctx.t("asking.escalate.text_gone")
    )
    common: dict[str, Any] = {
        "id": row.id,
        "date": format_date(row.created_at, ctx.lang, ctx.settings.timezone),
        "asker": mrkdwn.user(row.asker),
        "role": row.role_name,
        "text": text,
        "replies": ctx.t("asking.escalations.replies", count=talk.from_role),
    }
    if row.status == escalations.OPEN:
        shown = where(ctx.lang, Target.of(row)) if row.posted_channel else mrkdwn.EMPTY
        return ctx.t("asking.escalations.line_open", where=shown, **common)
    on = format_date(row.answered_at, ctx.lang, ctx.settings.timezone) if row.answered_at else "?"
    by = mrkdwn.user(row.answered_by) if row.answered_by else "?"
    return ctx.t("asking.escalations.line_answered", replier=by, replied=on, **common)


def _chunks(lines: list[Mrkdwn], limit: int = SECTION_TEXT - 100) -> list[Mrkdwn]:
    pieces: list[Mrkdwn] = []
    current = mrkdwn.EMPTY
    for line in lines:
        if current and len(current) + len(line) + 1 > limit:
            pieces.append(current)
            current = mrkdwn.EMPTY
        current = mrkdwn.lines([current, line]) if current else line.cut(limit)
    return pieces + ([current] if current else [])


def run_gaps(call: CommandCall) -> None:
    ctx = call.ctx
    with ctx.unit_of_work() as session:
        policy = adopted_policy(session)
        if policy is None:
            call.reply(ctx.t("asking.gaps.no_policy"))
            return
        found = gaps.find_gaps(session, policy.document, ctx.lang)
    if not found.groups:
        message = ctx.t("asking.gaps.none")
        if found.without_text:
            message += "\n" + ctx.t("asking.gaps.without_text", count=found.without_text)
        call.reply(message)
        return
    total = sum(group.size for group in found.groups)
    groups = ctx.t("common.groups", count=len(found.groups))
    title = ctx.t("asking.gaps.title", count=total, groups=groups)
    blocks: list[Block] = [section(title), divider()]
    for group in found.groups[:MAX_GAP_GROUPS]:
        sample = mrkdwn.fmt("“{}”", excerpt(mask_personal_data(group.sample.text or ""), 200))
        text = ctx.t(
            "asking.gaps.group", count=group.size, sample=sample, section=group.section_title
        )
        others = [q.text for q in group.questions[1:4] if q.text]
        if others:
            quoted = (mrkdwn.fmt("“{}”", excerpt(mask_personal_data(o), 80)) for o in others)
            text += "\n" + ctx.t("asking.gaps.also", others=mrkdwn.join("; ", quoted))
        label = ctx.plain("asking.gaps.button", section=group.section_title)
        value = GapSection(group.section_id).encode()
        blocks.append(section(text, accessory=button(label, GAP_DRAFT_ACTION, value)))
    if len(found.groups) > MAX_GAP_GROUPS:
        blocks.append(context(ctx.t("asking.gaps.more", count=len(found.groups) - MAX_GAP_GROUPS)))
    if found.without_text:
        blocks.append(context(ctx.t("asking.gaps.without_text", count=found.without_text)))
    call.reply(title, blocks[:BLOCKS_PER_MESSAGE])


def start_drafting_from_gap(start: StartDrafting) -> Callable[..., None]:
    """The gap's button: a drafting session on the section the questions most likely belong
    to, in the channel the button was pressed in."""

    def on_gap_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        ctx = request_context(context)
        value = GapSection.decode((body.get("actions") or [{}])[0].get("value"))
        start(ctx, origin_of(body).channel or "", value.section)

    return on_gap_button
