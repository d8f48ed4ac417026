"""Storage: the database handle and every model (importing the package registers them all)."""

from bot.storage import models as models  # noqa: F401  (registers the tables on Base.metadata)
from bot.storage.base import Base, utcnow
from bot.storage.database import Database

__all__ = ["Base", "Database", "utcnow"]
