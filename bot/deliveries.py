"""Process each delivery once, across restarts and instances: the database is the arbiter."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.storage import utcnow
from bot.storage.models.slack_cache import ProcessedDelivery
from bot.storage.writes import insert_once, rows_changed

KEEP_FOR = timedelta(days=2)  # Slack retries within minutes; two days is plenty.
PRUNE_EVERY_SECONDS = 3600
_last_prune = 0.0  # only throttles pruning; losing it on restart costs one extra DELETE
_prune_lock = threading.Lock()


def first_delivery(session: Session, delivery_id: str) -> bool:
    """Record `delivery_id`; True only for the first caller, at any instance (once the
    caller's unit of work commits, a second instance's insert finds the row and skips)."""
    if not insert_once(session, ProcessedDelivery, delivery_id=delivery_id, received_at=utcnow()):
        return False
    _prune_now_and_then(session)
    return True


def _prune_now_and_then(session: Session) -> None:
    global _last_prune
    with _prune_lock:
        if time.monotonic() - _last_prune < PRUNE_EVERY_SECONDS and _last_prune:
            return
        _last_prune = time.monotonic()
    forget_old_deliveries(session)


def forget_old_deliveries(session: Session) -> int:
    result = session.execute(
        delete(ProcessedDelivery).where(ProcessedDelivery.received_at < utcnow() - KEEP_FOR)
    )
    return rows_changed(result)
