"""The action and callback ids the rhythm listens for, apart from what builds them, so that
registering its listeners imports nothing else (`handlers.kit.later`)."""

SETUP_MODAL = "rhythm_setup"  # the project's setup
PLAN_MODAL = "rhythm_plan_modal"  # a section's owner and deadline
SIGNOFF_MODAL = "rhythm_signoff"  # who approves, in Slack
APPROVE, DECLINE, WITHDRAW = (
    "rhythm_signoff_approve",
    "rhythm_signoff_decline",
    "rhythm_signoff_withdraw",
)
DECLINE_MODAL = "rhythm_signoff_decline_modal"
