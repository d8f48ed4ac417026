"""PostgreSQL ends the pooled connections (a restart, a failover, `pg_terminate_backend`): the
next request is served all the same, without a `SELECT 1` before every checkout.

The connections are ended for real, by the server: `pg_terminate_backend` on every backend
of the test's database, as a restart does (each backend says goodbye and closes its socket).
SQLite has no server to restart: these run on PostgreSQL only.
"""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from bot.storage import Database
from bot.storage.liveness import has_word_from_server
from bot.storage.models.asking import AskedQuestion
from tests.driver import ERIK, SlackDriver
from tests.payloads import text_of
from tests.seed import adopt


def _postgresql(db: Database) -> None:
    if make_url(db.url).get_backend_name() != "postgresql":
        pytest.skip("a server to end connections: PostgreSQL only")


def _end_connections(db: Database) -> int:
    """The server ends every connection to the database (as a restart does); how many."""
    url = make_url(db.url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            ended = (
                connection.execute(
                    text(
                        "SELECT array_agg(pid) FROM pg_stat_activity, pg_terminate_backend(pid) "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": url.database},
                ).scalar_one()
                or []
            )
            # pg_terminate_backend only signals: wait until those backends are gone (the
            # app may connect again meanwhile; its new connections stay). The activity view
            # is a snapshot per transaction: cleared at each look.
            pids = ",".join(str(int(pid)) for pid in ended) or "NULL"
            connection.execute(
                text(
                    "DO $$ BEGIN FOR attempt IN 1..1000 LOOP "
                    "PERFORM pg_stat_clear_snapshot(); "
                    f"EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid IN ({pids})); "
                    "PERFORM pg_sleep(0.01); END LOOP; END $$"
                )
            )
        return len(ended)
    finally:
        admin.dispose()


def _fill_pool(db: Database, connections: int) -> None:
    """`connections` pooled connections, each used once and returned."""
    with ExitStack() as stack:
        for _ in range(connections):
            session = stack.enter_context(db.session())
            assert session.scalar(text("SELECT 1")) == 1


def test_a_connection_the_server_ended_says_so_and_a_healthy_one_does_not(db: Database) -> None:
    _postgresql(db)
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        raw = connection.connection.dbapi_connection
        assert not has_word_from_server(raw)  # idle and alive: nothing to read, no ping
        assert _end_connections(db) >= 1
        assert has_word_from_server(raw)  # the server's goodbye, or end of file
        connection.invalidate()


def test_every_unit_of_work_after_the_server_ended_the_pool_succeeds(db: Database) -> None:
    _postgresql(db)
    _fill_pool(db, 3)
    pool = db.engine.pool
    assert isinstance(pool, QueuePool) and pool.checkedin() == 3
    assert _end_connections(db) == 3

    _fill_pool(db, 3)  # three at once: every dead pooled connection is replaced, none fails
    with db.session() as session:
        assert session.scalar(text("SELECT 1")) == 1


def test_the_first_question_after_the_server_ended_the_connections_is_answered(
    running: SlackDriver,
) -> None:
    _postgresql(running.db)
    adopt(running.db)
    running.dm(ERIK, "mag ik dit posten: onze stand op de markt")  # the app's pool is warm
    assert _end_connections(running.db) >= 1

    answer = running.dm(ERIK, "mag ik dit posten: een foto van de stand")

    assert "foto van de stand" in text_of(answer.to_api())
    assert len(running.fake.bot_messages(running.fake.im_for(ERIK))) == 2
    with running.db.session() as session:
        assert session.scalar(select(func.count()).select_from(AskedQuestion)) == 2
