"""For the communications lead: `/policy escalations` (open and answered) and `/policy gaps`
(uncovered questions grouped, each with a button that starts drafting the likely section)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import people
from bot.asking import escalations, gaps
from bot.asking.masking import excerpt, mask_personal_data
from bot.asking.service import adopted_policy
from handlers.asking_escalation import respond_privately
from handlers.blocks import Block, button, context, divider, section
from handlers.context import request_context
from handlers.drafting import start_session_in_channel
from handlers.router import CommandCall, refusal
from handlers.slack_text import esc

log = logging.getLogger(__name__)

GAP_DRAFT_ACTION = "asking_gap_draft"


# ---- for the communications lead: escalations and gaps -------------------------------------


def run_escalations(call: CommandCall) -> None:
    ctx = call.ctx
    listed = {
        status: escalations.list_escalations(ctx.db, status, limit=20)
        for status in (escalations.OPEN, escalations.ANSWERED)
    }
    counts = escalations.count_by_status(ctx.db)
    if not any(listed.values()):
        call.reply(ctx.t("asking.escalations.none"))
        return
    blocks: list[Block] = [section(ctx.t("asking.escalations.title"))]
    for status, key in ((escalations.OPEN, "open"), (escalations.ANSWERED, "answered")):
        rows = listed[status]
        if not rows:
            continue
        lines = [ctx.t(f"asking.escalations.{key}", count=counts.get(status, 0))]
        for row in rows:
            text = (
                esc(excerpt(mask_personal_data(row.text), 120))
                if row.text
                else ctx.t("asking.escalate.text_gone")
            )
            where = f"<#{row.posted_channel}>" if row.posted_channel else ""
            common = {
                "id": row.id,
                "date": row.created_at.strftime("%Y-%m-%d"),
                "asker": f"<@{row.asker}>",
                "role": esc(row.role_name),
                "text": text,
            }
            if status == escalations.OPEN:
                lines.append(ctx.t("asking.escalations.line_open", where=where, **common))
            else:
                replied = row.replied_at.strftime("%Y-%m-%d") if row.replied_at else "?"
                replier = f"<@{row.replied_by}>" if row.replied_by else "?"
                lines.append(
                    ctx.t(
                        "asking.escalations.line_answered",
                        replier=replier,
                        replied=replied,
                        **common,
                    )
                )
        more = counts.get(status, 0) - len(rows)
        if more > 0:
            lines.append(ctx.t("asking.escalations.more", count=more))
        blocks += [section(piece) for piece in _chunks(lines)]
    call.reply(ctx.t("asking.escalations.title"), blocks[:50])


def _chunks(lines: list[str], limit: int = 2900) -> list[str]:
    pieces, current = [], ""
    for line in lines:
        if current and len(current) + len(line) + 1 > limit:
            pieces.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line[:limit]
    return pieces + ([current] if current else [])


MAX_GAP_GROUPS = 15


def run_gaps(call: CommandCall) -> None:
    ctx = call.ctx
    policy = adopted_policy(ctx.db)
    if policy is None:
        call.reply(ctx.t("asking.gaps.no_policy"))
        return
    found = gaps.find_gaps(ctx.db, policy.document, ctx.lang)
    if not found.groups:
        message = ctx.t("asking.gaps.none")
        if found.without_text:
            message += "\n" + ctx.t("asking.gaps.without_text", count=found.without_text)
        call.reply(message)
        return
    total = sum(group.size for group in found.groups)
    title = ctx.t("asking.gaps.title", count=total, groups=len(found.groups))
    blocks: list[Block] = [section(title)]
    for group in found.groups[:MAX_GAP_GROUPS]:
        sample = "“" + esc(excerpt(mask_personal_data(group.sample.text or ""), 200)) + "”"
        text = ctx.t(
            "asking.gaps.group", count=group.size, sample=sample, section=esc(group.section_title)
        )
        others = [q.text for q in group.questions[1:4] if q.text]
        if others:
            shown = "; ".join("“" + esc(excerpt(mask_personal_data(o), 80)) + "”" for o in others)
            text += "\n" + ctx.t("asking.gaps.also", others=shown)
        label = ctx.t("asking.gaps.button", section=group.section_title)
        blocks.append(section(text, accessory=button(label, GAP_DRAFT_ACTION, group.section_id)))
    if len(found.groups) > MAX_GAP_GROUPS:
        blocks.append(context(ctx.t("asking.gaps.more", count=len(found.groups) - MAX_GAP_GROUPS)))
    if found.without_text:
        blocks.append(context(ctx.t("asking.gaps.without_text", count=found.without_text)))
    blocks.insert(1, divider())
    call.reply(title, blocks[:50])


def start_drafting_from_gap(
    ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    """The gap's button: a drafting session on the section the questions most likely belong to."""
    ack()
    ctx = request_context(context)
    if not ctx.has_role(people.COMMS_LEAD):
        respond_privately(respond, refusal(ctx, people.COMMS_LEAD))
        return
    section_id = str((body.get("actions") or [{}])[0].get("value") or "")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id", ""
    )
    try:
        start_session_in_channel(client, ctx, channel, section_id, ctx.user_id or "")
    except Exception:
        log.exception("starting a drafting session from /policy gaps failed")
        respond_privately(respond, ctx.t("asking.failed"))
