"""`/policy help` and `/policy role add|remove|list`: who may do what."""

from __future__ import annotations

from slack_bolt import App

from handlers.admin.roles import manage_roles, show_help
from handlers.router import Subcommand, router_for


def register(app: App) -> None:
    router = router_for(app)
    router.add(
        Subcommand(
            "help",
            lambda call: show_help(call, router),
            help="help.help",
            aliases="help.aliases",
            order=99,
        )
    )
    router.add(
        Subcommand(
            "role",
            manage_roles,
            help="help.role",
            usage="usage.role",
            aliases="admin.aliases",
            order=90,
        )
    )
