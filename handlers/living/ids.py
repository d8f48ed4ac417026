"""The action and callback ids living listens for, apart from what builds them, so that
registering its listeners imports nothing else (`handlers.kit.later`)."""

READ_ACTION = "living_ack_read"  # *I have read it*
OPEN_ACTION = "living_ack_choose"  # opens the form that asks people to acknowledge
MODAL = "living_ack_modal"
