"""Living by the adopted policy, in Slack: `/policy acknowledge` and the *I have read it*
button (`acknowledge`, `ack_message`), `/policy coverage` (`coverage`), `/policy crisis`
(`crisis`), and the bot as Slack's AI assistant (`assistant`)."""

from __future__ import annotations

from slack_bolt import App

from bot import people
from handlers.guard import needs
from handlers.living import ack_form
from handlers.living.ack_message import READ_ACTION
from handlers.living.acknowledge import on_read, run_acknowledge
from handlers.living.coverage import run_coverage
from handlers.living.crisis import run_crisis
from handlers.living.home import crisis_banner, lead_view
from handlers.living.rechecks import after_adoption
from handlers.router import Subcommand, router_for

__all__ = ["after_adoption", "crisis_banner", "lead_view", "register"]


def register(app: App) -> None:
    router = router_for(app)
    router.add(
        Subcommand(
            "acknowledge",
            run_acknowledge,
            help="help.acknowledge",
            usage="usage.acknowledge",
            needs=people.COMMS_LEAD,
            aliases="living.aliases.acknowledge",
            details="help.details.acknowledge",
            example="help.example.acknowledge",
            order=70,
        )
    )
    router.add(
        Subcommand(
            "coverage",
            run_coverage,
            help="help.coverage",
            usage="usage.coverage",
            needs=people.COMMS_LEAD,
            aliases="living.aliases.coverage",
            details="help.details.coverage",
            example="help.example.coverage",
            order=71,
        )
    )
    router.add(
        Subcommand(
            "crisis",
            run_crisis,
            help="help.crisis",
            usage="usage.crisis",
            needs=people.COMMS_LEAD,
            aliases="living.aliases.crisis",
            details="help.details.crisis",
            example="help.example.crisis",
            order=72,
        )
    )
    app.action(READ_ACTION)(on_read)
    app.action(ack_form.OPEN_ACTION, middleware=[needs(people.COMMS_LEAD)])(ack_form.on_choose)
    app.view(ack_form.MODAL, middleware=[needs(people.COMMS_LEAD)])(ack_form.on_submit)
