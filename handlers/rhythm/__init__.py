"""The working group's rhythm on the Slack side: the project's setup, owners and deadlines,
what each reminder says, the weekly digest, and management's sign-off."""

from __future__ import annotations

from slack_bolt import App

from bot import people
from handlers.rhythm import digest, reminders
from handlers.rhythm.plan import run_plan
from handlers.router import Subcommand, router_for

# What each reminder and the digest say registers with the scheduler as they are imported.
SCHEDULED = (digest, reminders)


def register(app: App) -> None:
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
