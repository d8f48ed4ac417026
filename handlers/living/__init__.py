"""Living by the adopted policy, in Slack: `/policy acknowledge` and the *I have read it*
button (`acknowledge`, `ack_message`), `/policy coverage` (`coverage`), `/policy crisis`
(`crisis`), and the bot as Slack's AI assistant (`assistant`)."""

from __future__ import annotations

from slack_bolt import App

from bot import people
from handlers.guard import needs
from handlers.living import ack_form, reminders  # noqa: F401 (reminders: scheduled jobs)
from handlers.living.ack_message import READ_ACTION
from handlers.living.acknowledge import on_read, run_acknowledge
from handlers.living.coverage import run_coverage
from handlers.living.crisis import run_crisis
from handlers.living.home import crisis_banner, lead_view
from handlers.living.rechecks import after_adoption
from handlers.router import Subcommand, router_for

__all__ = ["after_adoption", "crisis_banner", "lead_view", "register"]


# name, what runs it, and its order in help; each has help, usage, details, example and
# aliases in the catalogue under its name, and is the communications lead's.
SUBCOMMANDS = (
    ("acknowledge", run_acknowledge, 70),
    ("coverage", run_coverage, 71),
    ("crisis", run_crisis, 72),
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
                run,
                help=what,
                usage=usage,
                needs=people.COMMS_LEAD,
                aliases=aliases,
                details=details,
                example=example,
                order=order,
            )
        )
    app.action(READ_ACTION)(on_read)
    app.action(ack_form.OPEN_ACTION, middleware=[needs(people.COMMS_LEAD)])(ack_form.on_choose)
    app.view(ack_form.MODAL, middleware=[needs(people.COMMS_LEAD)])(ack_form.on_submit)
