"""The one guard: who may press a button, submit a modal or run a `/policy` sub-command.

The role a listener needs is declared once, where it is registered:

    app.action("review_accept", middleware=[needs(people.COMMS_LEAD)])(on_accept)
    router.add(Subcommand("adopt", run_adopt, needs=people.COMMS_LEAD, …))

`needs()` is a Bolt listener middleware: the listener runs only for someone who holds the
role. Anyone else is refused in their own language, naming the role: a modal submission keeps
the modal open with the refusal under its first field (`response_action: errors`); a button,
shortcut or command is answered ephemerally (see `replies.answer_privately`). Nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, BoltResponse

from bot.storage import unavailable
from handlers.kit.blocks import first_input, input_errors
from handlers.kit.context import RequestContext, request_context
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.replies import answer_privately
from handlers.kit.unavailable import database_down

REFUSED = "common.refused"  # names the role: "only someone with the role *{role}* may do that"


def refusal(ctx: RequestContext, role: str, key: str = REFUSED) -> Mrkdwn:
    return ctx.t(key, role=ctx.role_name(role))


def needs(role: str, *, refusal_key: str = REFUSED) -> Callable[..., BoltResponse | None]:
    """A listener middleware that lets only holders of `role` through (`refusal_key`: a
    catalogue message of the listener's own, when it has a better word than the role's)."""

    def guard(
        ack: Ack,
        body: dict[str, Any],
        context: BoltContext,
        next: Callable[[], None],  # noqa: A002
    ) -> BoltResponse | None:
        ctx = request_context(context)
        try:
            allowed = ctx.has_role(role)
        except Exception as error:
            if not unavailable(error):
                raise
            # Nobody can say who holds which role: the person is told to try again.
            return database_down(ctx, body, acked=False)
        if allowed:
            next()
            return None
        return refuse(ctx, body, ack, lambda: refusal(ctx, role, refusal_key))

    guard.__name__ = f"needs_{role}"
    return guard


def refuse(
    ctx: RequestContext, body: dict[str, Any], ack: Ack, text: Callable[[], Mrkdwn]
) -> BoltResponse:
    """Acknowledge the request with the refusal: in the modal, or privately to the person.
    The listener does not run, so the request is finished here. `text` is made after the
    ack where the ack does not carry it, so that the person's language may then be asked
    of Slack (before the ack it is the stored one, or a guess: `RequestContext.lang`)."""
    if body.get("type") == "view_submission":
        view = body.get("view") or {}
        answered = ack(response_action="errors", errors=input_errors({first_input(view): text()}))
    else:
        answered = ack()
        answer_privately(ctx, body, text())
    ctx.finish()
    return answered
