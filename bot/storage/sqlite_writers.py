"""SQLite's writers in one process take turns in a queue, not in SQLite's busy loop.

SQLite lets one transaction write at a time. A second writer waits in the driver's busy
handler, which sleeps and looks again with growing pauses (up to 100 ms), so under load a
writer often sleeps long after the lock was free; the inbox's INSERT before an ack waited
behind the answers being written, and an ack at 20 requests at once took seconds.

Here a thread that is about to write (its connection's first INSERT, UPDATE or DELETE, where
the driver begins the transaction) first takes this process's writer turn, and gives it
back when its transaction ends (commit, rollback, or its connection returned to the pool):
the next writer is woken the moment the lock is free. A thread's second connection writing
while its first holds the turn joins it (it would wait for itself otherwise); waiting
longer than the busy timeout fails as SQLite would ("database is locked", which `transient`
knows).

Writers of other processes on the same file (gunicorn's workers) meet at a lock file beside
the database (`<database>-writers`, `flock`): the holder of a process's turn takes it too,
looking again every fraction of a millisecond, instead of in SQLite's busy handler, whose
pauses grow to 100 ms (two workers' acks waited up to half a second for each other). The
kernel releases it when a process dies, so a crash never leaves it taken.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, event

_FIRST: ContextVar[bool] = ContextVar("policybot_writes_first", default=False)
# The most a process's writer leaves the file's lock to another process's ack waiting for it
# (`FileTurn`): an ack's INSERT is a fraction of a millisecond of work; answers never starve.
YIELD_S = 0.02
# How often an ack waiting for another process's writer looks again, at most.
FIRST_PAUSE_S = 0.0005
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class _Resettable(Protocol):
    def reset(self) -> None: ...


# The turns a forked child must reset: those of the engines alive. One hook for the process,
# registered once (os.register_at_fork cannot take one back): a hook per engine would keep
# every engine's turns, and what runs at fork, growing with each engine made (tests make
# hundreds).
AT_FORK: weakref.WeakSet[_Resettable] = weakref.WeakSet()


def _reset_after_fork() -> None:
    for turn in list(AT_FORK):
        turn.reset()


os.register_at_fork(after_in_child=_reset_after_fork)


class WriterTurn:
    """One writer at a time per process; the same thread may hold it more than once. A thread
    that writes *first* (`first()`: the inbox's INSERT before an ack) goes before the others
    that wait, so an ack waits for the one transaction under way, not for a queue of answers.

    The writers going first and the others wait on conditions of their own (one lock): the
    turn given back wakes one writer, of the first ones if any wait. (One condition for all,
    woken all at once whenever a first writer waited, cost a wake-up per waiting thread at
    each turn: py-spy put it at 5 % of a DM's CPU under load.)"""

    _owner: int | None
    _depth: int
    _first_waiting: int
    _waiting: int

    def __init__(self) -> None:
        self.reset()

    def take(self, timeout: float) -> bool:
        me = threading.get_ident()
        with self._lock:
            if self._owner == me:
                self._depth += 1
                return True
            if _FIRST.get():
                self._first_waiting += 1
                try:
                    got = self._first_free.wait_for(lambda: self._owner is None, timeout)
                finally:
                    self._first_waiting -= 1
            else:
                self._waiting += 1
                try:
                    got = self._free.wait_for(
                        lambda: self._owner is None and not self._first_waiting, timeout
                    )
                finally:
                    self._waiting -= 1
            if not got:
                if self._owner is None:
                    self._wake()  # a wake-up this thread took as it gave up goes to another
                return False
            self._owner, self._depth = me, 1
            return True

    @property
    def owner(self) -> int | None:
        """The thread that holds the turn, if any."""
        return self._owner

    @property
    def depth(self) -> int:
        """How many of the owner's connections hold the turn (1: the first, alone)."""
        return self._depth

    @property
    def waiting(self) -> tuple[int, int]:
        """How many wait for the turn: those going first, and the others."""
        with self._lock:
            return self._first_waiting, self._waiting

    def give_back(self) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth <= 0:
                self._owner, self._depth = None, 0
                self._wake()

    def _wake(self) -> None:
        """The turn is free (the lock held): one waiting writer is woken to take it."""
        if self._first_waiting:
            self._first_free.notify()
        elif self._waiting:
            self._free.notify()

    def reset(self) -> None:
        """After fork: the child has none of the parent's transactions."""
        self._lock = threading.RLock()
        self._free = threading.Condition(self._lock)
        self._first_free = threading.Condition(self._lock)
        self._owner = None
        self._depth, self._first_waiting, self._waiting = 0, 0, 0


class FileTurn:
    """The writers' lock shared by the processes on one database file (`flock`). Only the
    holder of its process's `WriterTurn` takes it, so no two threads of a process contend.

    Acks go first between processes too. A writer going first (an ack's inbox INSERT) that
    finds the lock taken says so while it waits, with a shared lock on a second file
    (`<database>-writers-first`); another process's writers that do not go first (answers)
    leave the lock to it meanwhile, for at most `YIELD_S`. Without it, the process holding
    the lock handed it from answer to answer (its next writer, woken at once, took it before
    the other process's ack looked again), and that ack waited for the whole queue."""

    def __init__(self, path: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.path, self.clock = path, clock
        self.yielding = False  # a writer of this process leaves the lock to another's ack
        self._fd: int | None = None
        self._first_fd: int | None = None

    def _open(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._fd

    def _open_first(self) -> int:
        if self._first_fd is None:
            self._first_fd = os.open(self.path + "-first", os.O_RDWR | os.O_CREAT, 0o600)
        return self._first_fd

    def take(self, timeout: float, first: bool = False) -> bool:
        """The lock within `timeout` s; `first`: for a writer going first (see the class)."""
        fd, pause, signalled = self._open(), 0.0002, False
        now = self.clock()
        deadline, yield_until = now + timeout, now + YIELD_S
        try:
            while True:
                self.yielding = not first and now < yield_until and self._first_waits()
                if not self.yielding:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        return True
                    except BlockingIOError:
                        if first and not signalled:
                            signalled = self._signal_first()
                if self.clock() >= deadline:
                    return False
                time.sleep(pause)  # bounded: another process's write transaction, milliseconds
                pause = min(pause * 2, FIRST_PAUSE_S if first else 0.002)
                now = self.clock()
        finally:
            self.yielding = False
            if signalled:
                fcntl.flock(self._open_first(), fcntl.LOCK_UN)

    def _signal_first(self) -> bool:
        """Say that a writer going first waits (several may, in several processes)."""
        try:
            fcntl.flock(self._open_first(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            return True
        except BlockingIOError:  # a writer that does not go first is looking: next time
            return False

    def _first_waits(self) -> bool:
        """Whether a writer going first waits in another process."""
        fd = self._open_first()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False

    def give_back(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def reset(self) -> None:
        """After fork (a lock file inherited from the parent would share the parent's lock),
        and when the engine is disposed: closed, opened again when next needed."""
        for fd in (self._fd, self._first_fd):
            if fd is not None:
                os.close(fd)
        self._fd = self._first_fd = None


@contextmanager
def writing_first() -> Iterator[None]:
    """The writes of this block go before those of other threads waiting for their turn (in
    this process; between processes the lock file has no order)."""
    token = _FIRST.set(True)
    try:
        yield
    finally:
        _FIRST.reset(token)


def file_turn(engine: Engine) -> FileTurn | None:
    """The lock file of a database file; None for an in-memory database."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return FileTurn(os.path.abspath(database) + "-writers")


def take_turns(engine: Engine, busy_timeout_ms: int) -> None:
    """Make `engine`'s writers take turns: in this process, and with the other processes on
    the same database file (see the module's docstring).

    At the driver, not in SQLAlchemy's events: its connections are made of `TurnConnection`s
    (a `do_connect` listener names the class, sqlite3's `factory`), whose cursors take the
    turn before a connection's first write and whose commit and rollback give it back. A
    listener of the engine's own (connection) events would make SQLAlchemy join every new
    connection's event dispatch to the engine's and look up each event on it at first use:
    about 110,000 instructions a transaction, two of them a DM."""
    turn, shared = WriterTurn(), file_turn(engine)
    AT_FORK.add(turn)
    if shared is not None:
        AT_FORK.add(shared)
        _FILES[engine] = shared  # closed by `release` (the engine disposed), else when dropped
        weakref.finalize(engine, shared.reset)
    timeout = busy_timeout_ms / 1000

    def take(connection: TurnConnection) -> None:
        deadline = time.monotonic() + timeout
        if not turn.take(timeout):
            raise sqlite3.OperationalError("database is locked")
        first = turn.depth == 1
        if (
            first
            and shared is not None
            and not shared.take(deadline - time.monotonic(), first=_FIRST.get())
        ):
            turn.give_back()
            raise sqlite3.OperationalError("database is locked")
        connection.holds_turn = True

    def end(connection: Any) -> None:
        if getattr(connection, "holds_turn", False):
            connection.holds_turn = False
            if shared is not None and turn.depth == 1:
                shared.give_back()
            turn.give_back()

    class TurnCursor(sqlite3.Cursor):
        connection: TurnConnection

        def execute(self, sql: str, parameters: Any = (), /) -> TurnCursor:
            connection = self.connection
            if not connection.holds_turn and sql.lstrip()[:7].upper().startswith(WRITES):
                take(connection)
            return super().execute(sql, parameters)

        def executemany(self, sql: str, parameters: Any, /) -> TurnCursor:
            connection = self.connection
            if not connection.holds_turn and sql.lstrip()[:7].upper().startswith(WRITES):
                take(connection)
            return super().executemany(sql, parameters)

    class TurnConnection(sqlite3.Connection):
        holds_turn = False  # this connection's transaction holds the turn

        def cursor(self, factory: Any = TurnCursor) -> Any:
            return super().cursor(factory)

        def execute(self, sql: str, parameters: Any = (), /) -> Any:
            return self.cursor().execute(sql, parameters)  # sqlite3's own would skip ours

        def executemany(self, sql: str, parameters: Any, /) -> Any:
            return self.cursor().executemany(sql, parameters)

        def commit(self) -> None:
            try:
                super().commit()
            finally:
                end(self)

        def rollback(self) -> None:
            try:
                super().rollback()
            finally:
                end(self)

    @event.listens_for(engine, "do_connect")
    def with_turns(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
        cparams["factory"] = TurnConnection

    # A connection back in the pool holds nothing (its transaction was rolled back).
    event.listen(engine.pool, "checkin", lambda dbapi_connection, _record: end(dbapi_connection))


# The lock files of the engines alive, for `release`.
_FILES: weakref.WeakKeyDictionary[Engine, FileTurn] = weakref.WeakKeyDictionary()


def release(engine: Engine) -> None:
    """The engine is disposed of: its lock file is closed (opened again if it is used)."""
    shared = _FILES.get(engine)
    if shared is not None:
        shared.reset()


def holds_a_turn() -> bool:
    """Whether the calling thread holds a writer turn of this process (its transaction on
    some SQLite database has written and not ended). A Slack call made then would keep every
    other writer, an ack's INSERT included, waiting for Slack's answer: the Slack client
    warns (`runtime.slack_client`), and the tests fail on that warning."""
    me = threading.get_ident()
    return any(isinstance(t, WriterTurn) and t.owner == me for t in list(AT_FORK))


def holds_turn(connection: Connection) -> bool:
    """Whether the transaction of a SQLAlchemy connection holds its process's writer turn."""
    return bool(getattr(connection.connection.dbapi_connection, "holds_turn", False))
