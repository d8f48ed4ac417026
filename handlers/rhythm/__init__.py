"""The working group's rhythm on the Slack side: the project's setup, owners and deadlines,
what each reminder says, the weekly digest, and management's sign-off."""

from __future__ import annotations

from slack_bolt import App

from bot import people
from handlers.guard import needs
from handlers.kit.status import PLAN_SECTION, SETUP_PROJECT, SIGNOFF_IN_SLACK
from handlers.rhythm import digest, reminders, signoff
from handlers.rhythm.decisions import DECLINE_MODAL, Announce, Decisions
from handlers.rhythm.plan import PLAN_MODAL, on_plan_button, on_plan_submitted, run_plan
from handlers.rhythm.setup import CALLBACK, on_setup_button, on_setup_submitted, run_setup
from handlers.router import Subcommand, router_for

# What each reminder and the digest say registers with the scheduler as they are imported.
SCHEDULED = (digest, reminders)


def register(app: App, *, announce: Announce) -> None:
    """`announce`: the reviewing capability's announcement of a new version (passed in where
    the two meet, `handlers/__init__.py`), for a version adopted by sign-off in Slack."""
    router = router_for(app)
    router.add(
        Subcommand(
            "plan",
            run_plan,
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
            run_setup,
            help="help.setup",
            needs=people.COMMS_LEAD,
            aliases="rhythm.aliases.setup",
            details="help.details.setup",
            example="help.example.setup",
            order=33,
        )
    )
    lead = [needs(people.COMMS_LEAD)]
    app.action(SETUP_PROJECT, middleware=lead)(on_setup_button)
    app.view(CALLBACK, middleware=lead)(on_setup_submitted)
    app.action(PLAN_SECTION, middleware=lead)(on_plan_button)
    app.view(PLAN_MODAL, middleware=lead)(on_plan_submitted)
    app.action(SIGNOFF_IN_SLACK, middleware=lead)(signoff.on_open)
    app.view(signoff.CALLBACK, middleware=lead)(signoff.on_submitted)
    deciding = Decisions(announce)
    # Whoever was asked may decide (the core checks they are an approver of the request).
    app.action(signoff.APPROVE)(deciding.on_approve)
    app.action(signoff.DECLINE)(deciding.on_decline)
    app.view(DECLINE_MODAL)(deciding.on_decline_submitted)
    app.action(signoff.WITHDRAW, middleware=lead)(deciding.on_withdraw)
