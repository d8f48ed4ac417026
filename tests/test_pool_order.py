"""PostgreSQL's pool hands out the connection given back last (`make_engine`'s
`pool_use_lifo`): units of work one after another run on one server process, not on each of
the pool's in turn, while a burst still gets a connection each."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from sqlalchemy import Connection, make_url, text

from bot.storage import Database


def _backend(connection: Connection) -> int:
    return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


@pytest.fixture
def pg(db: Database) -> Database:
    if make_url(db.url).get_backend_name() != "postgresql":
        pytest.skip("SQLite: no server processes to wake")
    return db


def test_units_of_work_one_after_another_run_on_the_connection_given_back_last(
    pg: Database,
) -> None:
    with ExitStack() as burst:  # a burst: three at once, three connections
        sessions = [burst.enter_context(pg.session()) for _ in range(3)]
        backends = [_backend(session.connection()) for session in sessions]
    assert len(set(backends)) == 3
    last_back = backends[0]  # the ExitStack gives them back last-entered first
    seen = set()
    for _ in range(5):  # then one at a time: the door's write, a unit of work, a transaction
        with pg.one_statement() as connection:
            seen.add(_backend(connection))
        with pg.session() as session:
            seen.add(_backend(session.connection()))
        with pg.transaction() as connection:
            seen.add(_backend(connection))
    assert seen == {last_back}


def test_a_burst_still_gets_a_connection_each(pg: Database) -> None:
    with ExitStack() as first:
        held = [first.enter_context(pg.one_statement()) for _ in range(4)]
        assert len({_backend(c) for c in held}) == 4
    with ExitStack() as again:
        held = [again.enter_context(pg.session()).connection() for _ in range(4)]
        assert len({_backend(c) for c in held}) == 4
