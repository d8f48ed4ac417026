"""Storage: the database handle. The models (`bot.storage.models`) register their tables when
their modules are imported; `bot.storage.models.everything()` imports them all."""

from sqlalchemy.orm import Session

from bot.storage.base import Base, utcnow
from bot.storage.database import Database, not_the_work, transient, unavailable, wrote

# `Session` is the unit of work: every core function takes the caller's first, so one request
# is one transaction. The Slack side names it from here and never imports SQLAlchemy itself.
__all__ = [
    "Base",
    "Database",
    "Session",
    "not_the_work",
    "transient",
    "unavailable",
    "utcnow",
    "wrote",
]
