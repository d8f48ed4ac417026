"""The working group's rhythm on the Slack side: the project's setup, owners and deadlines,
what each reminder says, the weekly digest, and management's sign-off."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from slack_bolt import App

from bot import people
from handlers.guard import needs
from handlers.kit.actions import PLAN_SECTION, SETUP_PROJECT, SIGNOFF_IN_SLACK
from handlers.kit.later import later, listener, registering
from handlers.rhythm.ids import (
    APPROVE,
    DECLINE,
    DECLINE_MODAL,
    PLAN_MODAL,
    SETUP_MODAL,
    SIGNOFF_MODAL,
    WITHDRAW,
)
from handlers.router import Subcommand, router_for

if TYPE_CHECKING:
    from handlers.rhythm.decisions import Announce

# Imported when first used (`handlers.kit.later`). What each reminder and the digest say
# registers with the scheduler as they are imported.
registering(
    "handlers.rhythm.digest",
    "handlers.rhythm.reminders",
    "handlers.rhythm.signoff",  # its completion step
    "handlers.rhythm.setup",  # its completion step (the user group's members, after the ack)
)
PLAN = "handlers.rhythm.plan"
SETUP = "handlers.rhythm.setup"
SIGNOFF = "handlers.rhythm.signoff"


def register(app: App, *, announce: Announce) -> None:
    """`announce`: the reviewing capability's announcement of a new version (passed in where
    the two meet, `handlers/__init__.py`), for a version adopted by sign-off in Slack."""
    router = router_for(app)
    router.add(
        Subcommand(
            "plan",
            later(f"{PLAN}:run_plan"),
            help="help.plan",
            usage="usage.plan",
            needs=people.COMMS_LEAD,
            aliases="rhythm.aliases.plan",
            details="help.details.plan",
            example="help.example.plan",
            order=34,
        )
    )
    router.add(
        Subcommand(
            "setup",
            later(f"{SETUP}:run_setup"),
            help="help.setup",
            needs=people.COMMS_LEAD,
            aliases="rhythm.aliases.setup",
            details="help.details.setup",
            example="help.example.setup",
            order=33,
        )
    )
    lead = [needs(people.COMMS_LEAD)]
    app.action(SETUP_PROJECT, middleware=lead)(listener(f"{SETUP}:on_setup_button"))
    app.view(SETUP_MODAL, middleware=lead)(listener(f"{SETUP}:on_setup_submitted"))
    app.action(PLAN_SECTION, middleware=lead)(listener(f"{PLAN}:on_plan_button"))
    app.view(PLAN_MODAL, middleware=lead)(listener(f"{PLAN}:on_plan_submitted"))
    app.action(SIGNOFF_IN_SLACK, middleware=lead)(listener(f"{SIGNOFF}:on_open"))
    app.view(SIGNOFF_MODAL, middleware=lead)(listener(f"{SIGNOFF}:on_submitted"))
    decisions = later("handlers.rhythm.decisions:Decisions")
    deciding = cache(lambda: decisions(announce))  # made when first clicked
    # Whoever was asked may decide (the core checks they are an approver of the request).
    app.action(APPROVE)(listener(lambda: deciding().on_approve))
    app.action(DECLINE)(listener(lambda: deciding().on_decline))
    app.view(DECLINE_MODAL)(listener(lambda: deciding().on_decline_submitted))
    app.action(WITHDRAW, middleware=lead)(listener(lambda: deciding().on_withdraw))
