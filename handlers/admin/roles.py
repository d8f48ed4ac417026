"""Granting and revoking roles (every change recorded, with who and when)."""

from __future__ import annotations

import datetime as dt

from bot import people
from bot.i18n import words
from handlers.guard import refusal
from handlers.kit import mrkdwn
from handlers.kit.incoming import user_mentioned
from handlers.kit.mrkdwn import Mrkdwn
from handlers.router import CommandCall


def manage_roles(call: CommandCall) -> None:
    ctx = call.ctx
    typed = call.args.split()
    action = typed[0].lower() if typed else "list"
    if action in words("admin.words.list"):
        role = people.parse_role(typed[1]) if len(typed) > 1 else None
        call.reply(_list_text(call, role))
        return
    adding = action in words("admin.words.add")
    if not (adding or action in words("admin.words.remove")) or len(typed) != 3:
        call.reply(ctx.t("admin.role_usage"))
        return
    user_id = user_mentioned(typed[1])
    role = people.parse_role(typed[2])
    if user_id is None:
        call.reply(ctx.t("admin.not_a_user", given=typed[1][:60]))
        return
    if role is None:
        call.reply(ctx.t("admin.not_a_role", given=typed[2][:40]))
        return
    with ctx.unit_of_work() as session:  # the change, and the answer, in one commit
        lacking = people.may_manage(session, ctx.settings.admins, ctx.actor, role)
        if lacking:
            call.reply(refusal(ctx, lacking))
            return
        if adding:
            changed = people.grant(session, ctx.actor, user_id, role)
            key = "admin.added" if changed else "admin.already"
        else:
            changed = people.revoke(session, ctx.actor, user_id, role)
            key = "admin.removed" if changed else "admin.did_not_have"
        call.reply(ctx.t(key, user=mrkdwn.user(user_id), role=ctx.role_name(role)))


def _list_text(call: CommandCall, role: str | None) -> Mrkdwn:
    ctx = call.ctx
    with ctx.unit_of_work() as session:
        holders = people.holders(session, ctx.settings.admins, role)
        changes = people.recent_changes(session, limit=10)
    if not holders:
        return ctx.t("admin.nobody")
    lines = [ctx.t("admin.list_title")]
    for holder in holders:
        origin = (
            ctx.t("admin.from_settings")
            if holder.granted_by is None
            else ctx.t(
                "admin.granted", by=mrkdwn.user(holder.granted_by), at=_date(holder.granted_at)
            )
        )
        lines.append(
            mrkdwn.fmt(
                "• {}: {} ({})", mrkdwn.user(holder.user_id), ctx.role_name(holder.role), origin
            )
        )
    if changes:
        lines.append(ctx.t("admin.changes_title"))
        for change in changes:
            lines.append(
                ctx.t(
                    "admin.change_add" if change.action == people.ADD else "admin.change_remove",
                    actor=mrkdwn.user(change.actor),
                    user=mrkdwn.user(change.user_id),
                    role=ctx.role_name(change.role),
                    at=_date(change.at),
                )
            )
    return mrkdwn.lines(lines)


def _date(moment: dt.datetime | None) -> Mrkdwn:
    """In each reader's own time zone (`<!date^…>`)."""
    return mrkdwn.moment(moment) if moment else mrkdwn.esc("?")
