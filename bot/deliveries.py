"""Process each delivery once, across restarts and instances: the database is the arbiter."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.storage import Database, utcnow
from bot.storage.models.slack_cache import ProcessedDelivery

KEEP_FOR = timedelta(days=2)  # Slack retries within minutes; two days is plenty.
PRUNE_EVERY_SECONDS = 3600
_last_prune = 0.0  # only throttles pruning; losing it on restart costs one extra DELETE
_prune_lock = threading.Lock()


def first_delivery(db: Database, delivery_id: str) -> bool:
    """Record `delivery_id`; True only for the first caller, at any instance."""
    try:
        with db.session() as session:
            session.add(ProcessedDelivery(delivery_id=delivery_id))
    except IntegrityError:
        return False
    _prune_now_and_then(db)
    return True


def _prune_now_and_then(db: Database) -> None:
    global _last_prune
    with _prune_lock:
        if time.monotonic() - _last_prune < PRUNE_EVERY_SECONDS and _last_prune:
            return
        _last_prune = time.monotonic()
    forget_old_deliveries(db)


def forget_old_deliveries(db: Database) -> int:
    with db.session() as session:
        result = session.execute(
            delete(ProcessedDelivery).where(ProcessedDelivery.received_at < utcnow() - KEEP_FOR)
        )
        return result.rowcount or 0
