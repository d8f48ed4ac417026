"""The draft's groups in Slack: `/policy groups` (communications lead) lists them with edit and
remove buttons; the group modal adds or changes one.

A group is a Slack user group a rule can apply to (`applies_to`); the modal offers the
workspace's user groups, or takes a typed `@handle` or ID when Slack won't list them.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.reviewing import items
from bot.reviewing.errors import Invalid, NotFound
from handlers.kit.blocks import Block, actions, button, context, input_errors, section, values_of
from handlers.kit.context import RequestContext, request_context
from handlers.kit.limits import BLOCKS_PER_MESSAGE, OPTIONS_PER_SELECT
from handlers.kit.payloads import GroupForm, GroupRef
from handlers.kit.replies import origin_of
from handlers.reviewing import forms
from handlers.reviewing.buttons import remove
from handlers.reviewing.ids import GROUP_ADD as ADD
from handlers.reviewing.ids import GROUP_EDIT as EDIT
from handlers.reviewing.ids import GROUP_REMOVE as REMOVE
from handlers.reviewing.submissions import confirm, gone
from handlers.router import CommandCall

GROUPS_SHOWN = 24  # two blocks each, within a message's 50
USERGROUP_PREFIX = "<!subteam^"  # a user group pasted from a message: <!subteam^S123|@handle>


def run_groups(call: CommandCall) -> None:
    call.reply(call.ctx.t("reviewing.groups_title"), groups_blocks(call.ctx))


def on_show_groups(ack: Ack, context: BoltContext) -> None:
    ack()
    ctx = request_context(context)
    ctx.slack.respond(ctx.t("reviewing.groups_title"), groups_blocks(ctx))


def groups_blocks(ctx: RequestContext) -> list[Block]:
    add = button(ctx.plain("reviewing.button_add_group"), ADD, GroupRef().encode())
    blocks: list[Block] = [section(ctx.t("reviewing.groups_title"), add)]
    with ctx.unit_of_work() as session:
        groups = items.groups(session)
    if not groups:
        blocks.append(context(ctx.t("reviewing.no_groups")))
    edit, remove_ = ctx.plain("reviewing.button_edit"), ctx.plain("reviewing.button_remove")
    for group in groups[:GROUPS_SHOWN]:
        value = GroupRef(group.pk).encode()
        line = ctx.t("reviewing.group_line", name=group.name, id=group.id, slack=group.slack)
        blocks.append(section(line))
        blocks.append(
            actions(
                button(edit, EDIT, value),
                button(remove_, REMOVE, value, "danger"),
                block_id=f"review_g_{group.pk}",
            )
        )
    return blocks[:BLOCKS_PER_MESSAGE]


def _usergroups(ctx: RequestContext) -> list[tuple[str, str]] | None:
    """The workspace's user groups as select options (`@handle`), or None if Slack won't say."""
    listed = ctx.lookup.usergroups(include_disabled=False)
    if listed is None:
        return None
    found = []
    for group in listed:
        if group.handle:
            name = group.name or group.handle
            label = f"@{group.handle} ({name})" if name != group.handle else f"@{group.handle}"
            found.append((label, f"@{group.handle}"))
    return sorted(found)[:OPTIONS_PER_SELECT] or None


def _value(body: dict[str, Any]) -> GroupRef:
    return GroupRef.decode((body.get("actions") or [{}])[0].get("value"))


def on_group_edit(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = request_context(context)
    value = _value(body)
    group = None
    if value.group is not None:
        try:
            with ctx.unit_of_work() as session:
                group = items.group(session, value.group)
        except NotFound:
            ctx.slack.respond(ctx.t("reviewing.gone"))
            return
    origin = origin_of(body)
    form = GroupForm(reply_url=origin.response_url, channel=origin.channel, group=value.group)
    view = forms.group_modal(ctx, group, _usergroups(ctx), form)
    ctx.slack.open_view(str(body["trigger_id"]), view)


def on_group_remove(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = request_context(context)
    value = _value(body)
    with ctx.unit_of_work():  # removed, and said so, in one commit
        removed = remove(
            ctx, lambda session: items.remove_group(session, ctx.actor, value.group or 0)
        )
        if removed is None:
            return
        groups = groups_blocks(ctx)
        ctx.slack.respond(ctx.t("reviewing.groups_title"), groups, replace_original=True)
        ctx.slack.respond(ctx.t("reviewing.removed_group", id=removed))


def usergroup_value(values: dict[str, Any]) -> str:
    """The chosen user group, or the typed one: `@handle` or an ID, as the format writes it."""
    typed = str(values.get("slack_typed") or "").strip()
    if typed:
        if typed.startswith(USERGROUP_PREFIX):
            typed = typed[len(USERGROUP_PREFIX) :].split("|")[0].rstrip(">")
        if not typed.startswith("@") and not (typed[:1] == "S" and typed.isupper()):
            typed = "@" + typed
        return typed
    return str(values.get("slack") or "")


def on_group_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    form = GroupForm.decode(view.get("private_metadata"))
    values = values_of(view)
    slack = usergroup_value(values)
    if not slack:
        errors = input_errors({"slack_typed": ctx.plain("reviewing.need_usergroup")})
        ack(response_action="errors", errors=errors)
        return
    data = {
        "id": str(values.get("id") or "").strip(),
        "name": str(values.get("name") or "").strip(),
        "slack": slack,
    }
    try:
        with ctx.unit_of_work() as session:
            saved = items.save_group(session, ctx.actor, data, form.group)
            confirm(ctx, form, ctx.t("reviewing.saved_group", id=saved.id))
    except Invalid as invalid:
        errors = forms.field_errors(ctx, view, invalid.issues, {"slack": "slack_typed"})
        ack(response_action="errors", errors=errors)
        return
    except NotFound:
        ack(response_action="errors", errors=gone(ctx, "id"))
        return
    ack()
