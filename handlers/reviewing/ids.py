"""The action and callback ids reviewing listens for, apart from what builds them, so that
registering its listeners imports nothing else (`handlers.kit.later`)."""

# The overview and a section's review (`pages`).
OPEN, PAGE_BACK, PAGE_NEXT = "review_open", "review_page_back", "review_page_next"
EDIT_TEXT, PREFILL = "review_edit_text", "review_prefill"
RULE_ADD, RULE_EDIT, RULE_REMOVE = "review_rule_add", "review_rule_edit", "review_rule_remove"
ROLE_ADD, ROLE_EDIT, ROLE_REMOVE = "review_role_add", "review_role_edit", "review_role_remove"
SETTINGS, GROUPS = "review_settings", "review_groups"
DECISIONS_EDIT = "review_decisions_edit"
# One listener decides whichever is pressed (the decision is in the value); the ids differ
# because Slack wants them unique within a block (`contribution_units`).
ACCEPT, REJECT, RESET = "review_accept", "review_reject", "review_reset"
DECIDE_MORE = "review_decide_more"
DECIDE_ACTIONS = (ACCEPT, REJECT, RESET, DECIDE_MORE)
ACCEPT_ALL = "review_accept_all"
# Groups (`groups`): the list is shown by the overview's *Groups* button.
GROUP_ADD, GROUP_EDIT, GROUP_REMOVE = (
    "review_group_add",
    "review_group_edit",
    "review_group_remove",
)
GROUP_SHOW = GROUPS
# The modals (`forms`, `decisions`, `adoption`).
TEXT_MODAL = "review_text_modal"
RULE_MODAL = "review_rule_modal"
ROLE_MODAL = "review_role_modal"
GROUP_MODAL = "review_group_modal"
SETTINGS_MODAL = "review_settings_modal"
DECISION_MODAL = "review_decision_modal"
DECISIONS_MODAL = "review_decisions_modal"
CONFIRM_MODAL = "review_adopt_confirm"
APPROVAL_MODAL = "review_adopt_approval"
READOPT = "review_readopt"  # adopt an earlier version again
