"""A unit of work's BEGIN rides with its first read of the change counters on PostgreSQL
(`bot.storage.begin_with`): one query, one round trip, where psycopg sent two; the
transaction is the one psycopg would have begun (its isolation level, open until the
commit or rollback); a refused read is SQLAlchemy's error and leaves the session usable.
What libpq sends is read from its own trace of the connection's messages."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from bot.storage import Database, begin_with
from bot.storage.changes import counters
from bot.storage.models.delivery import InboxRecord
from tests.test_prepared_statements import _record

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def _postgresql(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg's BEGIN is PostgreSQL's")


@contextmanager
def _sent(driver: Any) -> Iterator[list[str]]:
    """The messages libpq sends on `driver` meanwhile, each as its trace's line."""
    from psycopg import pq

    sent: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trace"
        with path.open("w") as file:
            driver.pgconn.trace(file.fileno())
            driver.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
            try:
                yield sent
            finally:
                driver.pgconn.untrace()
        sent += [line for line in path.read_text().splitlines() if line.startswith("F")]


def _ends_of_round_trips(lines: list[str]) -> list[str]:
    """A simple query, or an extended query's Sync: where the client waits for the server."""
    return [line for line in lines if "\tQuery\t" in line or "\tSync" in line]


def test_the_begin_and_the_counters_read_are_one_query(db: Database) -> None:
    _postgresql(db)
    with db.session() as session:
        driver = session.connection().connection.driver_connection
        with _sent(driver) as sent:
            seen = counters(session)
            isolation = session.execute(text("SHOW transaction_isolation")).scalar_one()
            expected = driver.isolation_level
        session.rollback()

    waits = _ends_of_round_trips(sent)
    assert '\tQuery\t "BEGIN' in waits[0] and "; SELECT change_counters." in waits[0]
    assert not any("BEGIN" in line for line in sent[1:])
    assert len(waits) == 2  # the read with its BEGIN, then SHOW
    assert isinstance(seen, dict) and all(isinstance(n, int) for n in seen.values())
    # The transaction is psycopg's: its connection's isolation level, else the server's.
    if expected is not None:
        assert isolation == expected.name.replace("_", " ").lower()


def test_the_counters_read_with_the_begin_gives_what_the_prepared_read_gives(
    db: Database,
) -> None:
    with db.session() as session:
        session.execute(text("INSERT INTO change_counters (table_name, counter) VALUES ('x', 7)"))
    with db.session() as session:
        folded = counters(session)
    with db.session() as session:
        session.execute(text("SELECT 1"))  # the transaction begun: nothing to fold
        assert begin_with.read(session.connection(), "SELECT 1") is None
        plain = counters(session)
    assert folded == plain and folded["x"] == 7


def test_the_transaction_begun_with_the_read_holds_what_follows(db: Database) -> None:
    _postgresql(db)
    with db.session() as session:
        counters(session)
        session.add(InboxRecord(**_record("undone")))
        session.flush()
        session.rollback()
    with db.session() as session:
        assert session.scalars(select(InboxRecord.key)).all() == []


def test_a_refused_read_is_sqlalchemys_error_and_the_next_unit_of_work_goes_on(
    db: Database,
) -> None:
    _postgresql(db)
    with pytest.raises(DBAPIError, match="no_such_table"), db.session() as session:
        begin_with.read(session.connection(), "SELECT * FROM no_such_table")
    with db.session() as session:
        assert isinstance(counters(session), dict)


def test_nothing_is_folded_in_autocommit(db: Database) -> None:
    _postgresql(db)
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        assert begin_with.read(connection, "SELECT 1") is None
