"""The action and callback ids asking listens for, apart from what builds them, so that
registering its listeners imports nothing else (`handlers.kit.later`)."""

SHORTCUT = "check_against_policy"  # the message shortcut *Check against policy*
ESCALATE_ACTION = "asking_escalate"  # *Ask ROLE* under an answer
MARK_ANSWERED_ACTION = "asking_mark_answered"
GAP_DRAFT_ACTION = "asking_gap_draft"  # draft the section a gap belongs to
