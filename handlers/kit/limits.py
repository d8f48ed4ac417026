"""Slack's limits on what an app posts (https://api.slack.com/reference/block-kit), by name.

Over a limit, Slack refuses the whole message or view (`invalid_blocks`), so every builder
in the kit cuts to these.
"""

BLOCKS_PER_MESSAGE = 50
BLOCKS_PER_VIEW = 100  # a modal or the Home tab
SECTION_TEXT = 3000  # characters of a section block's text (and of one context element)
HEADER_TEXT = 150  # a header block
PLAIN_TEXT = 150  # most plain_text labels, placeholders and hints
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
OPTION_TEXT = 75
OPTION_VALUE = 150
OPTIONS_PER_SELECT = 100
OPTIONS_PER_OVERFLOW = 5
ELEMENTS_PER_ACTIONS = 25
BLOCK_ID = 255
MODAL_TITLE = 24  # a modal's title, submit and close labels
INPUT_VALUE = 3000  # a plain_text_input's text (its max_length)
INPUT_ERROR = 150  # an error shown under a modal's input (`response_action: errors`)
PRIVATE_METADATA = 3000
MESSAGE_TEXT = 40_000  # the `text` of a message; Slack cuts what is longer
NOTIFICATION_TEXT = 3900  # a message's `text` when its blocks say the rest: keep it readable
