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
from handlers.reviewing import (
    adoption,
    buttons,
    contribution_units,
    decisions,
    export,
    forms,
    groups,
    names,
    pages,
    submissions,
)
from handlers.router import Subcommand, router_for

BUTTONS = {
    pages.OPEN: buttons.on_open_section,
    pages.PAGE_BACK: buttons.on_turn_page,
    pages.PAGE_NEXT: buttons.on_turn_page,
    **{action_id: decisions.on_decide for action_id in contribution_units.DECIDE_ACTIONS},
    contribution_units.ACCEPT_ALL: decisions.on_accept_all,
    pages.DECISIONS_EDIT: decisions.on_edit_decisions,
    pages.EDIT_TEXT: buttons.on_edit_text,
    pages.PREFILL: buttons.on_edit_text,
    pages.RULE_ADD: buttons.on_rule_edit,
    pages.RULE_EDIT: buttons.on_rule_edit,
    pages.RULE_REMOVE: buttons.on_rule_remove,
    pages.ROLE_ADD: buttons.on_role_edit,
    pages.ROLE_EDIT: buttons.on_role_edit,
    pages.ROLE_REMOVE: buttons.on_role_remove,
    pages.SETTINGS: buttons.on_settings,
    groups.ADD: groups.on_group_edit,
    groups.EDIT: groups.on_group_edit,
    groups.REMOVE: groups.on_group_remove,
    groups.SHOW: groups.on_show_groups,
    adoption.READOPT: adoption.on_readopt,
}
MODALS = {
    forms.TEXT_MODAL: submissions.on_text_submitted,
    forms.RULE_MODAL: submissions.on_rule_submitted,
    forms.ROLE_MODAL: submissions.on_role_submitted,
    forms.SETTINGS_MODAL: submissions.on_settings_submitted,
    decisions.DECISION_MODAL: decisions.on_decision_submitted,
    decisions.DECISIONS_MODAL: decisions.on_decisions_submitted,
    forms.GROUP_MODAL: groups.on_group_submitted,
    adoption.CONFIRM_MODAL: adoption.on_confirmed,
    adoption.APPROVAL_MODAL: adoption.on_approved,
}


def register(app: App, after_adoption: dict[str, adoption.AfterAdoption] | None = None) -> None:
    """`after_adoption`: what other capabilities do once a version is adopted, by name."""
    adoption.AFTER_ADOPTION.update(after_adoption or {})
    lead = people.COMMS_LEAD
    router = router_for(app)
    for sub in (
        Subcommand(
            "review",
            pages.run_review,
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
            groups.run_groups,
            help="help.groups",
            needs=lead,
            details="help.details.groups",
            example="help.example.groups",
            order=41,
        ),
        Subcommand(
            "adopt",
            adoption.run_adopt,
            help="help.adopt",
            needs=lead,
            aliases="reviewing.aliases.adopt",
            details="help.details.adopt",
            example="help.example.adopt",
            order=42,
        ),
        Subcommand(
            "adopted",
            adoption.run_adopted,
            help="help.adopted",
            needs=lead,
            aliases="reviewing.aliases.adopted",
            details="help.details.adopted",
            example="help.example.adopted",
            order=43,
        ),
        Subcommand(
            "export",
            export.run_export,
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
    for action_id, listener in BUTTONS.items():
        app.action(action_id, middleware=[needs(lead)])(listener)
    for callback_id, listener in MODALS.items():
        app.view(callback_id, middleware=[needs(lead)])(listener)
    names.register(app)
