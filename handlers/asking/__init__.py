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

from slack_bolt import App

from bot import people
from handlers.asking.answers import ESCALATE_ACTION
from handlers.asking.assistant import register_assistant
from handlers.asking.conversation import is_escalation_reply, mark_answered, relay_escalation_reply
from handlers.asking.escalation import escalate
from handlers.asking.escalation_post import MARK_ANSWERED_ACTION
from handlers.asking.lead import (
    GAP_DRAFT_ACTION,
    StartDrafting,
    run_escalations,
    run_gaps,
    start_drafting_from_gap,
)
from handlers.asking.mine import run_mine
from handlers.asking.questions import (
    SHORTCUT,
    answer_direct_message,
    answer_mention,
    check_shortcut,
    is_direct_question,
    run_check,
    run_who,
)
from handlers.guard import needs
from handlers.router import Subcommand, router_for


def register(app: App, start_drafting: StartDrafting) -> None:
    router = router_for(app)
    router.add(
        Subcommand(
            "check",
            run_check,
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
            run_who,
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
            run_mine,
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
            run_gaps,
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
            run_escalations,
            help="help.escalations",
            needs=people.COMMS_LEAD,
            aliases="asking.aliases.escalations",
            details="help.details.escalations",
            example="help.example.escalations",
            order=61,
        )
    )
    register_assistant(app)  # before the message listeners: its threads are its own
    app.event("message", matchers=[is_escalation_reply])(relay_escalation_reply)
    app.event("message", matchers=[is_direct_question])(answer_direct_message)
    app.event("app_mention")(answer_mention)
    app.shortcut(SHORTCUT)(check_shortcut)
    app.action(ESCALATE_ACTION)(escalate)
    app.action(MARK_ANSWERED_ACTION)(mark_answered)
    app.action(GAP_DRAFT_ACTION, middleware=[needs(people.COMMS_LEAD)])(
        start_drafting_from_gap(start_drafting)
    )
