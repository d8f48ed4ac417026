"""What Slack's libraries may log: never what people wrote.

Bolt and slack_sdk log whole request and response bodies at DEBUG (Bolt even logs the body
of a request with a bad signature at INFO), and bodies hold what people typed: questions,
drafting replies, names. With `-v` or LOG_LEVEL=DEBUG the bot's own lines get more detailed;
Bolt's stay at WARNING and slack_sdk's at INFO at the most (its INFO lines name only methods
and URLs), so personal data never reaches a log through them, whoever configured logging
(`runtime.logs.configure_logging` does the same for the loggers it knows).

Bolt makes its loggers when the App is built, each with the root's level at that moment,
unless it is given a logger (`App(logger=…)`), whose level they all copy: hence this one.
slack_sdk's loggers have no level of their own and follow `slack_sdk`'s.
"""

from __future__ import annotations

import logging

LIBRARIES = ("slack_sdk", "slack_bolt")
BOLT_LOGGER = "policybot.slack_bolt"


def slack_library_logger() -> logging.Logger:
    """The logger to give Bolt's App, with slack_sdk's quieted too."""
    for name in LIBRARIES:
        library = logging.getLogger(name)
        if library.level < logging.INFO:  # NOTSET (follow the root) or DEBUG
            library.setLevel(logging.INFO)
    bolt = logging.getLogger(BOLT_LOGGER)
    bolt.setLevel(logging.WARNING)
    return bolt
