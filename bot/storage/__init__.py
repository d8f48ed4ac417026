"""Storage: the database handle and every model (importing the package registers them all)."""

from sqlalchemy.orm import Session

from bot.storage import models as models  # noqa: F401  (registers the tables on Base.metadata)
from bot.storage.base import Base, utcnow
from bot.storage.database import Database, transient, unavailable, wrote

# `Session` is the unit of work: every core function takes the caller's first, so one request
# is one transaction. The Slack side names it from here and never imports SQLAlchemy itself.
__all__ = ["Base", "Database", "Session", "transient", "unavailable", "utcnow", "wrote"]
