"""A prepared statement (`bot.storage.prepared`) writes and reads what SQLAlchemy's own
execution of the same statement would, on SQLite and on PostgreSQL: JSON, UTC datetimes
(SQLite stores them as text), NULLs, fixed values, a conflict that inserts nothing; and it
runs as SQLAlchemy's execution does: the cursor events (SQLite's writer turn), a refused
statement's wrapped error, a connection the server ended invalidated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from sqlalchemy import Table, bindparam, event, insert, make_url, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from bot.storage import Database
from bot.storage.database import transient
from bot.storage.models.asking import AskedQuestion
from bot.storage.models.delivery import InboxRecord
from bot.storage.prepared import CURSOR, Prepared, _has_events
from bot.storage.sqlite_writers import holds_turn
from bot.storage.writes import insert_for

INBOX = cast(Table, InboxRecord.__table__)
WHEN = datetime(2026, 12, 1, 10, 0, 0, 123456, tzinfo=UTC)
TAKE_IN = Prepared(
    lambda dialect: insert_for(dialect.name, INBOX).on_conflict_do_nothing().returning(INBOX.c.id)
)


def _record(key: str, **changes: Any) -> dict[str, Any]:
    return {
        "key": key,
        "kind": "event",
        "body": {"event": {"text": "mag ik dit posten: ‘é’ & 50%"}, "n": [1, None]},
        "headers": {"x-slack-retry-num": "1"},
        "received_at": WHEN,
        "state": "pending",
        "claim": "c1",
        "claimed_by": "here",
        "lease_until": WHEN + timedelta(seconds=30),
        "attempts": 1,
    } | changes


def _row(db: Database, key: str) -> dict[str, Any]:
    with db.session() as session:
        row = session.scalars(select(InboxRecord).where(InboxRecord.key == key)).one()
        return {column.key: getattr(row, column.key) for column in INBOX.c}


def test_a_prepared_insert_stores_what_sqlalchemy_stores(db: Database) -> None:
    with db.session() as session:
        session.connection().execute(insert(INBOX), _record("theirs"))
        mine = TAKE_IN.run(session.connection(), _record("mine")).scalar()
        again = TAKE_IN.run(session.connection(), _record("mine", claim="c2")).scalar()

    assert isinstance(mine, int) and again is None  # the key was taken: nothing inserted
    stored, expected = _row(db, "mine"), _row(db, "theirs")
    assert stored.pop("id") != expected.pop("id")
    assert stored | {"key": "theirs"} == expected
    assert stored["received_at"] == WHEN and stored["received_at"].tzinfo is not None


def test_a_prepared_update_binds_its_values_and_keeps_its_fixed_ones(db: Database) -> None:
    finish = Prepared(
        update(INBOX)
        .where(INBOX.c.key == bindparam("b_key"), INBOX.c.state == "pending")
        .values(state=bindparam("b_state"), body=None, finished_at=bindparam("b_now"))
    )
    with db.session() as session:
        TAKE_IN.run(session.connection(), _record("one"))
        params = {"b_key": "one", "b_state": "done", "b_now": WHEN}
        assert finish.run(session.connection(), params).rowcount == 1
        assert finish.run(session.connection(), params).rowcount == 0  # no longer pending

    row = _row(db, "one")
    assert (row["state"], row["body"], row["finished_at"]) == ("done", None, WHEN)


def test_a_batch_runs_once_for_each_set_of_values(db: Database) -> None:
    """`run_many` (the sent marks, one batch for all the rows the loop gathered): each row
    changed as its own run would change it, a claim that does not hold it changing nothing,
    in the caller's transaction, with the cursor events fired once for the batch."""
    finish = Prepared(
        update(INBOX)
        .where(INBOX.c.key == bindparam("b_key"), INBOX.c.claim == bindparam("b_claim"))
        .values(state=bindparam("b_state"), finished_at=bindparam("b_now"))
    )
    batches: list[tuple[str, bool]] = []

    def note(*args: Any) -> None:
        batches.append((args[2].split()[0], args[5]))  # statement, executemany

    with db.session() as session:
        for key in ("a", "b", "c", "d"):
            TAKE_IN.run(session.connection(), _record(key))
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        with pytest.raises(RuntimeError), db.session() as session:
            batch = [_finish("a", "c1", "done"), _finish("c", "c1", "done")]
            finish.run_many(session.connection(), batch)
            raise RuntimeError("rolled back: the batch is in the caller's transaction")
        with db.session() as session:
            finish.run_many(
                session.connection(),
                [_finish("a", "c1", "done"), _finish("b", "other", "done"),
                 _finish("c", "c1", "failed")],
            )  # fmt: skip
            finish.run_many(session.connection(), [])
            finish.run_many(session.connection(), [_finish("d", "c1", "done")])  # one: a run
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert batches == [("UPDATE", True), ("UPDATE", True), ("UPDATE", False)]
    states = [_row(db, key)["state"] for key in ("a", "b", "c", "d")]
    assert states == ["done", "pending", "failed", "done"]
    assert _row(db, "a")["finished_at"] == WHEN


