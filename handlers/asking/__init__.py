"""Answering employees in Slack: `/policy check|who|mine|gaps|escalations`, direct messages,
mentions, the "Check against policy" message shortcut, and escalation to a role.

The core (`bot.asking`) decides; this package reads what people send (`questions`), renders
answers (`answers`, `certainty`, `contacts`), passes questions on (`escalation`, `targets`,
`escalation_post`), carries the conversation between role and asker (`conversation`), shows
askers their own questions (`mine`) and serves the communications lead (`lead`).

Message listeners, in registration order (Bolt runs only the first whose matchers match):
1. `relay_escalation_reply`: a reply in either thread of an escalation (the post to the role,
   or the asker's thread in their DM with the bot; found in the database by channel and
   thread_ts), never a drafting thread.
2. `answer_direct_message`: a direct message (channel_type `im`, no subtype, not a bot), not
   in an escalation thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App, Assistant

from bot import people
from handlers.asking.ids import ESCALATE_ACTION, GAP_DRAFT_ACTION, MARK_ANSWERED_ACTION, SHORTCUT
from handlers.guard import needs
from handlers.kit.later import later, listener, registering
from handlers.router import Subcommand, router_for

if TYPE_CHECKING:
    from handlers.asking.lead import StartDrafting

# Imported when first used (`handlers.kit.later`).
QUESTIONS = "handlers.asking.questions"
LEAD = "handlers.asking.lead"
CONVERSATION = "handlers.asking.conversation"
ASSISTANT = "handlers.asking.assistant"
registering("handlers.asking.escalation")  # its completion steps


def register(app: App, start_drafting: StartDrafting) -> None:
    router = router_for(app)
    router.add(
        Subcommand(
            "check",
            later(f"{QUESTIONS}:run_check"),
            help="help.check",
            usage="usage.check",
            aliases="asking.aliases.check",
            details="help.details.check",
            example="help.example.check",
            order=10,
        )
    )
    router.add(
        Subcommand(
            "who",
            later(f"{QUESTIONS}:run_who"),
            help="help.who",
            usage="usage.who",
            aliases="asking.aliases.who",
            details="help.details.who",
            example="help.example.who",
            order=11,
        )
    )
    router.add(
        Subcommand(
            "mine",
            later("handlers.asking.mine:run_mine"),
            help="help.mine",
            aliases="asking.aliases.mine",
            details="help.details.mine",
            example="help.example.mine",
            order=12,
        )
    )
    router.add(
        Subcommand(
            "gaps",
            later(f"{LEAD}:run_gaps"),
            help="help.gaps",
            needs=people.COMMS_LEAD,
            aliases="asking.aliases.gaps",
            details="help.details.gaps",
            example="help.example.gaps",
            order=60,
        )
    )
    router.add(
        Subcommand(
            "escalations",
            later(f"{LEAD}:run_escalations"),
            help="help.escalations",
            needs=people.COMMS_LEAD,
            aliases="asking.aliases.escalations",
            details="help.details.escalations",
            example="help.example.escalations",
            order=61,
        )
    )
    _register_assistant(app)  # before the message listeners: its threads are its own
    app.event("message", matchers=[listener(f"{CONVERSATION}:is_escalation_reply")])(
        listener(f"{CONVERSATION}:relay_escalation_reply")
    )
    app.event("message", matchers=[listener(f"{QUESTIONS}:is_direct_question")])(
        listener(f"{QUESTIONS}:answer_direct_message")
    )
    app.event("app_mention")(listener(f"{QUESTIONS}:answer_mention"))
    app.shortcut(SHORTCUT)(listener(f"{QUESTIONS}:check_shortcut"))
    app.action(ESCALATE_ACTION)(listener("handlers.asking.escalation:escalate"))
    app.action(MARK_ANSWERED_ACTION)(listener(f"{CONVERSATION}:mark_answered"))
    gap_button = later(f"{LEAD}:start_drafting_from_gap")
    app.action(GAP_DRAFT_ACTION, middleware=[needs(people.COMMS_LEAD)])(
        listener(lambda: gap_button(start_drafting))  # made when first clicked
    )


def _register_assistant(app: App) -> None:
    helper = Assistant()
    helper.thread_started(listener(f"{ASSISTANT}:thread_started"))
    helper.thread_context_changed(listener(f"{ASSISTANT}:thread_context_changed"))
    # Bolt adds a list of matchers to its own (its type hint says one; its code wants a list).
    helper.user_message(matchers=[listener(f"{ASSISTANT}:in_an_assistant_thread")])(  # type: ignore[arg-type]
        listener(f"{ASSISTANT}:user_message")
    )
    app.assistant(helper)
