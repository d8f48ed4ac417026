"""Process each delivery once, across restarts and instances: the database is the arbiter."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.storage import Database, utcnow
from bot.storage.models.slack_cache import ProcessedDelivery

KEEP_FOR = timedelta(days=2)  # Slack retries within minutes; two days is plenty.


def first_delivery(db: Database, delivery_id: str) -> bool:
    """Record `delivery_id`; True only for the first caller, at any instance."""
    try:
        with db.session() as session:
            session.add(ProcessedDelivery(delivery_id=delivery_id))
    except IntegrityError:
        return False
    return True


def forget_old_deliveries(db: Database) -> int:
    with db.session() as session:
        result = session.execute(
            delete(ProcessedDelivery).where(ProcessedDelivery.received_at < utcnow() - KEEP_FOR)
        )
        return result.rowcount or 0
