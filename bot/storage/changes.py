"""In-process caches of database rows that stay correct across instances.

A read a request makes every time (the adopted version, the crisis mode, a person's profile
and roles, the members of a user group, a channel's id) is kept in memory, per database,
under the *change counter* of its table: a row of `change_counters` that every transaction
writing that table increments when it commits (`track`, installed on every session by
`bot.storage.Database`). A unit of work reads all counters once, with one small SELECT,
the first time it consults a cache; an entry filled under an older counter is dropped.

So a change committed by any instance, or by the command line, is seen by every other
instance on its next unit of work: no timer guesses. Within the transaction that writes a
table, that table's caches are bypassed (it reads its own writes), and nothing filled by a
transaction that saw an older counter is kept.

Only the tables in `WATCHED` have a counter: incrementing one serialises the transactions
that write its table, which is cheap for tables that change seldom and would be a bottleneck
for the busy ones (the inbox, the outbox, the question log), which are never cached.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from bot.storage.models.changes import ChangeCounter
from bot.storage.prepared import Prepared

K = TypeVar("K")
V = TypeVar("V")

# The tables whose reads are cached in process. A new cache names its table here.
WATCHED = frozenset(
    {
        "policy_versions",
        "crisis_periods",
        "user_profiles",
        "role_grants",
        "group_memberships",
        "channel_names",
    }
)
TOUCHED = "policybot.changes.touched"  # session.info: watched tables this transaction wrote
SEEN = "policybot.changes.seen"  # session.info: the counters this transaction read


def _tables_of(instances: Iterable[Any]) -> set[str]:
    names = set()
    for instance in instances:
        table = getattr(type(instance), "__tablename__", None)
        if table in WATCHED:
            names.add(str(table))
    return names


def _touch(session: Session, tables: set[str]) -> None:
    if tables:
        session.info.setdefault(TOUCHED, set()).update(tables)


def _note_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    _touch(session, _tables_of([*session.new, *session.dirty, *session.deleted]))


def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        name = getattr(table, "name", None)
        if name in WATCHED:
            _touch(state.session, {str(name)})


def _count_changes(session: Session) -> None:
    """Before the commit: one increment per watched table written, in a fixed order (two
    transactions never wait for each other's counters crosswise)."""
    session.flush()  # what is still pending is written first (the commit would flush later)
    touched = sorted(session.info.pop(TOUCHED, ()))
    if not touched:
        return
    from bot.storage.writes import insert_statement  # writes imports the models

    for name in touched:
        statement = insert_statement(session, ChangeCounter).values(table_name=name, counter=1)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["table_name"], set_={"counter": ChangeCounter.counter + 1}
            )
        )
    session.info.pop(SEEN, None)


def _forget(session: Session) -> None:
    session.info.pop(TOUCHED, None)
    session.info.pop(SEEN, None)


def track(sessions: Any) -> None:
    """Install the counting on a sessionmaker."""
    event.listen(sessions, "before_flush", _note_flush)
    event.listen(sessions, "do_orm_execute", _note_statement)
    event.listen(sessions, "before_commit", _count_changes)
    event.listen(sessions, "after_commit", _forget)
    event.listen(sessions, "after_rollback", _forget)


# Read by most units of work: prepared once (`bot.storage.prepared`), on the session's
# connection.
_COUNTERS = Prepared(
    select(ChangeCounter.__table__.c.table_name, ChangeCounter.__table__.c.counter)
)


def counters(session: Session) -> dict[str, int]:
    """The change counters, read once per transaction (the first cache consulted reads them)."""
    seen = session.info.get(SEEN)
    if seen is None:
        rows = _COUNTERS.run(session.connection(), {})
        seen = {str(name): int(counter) for name, counter in rows}
        session.info[SEEN] = seen
    return seen


_MISSING = object()


class _Entries:
    """One database's entries of a cache, filled under one counter."""

    def __init__(self, counter: int) -> None:
        self.counter = counter
        self.values: OrderedDict[Any, Any] = OrderedDict()


class RowCache(Generic[K, V]):
    """Values loaded from one watched table, by key, per database; at most `size` of them
    (least recently used dropped first)."""

    def __init__(self, table: str, size: int = 4096) -> None:
        if table not in WATCHED:
            raise ValueError(f"{table} has no change counter: add it to WATCHED")
        self.table, self.size = table, size
        self._lock = threading.Lock()
        self._by_engine: weakref.WeakKeyDictionary[Engine, _Entries] = weakref.WeakKeyDictionary()

    def get(self, session: Session, key: K, load: Callable[[], V]) -> V:
        """The value for `key`: from memory when the table has not changed since it was
        loaded, else `load()` (run in `session`), remembered."""
        if self.table in session.info.get(TOUCHED, ()):
            return load()  # this transaction wrote the table: read its own writes
        counter = counters(session).get(self.table, 0)
        engine = session.get_bind().engine
        with self._lock:
            entries = self._by_engine.get(engine)
            if entries is None or entries.counter < counter:
                entries = self._by_engine[engine] = _Entries(counter)
            found = entries.values.get(key, _MISSING) if entries.counter == counter else _MISSING
            if found is not _MISSING:
                entries.values.move_to_end(key)
                return cast(V, found)
        value = load()
        with self._lock:
            if entries.counter == counter and self.table not in session.info.get(TOUCHED, ()):
                entries.values[key] = value
                while len(entries.values) > self.size:
                    entries.values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._by_engine.clear()