def _finish(key: str, claim: str, state: str) -> dict[str, Any]:
    return {"b_key": key, "b_claim": claim, "b_state": state, "b_now": WHEN}


def test_a_prepared_select_reads_rows(db: Database) -> None:
    keys = Prepared(
        select(INBOX.c.key, INBOX.c.attempts)
        .where(INBOX.c.received_at >= bindparam("b_since"))
        .order_by(INBOX.c.key)
    )
    with db.session() as session:
        TAKE_IN.run(session.connection(), _record("b", attempts=2))
        TAKE_IN.run(session.connection(), _record("a", received_at=WHEN - timedelta(days=1)))
        found = keys.run(session.connection(), {"b_since": WHEN}).all()
    assert [tuple(row) for row in found] == [("b", 2)]


def test_a_value_left_out_is_refused_not_guessed(db: Database) -> None:
    with db.session() as session:
        with pytest.raises(KeyError, match="b_since"):
            Prepared(select(INBOX.c.id).where(INBOX.c.received_at >= bindparam("b_since"))).run(
                session.connection(), {}
            )
        # An INSERT would need Python-side defaults (asked_at, language, groups, …).
        log = Prepared(insert(cast(Table, AskedQuestion.__table__)))
        with pytest.raises(ValueError, match="every value"):
            log.run(session.connection(), {"asker": "U1", "source": "dm", "kind": "check"})


def test_first_reads_values_as_sqlalchemy_does(db: Database) -> None:
    received = Prepared(
        select(INBOX.c.received_at, INBOX.c.body, INBOX.c.attempts).where(
            INBOX.c.key == bindparam("b_key")
        )
    )
    with db.session() as session:
        TAKE_IN.run(session.connection(), _record("one"))
        found = received.first(session.connection(), {"b_key": "one"})
        missing = received.first(session.connection(), {"b_key": "none"})

    expected = _row(db, "one")
    assert found == (expected["received_at"], expected["body"], 1)
    assert found is not None and found[0] == WHEN and found[0].tzinfo is not None
    assert missing is None


def test_a_driver_error_comes_back_as_sqlalchemy_raises_it(db: Database) -> None:
    """A statement the database refuses raises SQLAlchemy's wrapped error, which the unit of
    work's retry recognises (`transient`), as `Connection.execute` would raise it."""
    plain_insert = Prepared(insert(INBOX))
    with pytest.raises(IntegrityError) as raised, db.session() as session:
        TAKE_IN.run(session.connection(), _record("taken"))
        plain_insert.run(session.connection(), _record("taken"))
    assert transient(raised.value) and not raised.value.connection_invalidated
    with db.session() as session:  # rolled back, and the connection serves again
        assert TAKE_IN.run(session.connection(), _record("taken")).scalar() is not None


