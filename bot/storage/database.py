"""One code path for SQLite (embedded default) and PostgreSQL (several instances)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

from bot.settings import Settings
from bot.storage.changes import kept_as_written, track
from bot.storage.held import holding
from bot.storage.json_text import dumps
from bot.storage.liveness import check_on_checkout
from bot.storage.migration_lock import migrating_alone
from bot.storage.models import everything
from bot.storage.schema import at_head, create_at_head, is_empty
from bot.storage.sqlite_writers import release, take_turns
from bot.storage.timeouts import (
    UNLIMITED_STATEMENTS,
    Timeouts,
    bound_postgresql,
    sqlite_busy_timeout_ms,
)

if TYPE_CHECKING:
    from alembic.config import Config

# Instances starting together each try to migrate; on PostgreSQL they take turns under this
# advisory lock (any 64-bit key no other application on the database uses).
MIGRATION_LOCK_KEY = zlib.crc32(b"policybot schema migrations")
WROTE = "policybot.wrote"


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets Bolt's listener threads read while one writes; busy_timeout makes a writer
        # wait for the lock (so long, then fail) instead of failing at once; foreign keys
        # are off by default in SQLite.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return set_pragmas


SQLITE_POOL = 32
# PostgreSQL: a connection kept for every thread of a worker that may want one at once
# (gunicorn's request threads, the listeners, the background loop: about 20). With the
# default five, each burst opened and closed overflow connections: a new server process
# every time, and under load a connect slower than its timeout, so events were refused
# (503) and answers failed (`make bench-slack ARGS="--instances 2"` at 250-300/s).
POSTGRES_POOL = 20
POSTGRES_OVERFLOW = 10


def make_engine(url: str, timeouts: Timeouts | None = None) -> Engine:
    """An engine whose waits are bounded by `timeouts` (`bot.storage.timeouts`)."""
    timeouts = timeouts or Timeouts()
    if url.startswith("sqlite"):
        busy_ms = sqlite_busy_timeout_ms(timeouts)
        # A connection for every thread that may want one at once (gunicorn's request
        # threads, the listeners, the background loop): a request thread waiting for the
        # pool's default five (plus ten) would wait behind answers. SQLite's are cheap.
        in_memory = make_url(url).database in (None, "", ":memory:")
        pool = {} if in_memory else {"pool_size": SQLITE_POOL, "max_overflow": SQLITE_POOL}
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": busy_ms / 1000},
            json_serializer=dumps,  # json.dumps's text, for less (`bot.storage.json_text`)
            **pool,
        )
        event.listen(engine, "connect", _sqlite_pragmas(busy_ms))
        take_turns(engine, busy_ms)
        return engine
    # No `pool_pre_ping` (a `SELECT 1` at every checkout): `check_on_checkout` pings only a
    # connection the server has said something on (it ended it) or one long idle.
    # Last in, first out: the connection handed out is the one given back last, so a DM's
    # ack, answer and sent mark, one after another, wake the one server process that just
    # ran, not each of the pool's in turn (first in, first out: 22-30 backends touched by
    # 100 DMs one at a time, 3-4 this way; the answer end to end about 8 % sooner,
    # docs/performance.md, `pgtail`). Connections left unused at the bottom stay idle, and
    # past `IDLE_PING_S` are pinged once when a burst reaches them.
    engine = create_engine(
        url,
        pool_size=POSTGRES_POOL,
        max_overflow=POSTGRES_OVERFLOW,
        pool_use_lifo=True,
        json_serializer=dumps,
    )
    check_on_checkout(engine)
    if engine.dialect.driver == "psycopg":
        bound_postgresql(engine, timeouts)
    return engine


def migration_engine(url: str) -> Engine:
    """An engine for schema changes: no statement timeout (a schema change, or the wait for
    another instance's, may take longer than a request), and all of it in one transaction.

    PostgreSQL's DDL is transactional as it is. Python's sqlite3 opens a transaction only
    before INSERT, UPDATE or DELETE, so each CREATE TABLE would stand on its own: a first start
    that stopped half-way left some tables, the next start found the database neither empty
    nor migrated, and instances starting together on a new file both created the tables and
    all but one failed. SQLAlchemy's recipe for SQLite ("Serializable isolation / Savepoints /
    Transactional DDL") lets SQLAlchemy emit the BEGIN itself; IMMEDIATE takes SQLite's write
    lock at once. (Instances migrating together do not meet here: `Database.migrate` gives
    them turns before, `bot.storage.migration_lock`; a second one finds the schema at head.)
    """
    engine = make_engine(url, UNLIMITED_STATEMENTS)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_leaves_transactions_to_us)
        event.listen(
            engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN IMMEDIATE")
        )
    return engine


def _sqlite_leaves_transactions_to_us(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def _note_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        session.info[WROTE] = True


def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


@contextmanager
def not_the_work(session: Session) -> Iterator[Session]:
    """Writes in the open unit of work that are not its own (a cache kept, like a profile
    Slack gave): they do not count for `wrote`, so a request that only read does not have
    its done mark committed before what it then says, which would go in a commit of its own
    after the mark (a crash between and the answer is lost)."""
    session.flush()  # the work's own pending changes are written before, and counted
    before = session.info.get(WROTE)
    try:
        yield session
    finally:
        session.info[WROTE] = before


def wrote(session: Session) -> bool:
    """Whether this unit of work changed anything (so far): a read-only one has no effects
    to record with the request it serves."""
    return bool(session.info.get(WROTE)) or bool(session.new or session.dirty or session.deleted)


TRANSIENT_WORDS = ("locked", "deadlock", "serializ", "could not obtain lock")


def transient(error: BaseException) -> bool:
    """A transaction that lost a race with another writer (a unique key taken meanwhile,
    SQLite's "database is locked", a serialization failure): run again, it succeeds."""
    name = type(error).__name__
    return isinstance(error, DBAPIError) and (
        name == "IntegrityError"
        or (name == "OperationalError" and any(w in str(error).lower() for w in TRANSIENT_WORDS))
    )


def unavailable(error: BaseException) -> bool:
    """The database itself failed (unreachable, gone away, refused a connection), as opposed
    to a statement it refused or a race lost: the request cannot be served now."""
    return (
        isinstance(error, DBAPIError)
        and not transient(error)
        and (
            error.connection_invalidated
            or type(error).__name__ in ("OperationalError", "InterfaceError")
        )
    )


class _UnitOfWork(Session):
    """A unit of work's session, bound to the connection `Database.session` holds for it.

    Until the ORM is used (an object loaded, added or flushed, an ORM statement run), its
    `connection()` is that connection as it is, and no ORM transaction is begun: a unit of
    work of prepared statements only (a DM's answer: the change counters, the question
    log, the outbox row, the done mark) is the connection's one transaction, without the
    Session's own begin, commit and close around it (`Database.session`)."""

    def connection(self, bind_arguments: Any = None, execution_options: Any = None) -> Connection:
        bound = self.bind
        if (
            bind_arguments is None
            and execution_options is None
            and isinstance(bound, Connection)
            and not self.in_transaction()
        ):
            return bound
        return super().connection(bind_arguments, execution_options)


def _used_orm(session: Session) -> bool:
    """Whether the session has an ORM transaction to commit, or objects still to flush: one
    that ran prepared statements only has neither, and its commit would be work for nothing."""
    if session.in_transaction() or session.new:
        return True
    # Dirty and deleted objects are in the identity map: an empty one has neither, and each
    # of `dirty` and `deleted` builds a set to say so.
    return len(session.identity_map) > 0 and bool(session.dirty or session.deleted)


def _holds_anything(session: Session) -> bool:
    """Whether `close` has anything to end or let go of: an ORM transaction, or objects.
    (Closing a session that holds nothing still looks up four of its events, each after an
    AttributeError, and makes a new identity map: work a DM's answer did for nothing.)"""
    # A deleted object is still in the identity map until the flush: `new` is all beside it.
    return session.in_transaction() or len(session.identity_map) > 0 or bool(session.new)


def _autocommit_off(connection: Connection, driver: Any) -> None:
    """`driver` (psycopg's connection, which `one_statement` put in autocommit) back to a
    transaction per unit of work. One that is not idle (its server gone) and not already let
    go by SQLAlchemy is invalidated: the pool must not lend it out in autocommit."""
    if driver.closed or connection.invalidated:
        return  # SQLAlchemy has let it go (a disconnect): the pool makes another
    status = driver.info.transaction_status
    try:
        if status != type(status).IDLE:
            raise ValueError(f"the connection is {status.name}, not idle")
        driver.autocommit = False
    except Exception:
        connection.invalidate()


class Database:
    """The engine, a session factory and the migrations, for one database URL."""

    def __init__(self, url: str, timeouts: Timeouts | None = None) -> None:
        self.url = url
        self.timeouts = timeouts or Timeouts()
        self.engine = make_engine(url, self.timeouts)
        self._sessions = sessionmaker(self.engine, class_=_UnitOfWork, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", _note_flush)
        event.listen(self._sessions, "do_orm_execute", _note_statement)
        track(self._sessions)  # the change counters of the cached tables (bot.storage.changes)

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        """DATABASE_URL with the timeouts POLICYBOT_DB_*_TIMEOUT_MS set."""
        timeouts = Timeouts(settings.db_connect_timeout_ms, settings.db_statement_timeout_ms)
        return cls(settings.database_url, timeouts)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises.

        The session is bound to a connection held for the block, whose one transaction it
        is. A session that used the ORM joins that transaction (SQLAlchemy's "join an
        external transaction": its commit flushes, counts the changes of the cached tables,
        `bot.storage.changes`, and leaves the commit itself to the connection's); one that
        ran prepared statements only never begins a transaction of its own
        (`_UnitOfWork`). Either way one transaction and one commit, on one connection."""
        with holding(), self.engine.connect() as connection:
            session = self._sessions(bind=connection)
            try:
                yield session
                if _used_orm(session):
                    session.commit()
                connection.commit()
                kept_as_written(session)  # once committed: the caches' values it wrote
            except BaseException:
                session.rollback()
                connection.rollback()
                raise
            finally:
                if _holds_anything(session):
                    session.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A transaction on a connection without an ORM session, for a hot path of prepared
        statements (`bot.storage.prepared`) that loads no objects: committed when the block
        ends, rolled back if it raises. (A Session's set-up, commit and close cost more than
        the door's one INSERT.)"""
        with holding(), self.engine.begin() as connection:
            yield connection

    @contextmanager
    def one_statement(self) -> Iterator[Connection]:
        """A connection for a block that runs one statement (the door's INSERT), committed
        when it has run. On PostgreSQL in autocommit: one statement is atomic on its own, so
        its BEGIN and COMMIT (a round trip each, psycopg sends them apart from the statement)
        add nothing but two waits on the server before the ack; its commit is as durable
        (the server's `synchronous_commit` decides, as for a COMMIT). On SQLite a transaction
        as `transaction` makes it: its writer turn hangs on it, and it has no round trips."""
        if self.engine.dialect.name != "postgresql":
            with self.transaction() as connection:
                yield connection
            return
        with holding(), self.engine.connect() as connection:
            # Autocommit set on the driver's connection and set back before the pool has it
            # again, as `execution_options(isolation_level="AUTOCOMMIT")` and the pool's reset
            # on return would: a block cost 211,000 instructions that way, 164,000 this way.
            driver: Any = connection.connection.driver_connection
            driver.autocommit = True
            try:
                yield connection
                connection.commit()  # nothing to send: each statement committed as it ran
            finally:
                _autocommit_off(connection, driver)

    def alembic_config(self, engine: Engine | None = None) -> Config:
        from alembic.config import Config  # only when migrating: Alembic is slow to import

        config = Config()
        location = resources.files("bot.storage") / "migrations"
        config.set_main_option("script_location", str(location))
        config.attributes["engine"] = engine or self.engine
        return config

    def migrate(self) -> None:
        """Bring the schema up to date; one linear history up to `head`.

        Nothing to do (the usual start) costs one query. Otherwise it all happens in one
        transaction that first takes PostgreSQL's transaction-level advisory lock: instances
        starting together wait for the first, then find the schema at head and do nothing.
        On a SQLite file they take turns at a lock file from before the first query
        (`bot.storage.migration_lock`), waiting as long as on PostgreSQL.
        A database without any table is created from the models and stamped at head
        (`bot.storage.schema.create_at_head`); one behind is upgraded by Alembic, revision by
        revision. It runs on an engine of its own without a statement timeout
        (`bot.storage.timeouts`): a schema change, or the wait for another instance's, may
        take longer than a request.
        """
        with migrating_alone(self.url):  # SQLite's turns (`bot.storage.migration_lock`)
            if at_head(self.engine):
                return
            self._migrate_now()

    def _migrate_now(self) -> None:
        untimed = migration_engine(self.url)
        try:
            with untimed.begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                    )
                if is_empty(connection):
                    create_at_head(connection, everything())
                    return
                from alembic import command  # only when migrating: Alembic is slow to import

                config = self.alembic_config(untimed)
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        finally:
            untimed.dispose()
            release(untimed)

    def at_head(self) -> bool:
        """The database answers and its migrations are at head (raises when it is down)."""
        return at_head(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
        release(self.engine)  # SQLite's lock file (`bot.storage.sqlite_writers`)
