"""One unit of work, tried again when a concurrent writer got in the way.

Two replies at the same moment may both pick the next free rule id (the unique constraint
refuses the second), and SQLite refuses a write whose snapshot another writer has just made
stale ("database is locked"). Both are transient: the work runs again from a fresh read, so
it must do nothing outside the database that it would regret doing twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bot.storage.database import Database, transient

log = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPTS = 5


def is_transient(error: Exception) -> bool:
    return transient(error)


def in_transaction(db: Database, work: Callable[[Session], T], attempts: int = ATTEMPTS) -> T:
    """`work` in one transaction, committed; run again (up to `attempts` times) when a
    concurrent writer made it fail."""

    def once() -> T:
        with db.session() as session:
            return work(session)

    return retried(once, attempts)


def retried(transaction: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """`transaction()` (which opens, runs and commits one transaction), run again when a
    concurrent writer made it fail."""
    for attempt in range(1, attempts + 1):
        try:
            return transaction()
        except (IntegrityError, OperationalError) as error:
            if not is_transient(error) or attempt == attempts:
                raise
            log.info("retrying after a concurrent write (%s)", type(error).__name__)
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")
