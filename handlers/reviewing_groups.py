"""The draft's groups in Slack: `/policy groups` (communications lead) lists them with edit and
remove buttons; the group modal adds or changes one.

A group is a Slack user group a rule can apply to (`applies_to`); the modal offers the
workspace's user groups, or takes a typed `@handle` or ID when Slack won't list them.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackApiError

from bot import consolidation as core
from bot import people
from bot.draft_policy import group_dict, group_rows
from bot.storage.models.policy import DraftGroup
from handlers.blocks import Block, actions, button, context, section
from handlers.context import RequestContext
from handlers.reviewing_common import (
    guarded,
    guarded_view,
    origin,
    remove_from_draft,
    say_later,
    value_of,
)
from handlers.reviewing_modals import (
    GROUP_MODAL,
    ack_field_errors,
    group_modal,
    metadata_of,
    values_of,
)
from handlers.router import CommandCall, CommandRouter, Subcommand
from handlers.slack_text import BLOCKS_PER_MESSAGE, esc

log = logging.getLogger(__name__)


def register(app: App, router: CommandRouter) -> None:
    router.add(Subcommand("groups", run_groups, needs=people.COMMS_LEAD, order=41))
    for action_id, handler in (
        ("review_group_add", on_group_edit),
        ("review_group_edit", on_group_edit),
        ("review_group_remove", on_group_remove),
        ("review_groups", on_show_groups),
    ):
        app.action(action_id)(guarded(handler))
    app.view(GROUP_MODAL)(guarded_view(on_group_submitted))


def run_groups(call: CommandCall) -> None:
    call.reply(call.ctx.t("reviewing.groups_title"), groups_blocks(call.ctx))


def on_show_groups(
    ctx: RequestContext, body: dict[str, Any], respond: Respond, client: Any
) -> None:
    respond(text=ctx.t("reviewing.groups_title"), blocks=groups_blocks(ctx), replace_original=False)


def groups_blocks(ctx: RequestContext) -> list[Block]:
    blocks: list[Block] = [
        section(
            ctx.t("reviewing.groups_title"),
            button(ctx.t("reviewing.button_add_group"), "review_group_add", "{}"),
        )
    ]
    with ctx.db.session() as session:
        groups = [(g.pk, group_dict(g)) for g in group_rows(session)]
    if not groups:
        blocks.append(context(ctx.t("reviewing.no_groups")))
    for pk, group in groups[:24]:
        value = json.dumps({"g": pk})
        blocks.append(
            section(
                ctx.t(
                    "reviewing.group_line",
                    name=esc(group["name"]),
                    id=esc(group["id"]),
                    slack=esc(group["slack"]),
                )
            )
        )
        blocks.append(
            actions(
                button(ctx.t("reviewing.button_edit"), "review_group_edit", value),
                button(ctx.t("reviewing.button_remove"), "review_group_remove", value, "danger"),
                block_id=f"review_g_{pk}",
            )
        )
    return blocks[:BLOCKS_PER_MESSAGE]


def _usergroups(ctx: RequestContext, client: Any) -> list[tuple[str, str]] | None:
    """The workspace's user groups as select options (`@handle`), or None if Slack won't say."""
    try:
        answer = client.usergroups_list(include_disabled=False)
    except SlackApiError as error:
        log.info("usergroups.list failed: %s", error.response.get("error"))
        return None
    found = []
    for group in answer.get("usergroups") or []:
        handle = group.get("handle")
        if handle:
            name = group.get("name") or handle
            found.append((f"@{handle} ({name})" if name != handle else f"@{handle}", f"@{handle}"))
    return sorted(found)[:100] or None


def on_group_edit(ctx: RequestContext, body: dict[str, Any], respond: Respond, client: Any) -> None:
    value = value_of(body)
    group: dict[str, Any] = {}
    pk = value.get("g")
    if pk is not None:
        with ctx.db.session() as session:
            row = session.get(DraftGroup, int(pk))
            if row is None:
                respond(text=ctx.t("reviewing.gone"), replace_original=False)
                return
            group = group_dict(row)
    view = group_modal(ctx, group, _usergroups(ctx, client), origin(body) | {"pk": pk})
    client.views_open(trigger_id=body["trigger_id"], view=view)


def on_group_remove(
    ctx: RequestContext, body: dict[str, Any], respond: Respond, client: Any
) -> None:
    value = value_of(body)
    removed = remove_from_draft(ctx, respond, DraftGroup, int(value.get("g", 0)))
    if removed is None:
        return
    respond(text=ctx.t("reviewing.groups_title"), blocks=groups_blocks(ctx), replace_original=True)
    respond(text=ctx.t("reviewing.removed_group", id=esc(removed["id"])), replace_original=False)


def usergroup_value(values: dict[str, Any]) -> str:
    """The chosen user group, or the typed one: `@handle` or an ID, as the format writes it."""
    typed = str(values.get("slack_typed") or "").strip()
    if typed:
        if typed.startswith("<!subteam^"):  # pasted from a message: <!subteam^S123|@handle>
            typed = typed[len("<!subteam^") :].split("|")[0].rstrip(">")
        if not typed.startswith("@") and not (typed[:1] == "S" and typed.isupper()):
            typed = "@" + typed
        return typed
    return str(values.get("slack") or "")


def on_group_submitted(ctx: RequestContext, body: dict[str, Any], ack: Ack, client: Any) -> None:
    view = body["view"]
    metadata = metadata_of(view)
    values = values_of(view)
    pk = metadata.get("pk")
    slack = usergroup_value(values)
    if not slack:
        ack(
            response_action="errors",
            errors={"slack_typed": ctx.t("reviewing.need_usergroup")[:150]},
        )
        return
    data = {
        "id": str(values.get("id") or "").strip(),
        "name": str(values.get("name") or "").strip(),
        "slack": slack,
    }
    try:
        with ctx.db.session() as session:
            row = core.save_group(session, ctx.user_id or "", data, int(pk) if pk else None)
            group_id = row.group_id
    except core.Invalid as invalid:
        ack_field_errors(ctx, ack, view, invalid.issues, slack="slack_typed")
        return
    except core.NotFound:
        ack(response_action="errors", errors={"id": ctx.t("reviewing.gone")[:150]})
        return
    ack()
    say_later(client, metadata, ctx.user_id or "", ctx.t("reviewing.saved_group", id=esc(group_id)))
