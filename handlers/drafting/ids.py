"""The action and callback ids drafting listens for, apart from what builds them, so that
registering its listeners imports nothing else (`handlers.kit.later`)."""

START_MODAL = "drafting_start_modal"
NEW_ROUND = "drafting_new_round"
PICK_BUTTON = "drafting_pick_"  # + option number: action ids must differ within a block
PICK_SELECT = "drafting_pick_select"
PICKS_SELECT = "drafting_picks_select"
LIBRARY_SELECT = "drafting_library_select"
