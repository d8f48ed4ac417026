"""Consolidation and adoption in Slack, for the communications lead: `/policy review`,
`groups`, `adopt`, `adopted` and `export`, and the buttons and modals they bring.

`pages` shows the overview and a section's review, `buttons` and `submissions` handle what
the lead clicks and submits (the modals are built in `forms`), `groups`, `adoption` and
`export` serve their commands. Every button and modal here needs the communications lead;
the guard is declared once, below, where they are registered.
"""

from __future__ import annotations

from slack_bolt import App

from bot import people
from handlers.guard import needs
from handlers.kit.later import later, listener, registering
from handlers.reviewing import ids, names
from handlers.reviewing.follow_ups import AFTER_ADOPTION, AfterAdoption
from handlers.router import Subcommand, router_for

# Imported when first used (`handlers.kit.later`): "module:function" under handlers.reviewing.
BUTTONS = {
    ids.OPEN: "buttons:on_open_section",
    ids.PAGE_BACK: "buttons:on_turn_page",
    ids.PAGE_NEXT: "buttons:on_turn_page",
    **{action_id: "decisions:on_decide" for action_id in ids.DECIDE_ACTIONS},
    ids.ACCEPT_ALL: "decisions:on_accept_all",
    ids.DECISIONS_EDIT: "decisions:on_edit_decisions",
    ids.EDIT_TEXT: "buttons:on_edit_text",
    ids.PREFILL: "buttons:on_edit_text",
    ids.RULE_ADD: "buttons:on_rule_edit",
    ids.RULE_EDIT: "buttons:on_rule_edit",
    ids.RULE_REMOVE: "buttons:on_rule_remove",
    ids.ROLE_ADD: "buttons:on_role_edit",
    ids.ROLE_EDIT: "buttons:on_role_edit",
    ids.ROLE_REMOVE: "buttons:on_role_remove",
    ids.SETTINGS: "buttons:on_settings",
    ids.GROUP_ADD: "groups:on_group_edit",
    ids.GROUP_EDIT: "groups:on_group_edit",
    ids.GROUP_REMOVE: "groups:on_group_remove",
    ids.GROUP_SHOW: "groups:on_show_groups",
    ids.READOPT: "adoption:on_readopt",
}
MODALS = {
    ids.TEXT_MODAL: "submissions:on_text_submitted",
    ids.RULE_MODAL: "submissions:on_rule_submitted",
    ids.ROLE_MODAL: "role_submitted:on_role_submitted",
    ids.SETTINGS_MODAL: "submissions:on_settings_submitted",
    ids.DECISION_MODAL: "decisions:on_decision_submitted",
    ids.DECISIONS_MODAL: "decisions:on_decisions_submitted",
    ids.GROUP_MODAL: "groups:on_group_submitted",
    ids.CONFIRM_MODAL: "adoption:on_confirmed",
    ids.APPROVAL_MODAL: "adoption:on_approved",
}
registering(
    "handlers.reviewing.adoption",  # its completion steps
    "handlers.reviewing.role_submitted",  # its completion step (the contact, after the ack)
    "handlers.reviewing.export",
)
# The announcement of a new version, for the rhythm's sign-off in Slack.
announcement_message = later("handlers.reviewing.adoption:announcement_message")


def _here(target: str) -> str:
    return f"{__name__}.{target}"


def register(app: App, after_adoption: dict[str, AfterAdoption] | None = None) -> None:
    """`after_adoption`: what other capabilities do once a version is adopted, by name."""
    AFTER_ADOPTION.update(after_adoption or {})
    lead = people.COMMS_LEAD
    router = router_for(app)
    for sub in (
        Subcommand(
            "review",
            later(_here("pages:run_review")),
            help="help.review",
            usage="usage.review",
            needs=lead,
            aliases="reviewing.aliases.review",
            details="help.details.review",
            example="help.example.review",
            order=40,
        ),
        Subcommand(
            "groups",
            later(_here("groups:run_groups")),
            help="help.groups",
            needs=lead,
            details="help.details.groups",
            example="help.example.groups",
            order=41,
        ),
        Subcommand(
            "adopt",
            later(_here("adoption:run_adopt")),
            help="help.adopt",
            needs=lead,
            aliases="reviewing.aliases.adopt",
            details="help.details.adopt",
            example="help.example.adopt",
            order=42,
        ),
        Subcommand(
            "adopted",
            later(_here("adoption:run_adopted")),
            help="help.adopted",
            needs=lead,
            aliases="reviewing.aliases.adopted",
            details="help.details.adopted",
            example="help.example.adopted",
            order=43,
        ),
        Subcommand(
            "export",
            later(_here("export:run_export")),
            help="help.export",
            usage="usage.export",
            needs=lead,
            aliases="reviewing.aliases.export",
            details="help.details.export",
            example="help.example.export",
            order=44,
        ),
    ):
        router.add(sub)
    for action_id, target in BUTTONS.items():
        app.action(action_id, middleware=[needs(lead)])(listener(_here(target)))
    for callback_id, target in MODALS.items():
        app.view(callback_id, middleware=[needs(lead)])(listener(_here(target)))
    names.register(app)
