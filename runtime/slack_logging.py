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
# slack_sdk's clients look at their own logger's `level`, not the level it follows, before
# they format a DEBUG line of a whole request or response (the repr of every block of a
# post): a logger with no level of its own (NOTSET, 0) passes that test, so every call
# formatted its bodies only for the line to be dropped (about 0.2 M instructions of a DM's
# answer). Their loggers get a level of their own: slack_sdk's, and INFO at the least.
CLIENTS = (
    "slack_sdk.web.base_client",
    "slack_sdk.webhook.client",
    "slack_sdk.socket_mode.builtin.client",
)


def slack_library_logger() -> logging.Logger:
    """The logger to give Bolt's App, with slack_sdk's quieted too."""
    for name in LIBRARIES:
        library = logging.getLogger(name)
        if library.level < logging.INFO:  # NOTSET (follow the root) or DEBUG
            library.setLevel(logging.INFO)
    level = logging.getLogger("slack_sdk").getEffectiveLevel()
    for name in CLIENTS:
        client = logging.getLogger(name)
        if client.level < logging.INFO:
            client.setLevel(max(level, logging.INFO))
    bolt = logging.getLogger(BOLT_LOGGER)
    bolt.setLevel(logging.WARNING)
    return bolt
