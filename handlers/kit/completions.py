"""A sent message's completion step: what a listener does with Slack's answer (the message's
timestamp, the person it was for), in a context and a unit of work of its own."""

from __future__ import annotations

import logging
from typing import Any

from bot import outbox
from bot.clock import using
from bot.outbox import Queued
from bot.storage import Session
from handlers.kit.context import RequestContext
from handlers.kit.outbox import PREPARES, Sent, completion_step
from handlers.kit.outside import first_outside
from handlers.kit.services import Services

log = logging.getLogger(__name__)
# A step may meet a profile only Slack can give (its person's, `kit.asker`; others',
# `kit.people`): two kinds of errand, so three runs at most (`kit.outside`).
RUNS = 3


def run_completion(services: Services, row: Queued, outcome: dict[str, Any]) -> None:
    """A row's completion step, with Slack's answer, in a unit of work of its own that also
    settles the row: of two senders that made the same call, one runs the step. Run by
    `first_outside`: a step that needs a profile Slack alone can give (`asker_known`,
    `know_people`) ends its unit of work, settling included, to have Slack asked with none
    open, and runs again."""
    args = dict(row.letter.hook_args or {})
    step = completion_step(row.letter.hook or "")
    user = args.get("user")
    ctx = RequestContext(
        services,
        services.outbox.client,
        str(user) if user else None,
        response_url=args.get("response_url"),
    )
    sent = Sent.of(outcome)
    prepare = PREPARES.get(row.letter.hook or "")
    if prepare is not None:  # its Slack look-ups and rendering, before the writer turn
        with using(services.clock):
            args["prepared"] = prepare(ctx, sent, **args)

    def settled_and_run(session: Session, _: None) -> None:
        if not outbox.settle(session, row, outcome, services.clock.now()):
            return  # another sender settled it and ran the step
        if step is None:
            log.error("no completion step %s: Slack's answer is not used", row.letter.hook)
            return
        step(ctx, sent, **args)

    first_outside(ctx, settled_and_run, None, RUNS)
