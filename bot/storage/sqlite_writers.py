"""SQLite's writers in one process take turns in a queue, not in SQLite's busy loop.

SQLite lets one transaction write at a time. A second writer waits in the driver's busy
handler, which sleeps and looks again with growing pauses (up to 100 ms), so under load a
writer often sleeps long after the lock was free; the inbox's INSERT before an ack waited
behind the answers being written, and an ack at 20 requests at once took seconds.

Here a thread that is about to write (its connection's first INSERT, UPDATE or DELETE, where
the driver begins the transaction) first takes this process's writer turn, and gives it
back when its transaction ends (commit, rollback, or its connection returned to the pool):
the next writer is woken the moment the lock is free. Only writers from other processes
still meet in SQLite's busy handler. A thread's second connection writing while its first
holds the turn joins it (it would wait for itself otherwise); waiting longer than the busy
timeout fails as SQLite would ("database is locked", which `transient` knows).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError

HOLDS = "policybot.writer_turn"  # in a pooled connection's info: it holds the turn
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class WriterTurn:
    """One writer at a time per process; the same thread may hold it more than once."""

    def __init__(self) -> None:
        self._free = threading.Condition()
        self._owner: int | None = None
        self._depth = 0

    def take(self, timeout: float) -> bool:
        me = threading.get_ident()
        with self._free:
            if self._owner == me:
                self._depth += 1
                return True
            if not self._free.wait_for(lambda: self._owner is None, timeout):
                return False
            self._owner, self._depth = me, 1
            return True

    def give_back(self) -> None:
        with self._free:
            self._depth -= 1
            if self._depth <= 0:
                self._owner, self._depth = None, 0
                self._free.notify()

    def reset(self) -> None:
        """After fork: the child has none of the parent's transactions."""
        self._free = threading.Condition()
        self._owner, self._depth = None, 0


def take_turns(engine: Engine, busy_timeout_ms: int) -> None:
    """Make `engine`'s writers in this process take turns (see the module's docstring)."""
    turn = WriterTurn()
    os.register_at_fork(after_in_child=turn.reset)

    @event.listens_for(engine, "before_cursor_execute")
    def before(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if conn.info.get(HOLDS) or not statement.lstrip()[:7].upper().startswith(WRITES):
            return
        if not turn.take(busy_timeout_ms / 1000):
            locked = sqlite3.OperationalError("database is locked")
            raise OperationalError(statement, None, locked)
        conn.info[HOLDS] = True

    def end(info: dict[str, Any]) -> None:
        if info.pop(HOLDS, False):
            turn.give_back()

    event.listen(engine, "commit", lambda conn: end(conn.info))
    event.listen(engine, "rollback", lambda conn: end(conn.info))
    event.listen(engine.pool, "checkin", lambda _dbapi, record: end(record.info))
