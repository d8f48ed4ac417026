"""Drafting in Slack: `/policy draft|status|show`, the buttons that start a section, and the
session threads.

`commands` answers the commands and the start buttons, `flow` runs a session (its message,
each question, the summary), `thread` listens in session threads (replies, edits, deletes,
navigation and picks), `views` and `show` build what is posted.
"""

from __future__ import annotations

import re

from slack_bolt import Ack, App

from bot import people
from handlers.drafting.ids import (
    LIBRARY_SELECT,
    NEW_ROUND,
    PICK_BUTTON,
    PICK_SELECT,
    PICKS_SELECT,
    START_MODAL,
)
from handlers.guard import needs
from handlers.kit.actions import RESUME_SECTION, START_SECTION
from handlers.kit.later import later, listener, registering
from handlers.router import Subcommand, router_for

# Imported when first used (`handlers.kit.later`).
COMMANDS = "handlers.drafting.commands"
THREAD = "handlers.drafting.thread"
start_session_in_channel = later("handlers.drafting.flow:start_session_in_channel")
registering("handlers.drafting.flow")  # its completion steps

__all__ = ["register", "start_session_in_channel"]


def register(app: App) -> None:
    router = router_for(app)
    working_group = people.WORKING_GROUP
    router.add(
        Subcommand(
            "draft",
            later(f"{COMMANDS}:run_draft"),
            help="help.draft",
            usage="usage.draft",
            needs=working_group,
            aliases="drafting.aliases.draft",
            details="help.details.draft",
            example="help.example.draft",
            order=20,
            more=later(f"{COMMANDS}:draft_help"),
        )
    )
    router.add(
        Subcommand(
            "status",
            later(f"{COMMANDS}:run_status"),
            help="help.status",
            needs=working_group,
            details="help.details.status",
            example="help.example.status",
            order=21,
        )
    )
    router.add(
        Subcommand(
            "show",
            later(f"{COMMANDS}:run_show"),
            help="help.show",
            usage="usage.show",
            needs=working_group,
            aliases="drafting.aliases.show",
            details="help.details.show",
            example="help.example.show",
            order=22,
        )
    )
    member = needs(working_group, refusal_key="drafting.not_member_click")
    app.event("message", matchers=[listener(f"{THREAD}:in_session_thread")])(
        listener(f"{THREAD}:on_thread_message")
    )
    app.action(re.compile(r"^drafting_nav_(next|skip|back|done)$"), middleware=[member])(
        listener(f"{THREAD}:on_nav_button")
    )
    on_pick = listener(f"{THREAD}:on_pick")
    for picker in (re.compile(rf"^{PICK_BUTTON}\d+$"), PICK_SELECT, PICKS_SELECT, LIBRARY_SELECT):
        app.action(picker, middleware=[member])(on_pick)
    app.action(re.compile(rf"^{START_SECTION}"), middleware=[needs(working_group)])(
        listener(f"{COMMANDS}:on_start_button")
    )
    app.action(NEW_ROUND, middleware=[needs(working_group)])(listener(f"{COMMANDS}:on_new_round"))
    app.action(re.compile(rf"^{RESUME_SECTION}"))(_link_opened)  # Slack opens the thread
    app.view(START_MODAL, middleware=[needs(working_group, refusal_key="drafting.modal_refused")])(
        listener(f"{COMMANDS}:on_start_modal")
    )


def _link_opened(ack: Ack) -> None:
    ack()
