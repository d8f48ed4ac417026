"""What Slack's libraries may log: warnings and errors, never what people wrote.

Bolt and slack_sdk log whole request and response bodies at DEBUG (Bolt even logs the body
of a request with a bad signature at INFO), and bodies hold what people typed: questions,
drafting replies, names. With `-v` or LOG_LEVEL=DEBUG the bot's own lines get more detailed;
the libraries' stay at WARNING, so personal data never reaches a log through them.

Bolt copies the level of the logger it is given to every logger it makes (`App(logger=…)`);
slack_sdk's loggers have no level of their own and follow `slack_sdk`'s.
"""

from __future__ import annotations

import logging

LIBRARIES = ("slack_sdk", "slack_bolt")
BOLT_LOGGER = "policybot.slack_bolt"


def slack_library_logger() -> logging.Logger:
    """The logger to give Bolt's App, with slack_sdk's quieted too."""
    for name in LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    bolt = logging.getLogger(BOLT_LOGGER)
    bolt.setLevel(logging.WARNING)
    return bolt
