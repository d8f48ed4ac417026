"""The door's one statement (`Database.one_statement`, the inbox INSERT before the ack): on
PostgreSQL it commits as it runs, without a BEGIN and a COMMIT around it (two round trips
fewer before the ack); on SQLite it is the transaction it was. Either way it stores the
record once, refuses its key a second time, and leaves the pool's connections as they were:
the next unit of work on the same connection is one transaction again, rolled back whole."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, func, insert, make_url, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import inbox
from bot.storage import Database
from bot.storage.models.delivery import InboxRecord

WHEN = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


def _take_in(within: Session | Connection, key: str) -> inbox.Claim | None:
    return inbox.take_in(
        within,
        key,
        "event",
        {"event_id": key},
        {},
        claimant="here",
        now=WHEN,
    )


def _records(db: Database, key: str) -> int:
    with db.session() as session:
        count = select(func.count()).select_from(InboxRecord).where(InboxRecord.key == key)
        return int(session.scalar(count) or 0)


def _on_postgresql(db: Database) -> bool:
    return make_url(db.url).get_backend_name() == "postgresql"


def test_the_record_is_stored_once_and_its_key_refused_again(db: Database) -> None:
    with db.one_statement() as connection:
        claim = _take_in(connection, "event:Ev1")
    assert claim is not None
    with db.one_statement() as connection:
        assert _take_in(connection, "event:Ev1") is None  # a redelivery
    assert _records(db, "event:Ev1") == 1


def test_on_postgresql_the_record_is_committed_as_its_statement_runs(db: Database) -> None:
    """Another connection sees the record before the block ends: no COMMIT was waited for."""
    if not _on_postgresql(db):
        pytest.skip("SQLite: one transaction, committed at the block's end")
    with db.one_statement() as connection:
        assert _take_in(connection, "event:Ev2") is not None
        assert _records(db, "event:Ev2") == 1


def test_the_connection_goes_back_to_one_transaction_per_unit_of_work(db_url: str) -> None:
    """The connection the door used, taken next by a unit of work that fails after a write:
    the write is rolled back (autocommit did not stay on it)."""
    fresh = Database(db_url)  # its pool has one connection, handed out each time
    try:
        with fresh.one_statement() as connection:
            used = connection.connection.dbapi_connection
            _take_in(connection, "event:Ev3")
        with pytest.raises(RuntimeError), fresh.session() as session:
            assert session.connection().connection.dbapi_connection is used
            _take_in(session, "event:Ev4")
            raise RuntimeError("the unit of work fails after its write")
        assert _records(fresh, "event:Ev4") == 0
        assert _records(fresh, "event:Ev3") == 1
        if _on_postgresql(fresh):
            assert used is not None and not getattr(used, "autocommit", True)
    finally:
        fresh.engine.dispose()


def test_after_a_refused_statement_the_connection_is_one_transaction_again(db_url: str) -> None:
    """The door's statement refused (its key again, by a plain INSERT): the error reaches the
    caller as SQLAlchemy's, and the connection the pool lends next is out of autocommit."""
    fresh = Database(db_url)  # its pool has one connection, handed out each time
    try:
        with fresh.one_statement() as connection:
            _take_in(connection, "event:Ev5")
        with pytest.raises(IntegrityError), fresh.one_statement() as connection:
            used = connection.connection.dbapi_connection
            row = {"key": "event:Ev5", "kind": "event", "received_at": WHEN, "state": "done"}
            connection.execute(insert(InboxRecord).values(**row))
        with pytest.raises(RuntimeError), fresh.session() as session:
            assert session.connection().connection.dbapi_connection is used
            _take_in(session, "event:Ev6")
            raise RuntimeError("the unit of work fails after its write")
        assert _records(fresh, "event:Ev6") == 0
        if _on_postgresql(fresh):
            assert used is not None and not getattr(used, "autocommit", True)
    finally:
        fresh.engine.dispose()


def test_a_connection_left_in_a_transaction_is_not_lent_out_again(db_url: str) -> None:
    """Should a block fail with its connection inside a transaction (here an explicit BEGIN),
    autocommit cannot be turned off on it: the connection is let go, and the next unit of
    work gets another, one transaction per unit of work."""
    fresh = Database(db_url)
    if not _on_postgresql(fresh):
        fresh.engine.dispose()
        pytest.skip("PostgreSQL: on SQLite the block is a transaction of its own")
    try:
        with pytest.raises(RuntimeError), fresh.one_statement() as connection:
            left = connection.connection.dbapi_connection
            connection.exec_driver_sql("BEGIN")
            raise RuntimeError("the block fails inside its transaction")
        with fresh.session() as session:
            used = session.connection().connection.dbapi_connection
            assert used is not left and not getattr(used, "autocommit", True)
        assert left is not None and left.closed
    finally:
        fresh.engine.dispose()
