"""Living by the adopted policy, in Slack: `/policy acknowledge` and the *I have read it*
button (`acknowledge`, `ack_message`), `/policy coverage` (`coverage`), `/policy crisis`
(`crisis`), and the bot as Slack's AI assistant (`assistant`)."""

from __future__ import annotations

from slack_bolt import App

from bot import people
from handlers.guard import needs
from handlers.kit.later import later, listener, registering
from handlers.living.ids import MODAL, OPEN_ACTION, READ_ACTION
from handlers.router import Subcommand, router_for

__all__ = ["after_adoption", "crisis_banner", "lead_view", "register"]

# Imported when first used (`handlers.kit.later`).
crisis_banner = later("handlers.living.home:crisis_banner")
lead_view = later("handlers.living.home:lead_view")
after_adoption = later("handlers.living.rechecks:after_adoption")
registering(
    "handlers.living.reminders",  # what its scheduled jobs say
    "handlers.living.acknowledge",  # its completion steps
)


# name, what runs it, and its order in help; each has help, usage, details, example and
# aliases in the catalogue under its name, and is the communications lead's.
SUBCOMMANDS = (
    ("acknowledge", "handlers.living.acknowledge:run_acknowledge", 70),
    ("coverage", "handlers.living.coverage:run_coverage", 71),
    ("crisis", "handlers.living.crisis:run_crisis", 72),
)
HELP = {
    "acknowledge": (
        "help.acknowledge",
        "usage.acknowledge",
        "living.aliases.acknowledge",
        "help.details.acknowledge",
        "help.example.acknowledge",
    ),
    "coverage": (
        "help.coverage",
        "usage.coverage",
        "living.aliases.coverage",
        "help.details.coverage",
        "help.example.coverage",
    ),
    "crisis": (
        "help.crisis",
        "usage.crisis",
        "living.aliases.crisis",
        "help.details.crisis",
        "help.example.crisis",
    ),
}


def register(app: App) -> None:
    router = router_for(app)
    for name, run, order in SUBCOMMANDS:
        what, usage, aliases, details, example = HELP[name]
        router.add(
            Subcommand(
                name,
                later(run),
                help=what,
                usage=usage,
                needs=people.COMMS_LEAD,
                aliases=aliases,
                details=details,
                example=example,
                order=order,
            )
        )
    app.action(READ_ACTION)(listener("handlers.living.acknowledge:on_read"))
    lead = [needs(people.COMMS_LEAD)]
    app.action(OPEN_ACTION, middleware=lead)(listener("handlers.living.ack_form:on_choose"))
    app.view(MODAL, middleware=lead)(listener("handlers.living.ack_form:on_submit"))