def test_a_prepared_write_takes_sqlites_writer_turn_until_the_commit(db: Database) -> None:
    """SQLite's writers take turns (`bot.storage.sqlite_writers`) at their first write: a
    prepared INSERT takes the turn as SQLAlchemy's execution does, and the commit gives it
    back. PostgreSQL has no such turn."""
    if make_url(db.url).get_backend_name() != "sqlite":
        pytest.skip("SQLite's writer turn")
    seen: list[str] = []

    def note(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        seen.append(statement.split()[0])

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        with db.engine.connect() as connection:
            connection.begin()
            assert not holds_turn(connection)
            TAKE_IN.run(connection, _record("one"))
            assert holds_turn(connection)  # the turn is held for the transaction
            connection.commit()
            assert not holds_turn(connection)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert seen == ["INSERT"]


def test_a_connection_the_server_ended_is_invalidated_and_the_next_one_serves(
    db: Database,
) -> None:
    """PostgreSQL ends the connection under a prepared statement: the error says the
    connection was invalidated, as SQLAlchemy's own execution says, and the pool gives out
    a live one next."""
    if make_url(db.url).get_backend_name() != "postgresql":
        pytest.skip("a server to end connections: PostgreSQL only")
    with db.engine.connect() as connection:
        connection.begin()
        pid = connection.scalar(text("SELECT pg_backend_pid()"))
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            other.commit()
        with pytest.raises(DBAPIError) as raised:
            TAKE_IN.run(connection, _record("lost"))
        assert raised.value.connection_invalidated and connection.invalidated
    with db.session() as session:
        assert TAKE_IN.run(session.connection(), _record("kept")).scalar() is not None


def test_cursor_events_reach_their_listeners_and_are_not_looked_up_without_any(
    db: Database,
) -> None:
    """A prepared statement fires the cursor events only where SQLAlchemy would find a
    listener, by its own private flags (`prepared._has_events`): guarded here, so a version
    of SQLAlchemy without them (every event then looked up) or a listener added on an
    engine or a single connection that the statements would miss shows."""
    engine = db.engine
    assert isinstance(getattr(engine, "_has_events", None), bool)
    seen: list[str] = []

    def note(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        seen.append(statement.split()[0])

    with engine.connect() as connection:
        assert isinstance(getattr(connection, "_has_events", None), bool)
        assert not _has_events(connection)  # none of ours on either database: no look-up
        event.listen(connection, "before_cursor_execute", note)
        assert _has_events(connection)
        TAKE_IN.run(connection, _record("on the connection"))
        connection.rollback()
    event.listen(engine, "before_cursor_execute", note)
    try:
        with engine.connect() as connection:
            assert _has_events(connection)
            TAKE_IN.run(connection, _record("on the engine"))
            connection.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert seen == ["INSERT", "INSERT"]


def test_a_driver_connection_runs_its_statements_on_one_cursor_and_a_refused_one_on_a_new_one(
    db: Database,
) -> None:
    """The statements of a pooled driver connection share one cursor, over transactions;
    after a refused statement (SQLAlchemy's handling closes the cursor) the next one runs on
    a fresh cursor and reads what it should."""
    plain_insert = Prepared(insert(INBOX))
    with db.engine.connect() as connection:
        info = connection.connection.info
        TAKE_IN.run(connection, _record("first"))
        cursor = info[CURSOR]
        connection.commit()
        assert TAKE_IN.run(connection, _record("second")).scalar() is not None
        assert info[CURSOR] is cursor
        with pytest.raises(IntegrityError):
            plain_insert.run(connection, _record("second"))  # the key is taken
        connection.rollback()
        assert CURSOR not in info
        assert TAKE_IN.run(connection, _record("third")).scalar() is not None
        assert info[CURSOR] is not cursor
        connection.commit()
    assert _row(db, "third")["claim"] == "c1"


def test_whether_a_statement_gives_rows_is_learned_from_its_first_run(db: Database) -> None:
    """A SELECT and an INSERT … RETURNING give their rows, an UPDATE none (with its count), an
    INSERT what the driver gives (PostgreSQL's returns the new id unasked), on their first
    run (the driver asked) and on later ones (what it said then)."""
    plain_insert = Prepared(insert(INBOX))
    keys = Prepared(select(INBOX.c.key).where(INBOX.c.state == bindparam("b_state")))
    finish = Prepared(update(INBOX).where(INBOX.c.key == bindparam("b_key")).values(state="done"))
    with db.session() as session:
        connection = session.connection()
        inserted = []
        for n in range(3):
            ran = plain_insert.run(connection, _record(f"plain {n}"))
            inserted.append(len(list(ran)))
            assert ran.rowcount == 1
            assert TAKE_IN.run(connection, _record(f"returning {n}")).scalar() is not None
            ran = finish.run(connection, {"b_key": f"plain {n}"})
            assert (list(ran), ran.rowcount) == ([], 1)
            found = sorted(row[0] for row in keys.run(connection, {"b_state": "pending"}))
            assert found == sorted(f"returning {m}" for m in range(n + 1))
        assert inserted in ([0, 0, 0], [1, 1, 1])
