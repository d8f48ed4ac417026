"""`/policy help` and `/policy role add|remove|list`: who may do what."""

from __future__ import annotations

from slack_bolt import App

from bot import people
from handlers.blocks import context, section
from handlers.mentions import parse_user_mention
from handlers.router import CommandCall, Subcommand, refusal, router_for
from handlers.slack_text import esc


def register(app: App) -> None:
    router = router_for(app)
    router.add(
        Subcommand("help", lambda call: show_help(call, router), order=99, aliases=("hulp",))
    )
    router.add(
        Subcommand("role", manage_roles, order=90, aliases=("rol",), usage="add|remove|list")
    )


def show_help(call: CommandCall, router) -> None:  # type: ignore[no-untyped-def]
    ctx = call.ctx
    lines = []
    for sub in router.ordered():
        usage = f" {ctx.t('usage.' + sub.name)}" if sub.usage else ""
        lines.append(f"• `/policy {sub.name}{usage}`: {ctx.t('help.' + sub.name)}")
    blocks = [
        section(ctx.t("help.title")),
        section("\n".join(lines)),
        context(ctx.t("help.footer")),
    ]
    call.reply(ctx.t("help.title") + "\n" + "\n".join(lines), blocks)


def manage_roles(call: CommandCall) -> None:
    ctx = call.ctx
    words = call.args.split()
    action = words[0].lower() if words else "list"
    if action in ("list", "lijst"):
        role = people.parse_role(words[1]) if len(words) > 1 else None
        call.reply(_list_text(call, role))
        return
    if action not in ("add", "remove", "toevoegen", "verwijderen") or len(words) != 3:
        call.reply(ctx.t("admin.role_usage"))
        return
    user_id = parse_user_mention(words[1])
    role = people.parse_role(words[2])
    if user_id is None:
        call.reply(ctx.t("admin.not_a_user", given=esc(words[1][:60])))
        return
    if role is None:
        call.reply(ctx.t("admin.not_a_role", given=esc(words[2][:40])))
        return
    adding = action in ("add", "toevoegen")
    with ctx.db.session() as session:
        lacking = people.may_manage(session, ctx.settings.admins, ctx.user_id or "", role)
        if lacking:
            call.reply(refusal(ctx, lacking))
            return
        if adding:
            changed = people.grant(session, ctx.user_id or "", user_id, role)
        else:
            changed = people.revoke(session, ctx.user_id or "", user_id, role)
    key = (
        ("admin.added" if adding else "admin.removed")
        if changed
        else ("admin.already" if adding else "admin.did_not_have")
    )
    call.reply(ctx.t(key, user=f"<@{user_id}>", role=ctx.role_name(role)))


def _list_text(call: CommandCall, role: str | None) -> str:
    ctx = call.ctx
    with ctx.db.session() as session:
        holders = people.holders(session, ctx.settings.admins, role)
        changes = people.recent_changes(session, limit=10)
    if not holders:
        return ctx.t("admin.nobody")
    lines = [ctx.t("admin.list_title")]
    for holder in holders:
        origin = (
            ctx.t("admin.from_settings")
            if holder.granted_by is None
            else ctx.t("admin.granted", by=f"<@{holder.granted_by}>", at=_date(holder.granted_at))
        )
        lines.append(f"• <@{holder.user_id}>: {ctx.role_name(holder.role)} ({origin})")
    if changes:
        lines.append(ctx.t("admin.changes_title"))
        for change in changes:
            lines.append(
                ctx.t(
                    "admin.change_add" if change.action == "add" else "admin.change_remove",
                    actor=f"<@{change.actor}>",
                    user=f"<@{change.user_id}>",
                    role=ctx.role_name(change.role),
                    at=_date(change.at),
                )
            )
    return "\n".join(lines)


def _date(moment) -> str:  # type: ignore[no-untyped-def]
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "?"
