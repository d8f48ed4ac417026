"""What every reviewing listener shares: the comms-lead guard, payload helpers, late replies.

Buttons and modals are not routed through `/policy`, so each one checks the role itself; an
error is logged and told briefly, never shown as a traceback.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot import consolidation as core
from bot import people
from bot.storage.models.policy import DraftGroup, DraftRole, DraftRule
from handlers.context import RequestContext, request_context
from handlers.router import refusal
from handlers.slack_text import esc

log = logging.getLogger(__name__)

# -- permission and error guards for buttons and modals -------------------------------------
Handler = Callable[[RequestContext, dict[str, Any], Respond, Any], None]


def guarded(handler: Handler) -> Callable[..., None]:
    """Ack at once, refuse anyone below comms lead, and never let an error reach Slack raw."""

    def listener(
        ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: Any
    ) -> None:
        ack()
        ctx = request_context(context)
        if not ctx.has_role(people.COMMS_LEAD):
            respond(text=refusal(ctx, people.COMMS_LEAD), replace_original=False)
            return
        try:
            handler(ctx, body, respond, client)
        except Exception:
            log.exception("review action %s failed", action_of(body).get("action_id"))
            respond(text=ctx.t("common.failed"), replace_original=False)

    listener.__name__ = handler.__name__
    return listener


ViewHandler = Callable[[RequestContext, dict[str, Any], Ack, Any], None]


def guarded_view(handler: ViewHandler) -> Callable[..., None]:
    def listener(ack: Ack, body: dict[str, Any], context: BoltContext, client: Any) -> None:
        ctx = request_context(context)
        if not ctx.has_role(people.COMMS_LEAD):
            first = first_input(body.get("view") or {})
            ack(response_action="errors", errors={first: refusal(ctx, people.COMMS_LEAD)[:150]})
            return
        try:
            handler(ctx, body, ack, client)
        except Exception:
            log.exception("review modal %s failed", (body.get("view") or {}).get("callback_id"))
            first = first_input(body.get("view") or {})
            ack(response_action="errors", errors={first: ctx.t("common.failed")[:150]})

    listener.__name__ = handler.__name__
    return listener


def first_input(view: dict[str, Any]) -> str:
    for block in view.get("blocks") or []:
        if block.get("type") == "input":
            return str(block.get("block_id"))
    return "title"


def action_of(body: dict[str, Any]) -> dict[str, Any]:
    return (body.get("actions") or [{}])[0]


def value_of(body: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(action_of(body).get("value") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def say_later(client: Any, metadata: dict[str, Any], user: str, text: str) -> None:
    """Tell the lead what a modal did: through the response_url of the message it came from,
    else as an ephemeral in the channel it came from."""
    url, channel = metadata.get("u"), metadata.get("c")
    try:
        if url:
            WebhookClient(url).send(text=text, response_type="ephemeral", replace_original=False)
        elif channel:
            client.chat_postEphemeral(channel=channel, user=user, text=text)
    except (SlackApiError, OSError) as error:
        log.info("could not confirm to %s: %s", user, error)


def origin(body: dict[str, Any]) -> dict[str, Any]:
    """Where a button was pressed, so a modal opened from it can answer there later."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    found = {"u": body.get("response_url"), "c": channel}
    return {k: v for k, v in found.items() if v}


# -- removing from the draft ----------------------------------------------------------------
_REMOVERS: dict[type, Callable[[Any, str, int], dict[str, Any]]] = {
    DraftRule: core.remove_rule,
    DraftRole: core.remove_role,
    DraftGroup: core.remove_group,
}


def remove_from_draft(
    ctx: RequestContext,
    respond: Respond,
    model: type[DraftRule] | type[DraftRole] | type[DraftGroup],
    pk: int,
) -> dict[str, Any] | None:
    """Remove a rule, role or group; what it was, or None after telling the lead why not
    (someone removed it already, or rules still use it)."""
    try:
        with ctx.db.session() as session:
            row = session.get(model, pk)
            # Read before removing: a refusal names the role or group the rules still use.
            item_id = _item_id(row)
            removed = _REMOVERS[model](session, ctx.user_id or "", pk)
    except core.NotFound:
        respond(text=ctx.t("reviewing.gone"), replace_original=False)
        return None
    except core.InUse as in_use:
        respond(
            text=ctx.t("reviewing.in_use", id=esc(item_id), used=", ".join(in_use.used_by)),
            replace_original=False,
        )
        return None
    return removed


def _item_id(row: DraftRule | DraftRole | DraftGroup | None) -> str:
    if row is None:
        return ""
    if isinstance(row, DraftRule):
        return row.rule_id
    return row.role_id if isinstance(row, DraftRole) else row.group_id
