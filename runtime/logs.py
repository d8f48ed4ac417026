"""Logging for a running bot: `LOG_LEVEL`, `POLICYBOT_LOG_FORMAT` (text or json), the request
each line belongs to, and no personal data.

Every line written while a Slack request is handled carries its fields (`runtime.requests`):
the event id (or the request's own id), the kind of request, the team, the listener, and, on
the line that closes it, the duration. In JSON each line is one object with those keys.

Personal data never reaches the log: the Slack SDK's debug lines, which dump whole request
and response bodies (what people typed), stay off even at DEBUG, and every message is run
through the same masking the bot uses before it stores or repeats a text
(`bot.asking.masking`: e-mail addresses, phone numbers, IBANs, BSNs, card numbers).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from bot.asking.masking import mask_personal_data
from bot.settings import Settings
from runtime.requests import current_fields
from runtime.slack_logging import CLIENTS

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s%(request)s"
JSON_FIELDS = ("asctime", "levelname", "name", "message")
# Loggers whose DEBUG lines are request and response bodies: never below INFO.
BODY_DUMPERS = ("slack_sdk", "slack_bolt", "urllib3", "httpx", "httpcore")
# Loggers whose INFO lines say nothing an operator needs.
CHATTY = ("alembic.runtime.plugins",)


class RequestFields(logging.Filter):
    """Adds the current request's fields to the record (as attributes, for JSON) and as one
    ` [key=value …]` suffix (`%(request)s`, for text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = current_fields()
        for key, value in fields.items():
            if not hasattr(record, key):
                setattr(record, key, value)
        shown = " ".join(f"{k}={v}" for k, v in fields.items())
        record.request = f" [{shown}]" if shown else ""
        return True


class MaskPersonalData(logging.Filter):
    """Masks personal data in the formatted message (and drops the arguments it came from)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if record.exc_info and record.exc_text is None:
            # Exception texts quote values too (a failed INSERT shows its row): masked alike.
            record.exc_text = mask_personal_data(
                logging.Formatter().formatException(record.exc_info)
            )
        record.msg, record.args = masked, None
        return True


def configure_logging(settings: Settings, stream: Any = None) -> None:
    """The root logger, as LOG_LEVEL and POLICYBOT_LOG_FORMAT say; replaces earlier handlers."""
    handler = logging.StreamHandler(stream or sys.stderr)
    formatter: logging.Formatter
    if settings.log_format == "json":
        formatter = JsonFormatter(
            list(JSON_FIELDS),
            rename_fields={"levelname": "level", "asctime": "time"},
            reserved_attrs=[*RESERVED_ATTRS, "request"],  # the text suffix; JSON has the keys
        )
    else:
        formatter = logging.Formatter(TEXT_FORMAT)
    handler.setFormatter(formatter)
    handler.addFilter(RequestFields())
    handler.addFilter(MaskPersonalData())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    level = logging.getLevelName(settings.log_level)
    root.setLevel(level)
    for name in BODY_DUMPERS + CLIENTS:
        logging.getLogger(name).setLevel(max(level, logging.INFO))
    for name in CHATTY:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
