"""`/policy help`: what the asker may do, by their role; `/policy help SUB` (or `/policy hulp
concept`) explains one sub-command: how to write it, what it does, an example, its other
names and who may use it, in the asker's language."""

from __future__ import annotations

from bot import people
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, context, section
from handlers.kit.mrkdwn import Mrkdwn, code
from handlers.router import COMMAND, CommandCall, CommandRouter, Subcommand, alias_words

# Who may use a sub-command, by the least role it needs (the ranks include those above).
WHO_MAY = {
    people.EMPLOYEE: "help.who.employee",
    people.WORKING_GROUP: "help.who.working_group",
    people.COMMS_LEAD: "help.who.comms_lead",
    people.ADMIN: "help.who.admin",
}


def show_help(call: CommandCall, router: CommandRouter) -> None:
    ctx = call.ctx
    with ctx.unit_of_work() as session:
        rank = people.rank(session, ctx.settings.admins, ctx.actor) if ctx.user_id else 0
    word = (call.args.split() or [""])[0]
    if word:
        sub = router.find(word)
        if sub is not None:
            explain(call, sub, rank)
            return
        call.reply(ctx.t("help.unknown", word=word[:40]))
    mine = [sub for sub in router.ordered() if people.RANKS[sub.needs] <= rank]
    lines = [mrkdwn.fmt("• {}: {}", _usage(call, sub), ctx.t(sub.help)) for sub in mine]
    listed = mrkdwn.lines(lines)
    blocks: list[Block] = [section(ctx.t("help.title")), section(listed)]
    hidden = len(router.ordered()) - len(mine)
    if hidden:
        blocks.append(context(ctx.t("help.hidden", count=hidden)))
    blocks.append(context(mrkdwn.lines([ctx.t("help.more"), ctx.t("help.footer")])))
    call.reply(mrkdwn.lines([ctx.t("help.title"), listed]), blocks)


def explain(call: CommandCall, sub: Subcommand, rank: int) -> None:
    """One sub-command, at length."""
    ctx = call.ctx
    lines: list[Mrkdwn] = [mrkdwn.bold(_usage(call, sub)), ctx.t(sub.help)]
    if sub.details:
        lines.append(ctx.t(sub.details))
    if sub.more is not None:
        lines.append(sub.more(ctx))
    if sub.example:
        lines.append(ctx.t("help.example", example=code(ctx.plain(sub.example))))
    others = [w for w in alias_words(sub.aliases) if w != sub.name]
    if others:
        lines.append(ctx.t("help.also", words=mrkdwn.join(", ", (code(w) for w in others))))
    lines.append(ctx.t("help.who_may", who=ctx.t(WHO_MAY[sub.needs])))
    if people.RANKS[sub.needs] > rank:
        lines.append(ctx.t("help.not_you", role=ctx.role_name(sub.needs)))
    text = mrkdwn.lines(lines)
    call.reply(text, [section(text)])


def _usage(call: CommandCall, sub: Subcommand) -> Mrkdwn:
    usage = f" {call.ctx.plain(sub.usage)}" if sub.usage else ""
    return code(f"{COMMAND} {sub.name}{usage}")
