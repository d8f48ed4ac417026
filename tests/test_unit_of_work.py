"""A unit of work (`Database.session`) is one transaction on one connection, committed once
at its end, whether it ran prepared statements only (a DM's answer: no ORM transaction of
the session's own is begun) or the ORM too (which joins that transaction: its flush and its
change counters go in the same commit). A failure rolls back both kinds of write."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import inbox, profiles
from bot.storage import Database
from bot.storage.changes import counters
from bot.storage.models.delivery import InboxRecord
from bot.storage.models.slack_cache import UserProfile

WHEN = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


def _take_in(session: Session, key: str) -> inbox.Claim | None:
    return inbox.take_in(
        session,
        key,
        "event",
        {"event_id": key},
        {},
        claimant="here",
        now=WHEN,
    )


def _count(db: Database, model: type, **where: str) -> int:
    with db.session() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(session.scalar(query) or 0)


def _counter(db: Database, table: str) -> int:
    with db.session() as session:
        return counters(session).get(table, 0)


def test_prepared_statements_only_are_one_transaction_committed_at_the_end(
    db: Database,
) -> None:
    with db.session() as session:
        first = session.connection()
        assert _take_in(session, "event:A") is not None
        assert session.connection() is first  # the same connection, its one transaction
        assert not session.in_transaction()  # no ORM transaction of the session's own
        assert _count(db, InboxRecord, key="event:A") == 0  # another connection: not yet
    assert _count(db, InboxRecord, key="event:A") == 1


def test_the_orm_joins_the_same_transaction_and_counts_its_changes(db: Database) -> None:
    before = _counter(db, "user_profiles")
    with db.session() as session:
        connection = session.connection()
        assert _take_in(session, "event:B") is not None
        profiles.store_profile(session, "U1", "nl-NL", "nl", "Anna")
        assert session.connection() is connection
    assert _count(db, InboxRecord, key="event:B") == 1
    assert _count(db, UserProfile, user_id="U1") == 1
    assert _counter(db, "user_profiles") == before + 1  # caches elsewhere see the change


def test_a_failure_rolls_back_the_prepared_and_the_orm_writes(db: Database) -> None:
    before = _counter(db, "user_profiles")
    with pytest.raises(RuntimeError), db.session() as session:
        assert _take_in(session, "event:C") is not None
        profiles.store_profile(session, "U2", "en-GB", "en", "Ben")
        session.flush()
        raise RuntimeError("the listener failed")
    assert _count(db, InboxRecord, key="event:C") == 0
    assert _count(db, UserProfile, user_id="U2") == 0
    assert _counter(db, "user_profiles") == before


def test_a_failure_after_prepared_statements_only_rolls_them_back(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as session:
        assert _take_in(session, "event:D") is not None
        raise RuntimeError("the listener failed")
    assert _count(db, InboxRecord, key="event:D") == 0
