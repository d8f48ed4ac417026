"""A prepared statement (`bot.storage.prepared`) writes and reads what SQLAlchemy's own
execution of the same statement would, on SQLite and on PostgreSQL: JSON, UTC datetimes
(SQLite stores them as text), NULLs, fixed values, a conflict that inserts nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from sqlalchemy import Table, bindparam, insert, select, update

from bot.storage import Database
from bot.storage.models.asking import AskedQuestion
from bot.storage.models.delivery import InboxRecord
from bot.storage.prepared import Prepared
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
