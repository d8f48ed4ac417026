"""`/policy help` and `/policy role add|remove|list`: who may do what."""

from __future__ import annotations

from slack_bolt import App

from handlers.admin.help import show_help
from handlers.admin.roles import manage_roles
from handlers.router import Subcommand, router_for


def register(app: App) -> None:
    router = router_for(app)
    router.add(
        Subcommand(
            "help",
            lambda call: show_help(call, router),
            help="help.help",
            usage="usage.help",
            aliases="help.aliases",
            details="help.details.help",
            example="help.example.help",
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
            details="help.details.role",
            example="help.example.role",
            order=90,
        )
    )
