"""Choosing who must acknowledge an adopted version, in a modal: *Ask to acknowledge…* on the
lead's follow-up of an adoption and on the App Home opens it; a channel (Slack's picker), a
user group, or everyone in the workspace. Submitted, the modal closes at once and the people
are asked as `/policy acknowledge` asks them; the lead hears how many in a direct message."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.living import acknowledgement as acks
from handlers.kit.blocks import (
    Block,
    View,
    actions,
    button,
    channel_input,
    input_errors,
    modal,
    section,
    select_input,
    values_of,
)
from handlers.kit.context import RequestContext, request_context
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.payloads import AckForm
from handlers.living.acknowledge import ask_people, members_of
from handlers.living.ids import MODAL, OPEN_ACTION

EVERYONE = "workspace"
USERGROUP_VALUE = "usergroup:"


def choose_button(ctx: RequestContext, version: int) -> Block:
    label = ctx.plain("living.ack.choose_button")
    return actions(button(label, OPEN_ACTION, AckForm(version).encode()), block_id=OPEN_ACTION)


def on_choose(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = request_context(context)
    form = AckForm.decode((body.get("actions") or [{}])[0].get("value"))
    ctx.slack.open_view(str(body.get("trigger_id") or ""), form_view(ctx, form))


def form_view(ctx: RequestContext, form: AckForm) -> View:
    groups = ctx.lookup.usergroups() or []
    choices = [(ctx.plain("living.ack.everyone_choice"), EVERYONE)] + [
        (f"@{g.handle}" if g.handle else g.name, USERGROUP_VALUE + g.id) for g in groups
    ]
    blocks = [
        section(ctx.t("living.ack.form_intro")),
        channel_input(
            "channel",
            ctx.plain("living.ack.field_channel"),
            None,
            action_id="living_ack_channel",
            optional=True,
        ),
        select_input(
            "group",
            ctx.plain("living.ack.field_group"),
            choices,
            None,
            ctx.plain("living.ack.field_group_placeholder"),
            action_id="living_ack_group",
            optional=True,
        ),
    ]
    return modal(
        MODAL,
        ctx.plain("living.ack.form_title"),
        blocks,
        metadata=form.encode(),
        submit=ctx.plain("living.ack.form_submit"),
        close=ctx.plain("living.ack.form_cancel"),
    )


def audience_from(values: dict[str, Any]) -> acks.Audience | None:
    channel, group = values.get("channel"), values.get("group")
    if bool(channel) == bool(group):
        return None  # one of the two, please
    if channel:
        return acks.Audience(acks.CHANNEL, str(channel))
    if group == EVERYONE:
        return acks.Audience(acks.WORKSPACE)
    if str(group).startswith(USERGROUP_VALUE) and len(str(group)) > len(USERGROUP_VALUE):
        return acks.Audience(acks.USERGROUP, str(group)[len(USERGROUP_VALUE) :])
    return None


def on_submit(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    form = AckForm.decode(view.get("private_metadata"))
    audience = audience_from(values_of(view))
    if audience is None:
        ack(
            response_action="errors",
            errors=input_errors({"group": ctx.t("living.ack.form_one_of")}),
        )
        return
    ack()  # the modal closes; asking many people takes longer than Slack waits
    with ctx.unit_of_work() as session:
        found = acks.version_doc(session, form.version)
    people = members_of(ctx, audience) if found is not None else None
    if found is None or people is None:
        silent = ctx.t("living.ack.slack_silent")  # before: their language may need Slack
        with ctx.unit_of_work():  # the note recorded, to be sent once
            ctx.slack.direct_message(ctx.actor, silent)
        return
    ask_people(ctx, found, audience, people, None, lambda said: tell_lead(ctx, said))


def tell_lead(ctx: RequestContext, said: Mrkdwn) -> None:
    ctx.slack.direct_message(ctx.actor, said)
