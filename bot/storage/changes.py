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

*Forgetting per key* (`BY_KEY`: the profiles). A table written for one person at a time, by
many people (each new asker's profile, and again a day later), would otherwise empty every
instance's whole cache of it at each write: in a large organisation most profiles would
never stay in memory. So the transaction that moves such a table's counter to `n` also
writes which keys it wrote (`changed_keys`: `n` and each key), and an instance whose cache
is at `m < n` reads the keys of `m+1 … n` (one SELECT, only when the counter moved) and
drops those entries alone. Why a log of keys by counter rather than a version per row: the
version of a row can only be compared by reading the row, the SELECT a cache is there to
save, and a row deleted leaves nothing to compare; the counter, already read once per unit
of work, says whether there is anything to read at all. Why its values and not a sequence of
its own: the counter's increment holds its row's lock to the commit, so its values commit in
order and every key of `m+1 … n` is committed once `n` is seen (a sequence's ids are handed
out in one order and committed in another, so "everything after the last id seen" could miss
one). A counter value in that range without keys (a write whose keys are not known, e.g. an
UPDATE or DELETE by a condition; an instance of an older release; keys pruned as older than
`KEPT` values) makes the cache forget everything, as every write did before. The keys come
from the objects flushed and, for statements, from the `ROW_KEYS` execution option that
`bot.storage.writes.upsert` sets (when its conflict column is the key); a transaction with
any write of unknown keys writes none.

*Kept as written* (`RowCache.remember`): the unit of work that stores a profile says which
value it wrote, and once its commit has returned (`kept_as_written`, called by
`Database.session`) the instance keeps it under the counter value that commit took, when
its cache is at the value just before (or already at it): the person's next question needs
no SELECT on this instance. The value is the row as that commit left it, so it is what a
read at that counter would load; a later change moves the counter past it and drops it.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import (
    ARRAY,
    Engine,
    String,
    bindparam,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    select,
    true,
)
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from bot.storage import begin_with
from bot.storage.models.changes import ChangeCounter, ChangedKey
from bot.storage.prepared import Prepared
from bot.storage.writes import ROW_KEYS, insert_statement

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
# The watched tables whose caches forget per key: each keyed by the table's one-column primary
# key, named here; every counted change of the table writes its keys to `changed_keys`.
BY_KEY = {"user_profiles": "user_id"}
# How many counter values' keys are kept per table: a cache further behind forgets everything.
KEPT = 1024
PRUNE_EVERY = 64  # counter values between two prunings of a table's old keys
TOUCHED = "policybot.changes.touched"  # session.info: watched tables this transaction wrote
KEYS = "policybot.changes.keys"  # session.info: {BY_KEY table: keys written, None: unknown}
SEEN = "policybot.changes.seen"  # session.info: the counters this transaction read
ENGINE = "policybot.changes.engine"  # session.info: the engine the session is bound to
# session.info: {BY_KEY table: [(counter value taken, keys written or None)]}, and the values
# written that caches were told of: kept in memory once the unit of work has committed.
MOVED = "policybot.changes.moved"
WRITTEN = "policybot.changes.written"


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


def _note_keys(session: Session, table: str, keys: Iterable[Any] | None) -> None:
    """Remember the keys of `table` this transaction wrote; None: some are unknown."""
    written = session.info.setdefault(KEYS, {})
    if keys is None:
        written[table] = None
    elif table not in written:
        written[table] = {str(key) for key in keys}
    elif written[table] is not None:
        written[table].update(str(key) for key in keys)


def _keys_of(instance: Any, column: str) -> list[Any] | None:
    """The primary key an object is stored under and the one it is given (both, when a
    flush changes it); None when neither is known."""
    state = inspect(instance)
    keys = [key for key in state.attrs[column].history.added if key is not None]
    if state.identity:
        keys.append(state.identity[0])
    return keys or None


def _note_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    written = [*session.new, *session.dirty, *session.deleted]
    tables = _tables_of(written)
    for table in tables & BY_KEY.keys():
        column = BY_KEY[table]
        for instance in written:
            if getattr(type(instance), "__tablename__", None) == table:
                _note_keys(session, table, _keys_of(instance, column))
    _touch(session, tables)


def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        name = getattr(table, "name", None)
        if name in WATCHED:
            if name in BY_KEY:
                _note_keys(state.session, str(name), _row_keys(state, BY_KEY[name]))
            _touch(state.session, {str(name)})


def _row_keys(state: ORMExecuteState, column: str) -> list[Any] | None:
    """The key of the one row an upsert writes, by its conflict column; else unknown."""
    row = state.execution_options.get(ROW_KEYS)
    return [row[column]] if row is not None and row.keys() == {column} else None


def _count_changes(session: Session) -> None:
    """Before the commit: one increment per watched table written, in a fixed order (two
    transactions never wait for each other's counters crosswise)."""
    session.flush()  # what is still pending is written first (the commit would flush later)
    touched = sorted(session.info.pop(TOUCHED, ()))
    written = session.info.pop(KEYS, {})
    if not touched:
        return
    for name in touched:
        statement = insert_statement(session, ChangeCounter).values(table_name=name, counter=1)
        statement = statement.on_conflict_do_update(
            index_elements=["table_name"], set_={"counter": ChangeCounter.counter + 1}
        )
        if name not in BY_KEY:
            session.execute(statement)
            continue
        keys = written.get(name)
        if keys and session.get_bind().dialect.name == "postgresql":
            counter = int(session.execute(_moved_with_keys(statement, name, keys)).scalar_one())
            _prune_keys(session, name, counter)
        else:
            counter = int(session.execute(statement.returning(ChangeCounter.counter)).scalar_one())
            _log_keys(session, name, counter, keys)
        session.info.setdefault(MOVED, {}).setdefault(name, []).append((counter, keys))
    session.info.pop(SEEN, None)


def _moved_with_keys(upsert: Any, table: str, keys: set[str]) -> Any:
    """PostgreSQL: the counter's increment and its keys' INSERT as one statement (a WITH of
    two writes), RETURNING the value taken: one round trip where there were two, on a new
    asker's first question. The keys' INSERT reads the value from the increment's RETURNING,
    in the same transaction and under the same row lock as before."""
    moved = upsert.returning(ChangeCounter.counter).cte("moved")
    given = func.unnest(bindparam("b_keys", sorted(keys), type_=ARRAY(String)))
    key = given.table_valued("row_key").render_derived(name="given_keys")
    rows = select(literal(table, String), moved.c.counter, key.c.row_key).select_from(
        moved.join(key, true())
    )
    logged = insert(ChangedKey).from_select(["table_name", "counter", "row_key"], rows)
    return select(moved.c.counter).add_cte(logged.cte("logged"))


def _log_keys(session: Session, table: str, counter: int, keys: set[str] | None) -> None:
    """The keys of a `BY_KEY` table written under `counter`; none when unknown (the caches
    then forget everything), and every `PRUNE_EVERY` values those older than `KEPT` dropped."""
    if keys:
        rows = [{"table_name": table, "counter": counter, "row_key": key} for key in keys]
        session.execute(insert(ChangedKey), rows)
    _prune_keys(session, table, counter)


def _prune_keys(session: Session, table: str, counter: int) -> None:
    """Every `PRUNE_EVERY` values, the keys older than `KEPT` values dropped."""
    if counter % PRUNE_EVERY == 0:
        session.execute(
            delete(ChangedKey).where(
                ChangedKey.table_name == table, ChangedKey.counter <= counter - KEPT
            )
        )


def _forget(session: Session) -> None:
    session.info.pop(TOUCHED, None)
    session.info.pop(KEYS, None)
    session.info.pop(SEEN, None)


def _undo_written(session: Session) -> None:
    """Any rollback, a savepoint's too: what was to be kept as written may not be."""
    session.info.pop(MOVED, None)
    session.info.pop(WRITTEN, None)


def kept_as_written(session: Session) -> None:
    """After the unit of work's commit has returned: the values it told caches it wrote
    (`RowCache.remember`), kept under the counter value its commit took for their table,
    unless that table's keys are not all known or its counter moved more than once."""
    written = session.info.pop(WRITTEN, None)
    moved = session.info.pop(MOVED, None)
    if not written or not moved:
        return
    for cache, engine, key, value in written:
        taken = moved.get(cache.table)
        if taken is None or len(taken) != 1:
            continue
        counter, keys = taken[0]
        if keys is not None and str(key) in keys:
            cache.keep(engine, counter, keys, key, value)


def track(sessions: Any) -> None:
    """Install the counting on a sessionmaker."""
    event.listen(sessions, "before_flush", _note_flush)
    event.listen(sessions, "do_orm_execute", _note_statement)
    event.listen(sessions, "before_commit", _count_changes)
    event.listen(sessions, "after_commit", _forget)
    event.listen(sessions, "after_rollback", _forget)
    event.listen(sessions, "after_soft_rollback", lambda session, _previous: _undo_written(session))


# Read by most units of work: prepared once (`bot.storage.prepared`), on the session's
# connection.
_COUNTERS = Prepared(
    select(ChangeCounter.__table__.c.table_name, ChangeCounter.__table__.c.counter)
)


def counters(session: Session) -> dict[str, int]:
    """The change counters, read once per transaction (the first cache consulted reads them)."""
    seen = session.info.get(SEEN)
    if seen is None:
        connection = session.connection()
        # Usually a unit of work's first statement: on PostgreSQL sent with its BEGIN.
        folded = begin_with.read(connection, _COUNTERS.sql(connection.dialect))
        rows: Sequence[Sequence[Any]] = (
            _COUNTERS.run(connection, {}).all() if folded is None else folded
        )
        seen = {str(name): int(counter) for name, counter in rows}
        session.info[SEEN] = seen
    return seen


_CHANGED = ChangedKey.__table__.c
# Read when a `BY_KEY` table's counter has moved since the cache was filled.
_KEYS_SINCE = Prepared(
    select(_CHANGED.counter, _CHANGED.row_key).where(
        _CHANGED.table_name == bindparam("b_table"),
        _CHANGED.counter > bindparam("b_since"),
        _CHANGED.counter <= bindparam("b_upto"),
    )
)


def changed_keys(session: Session, table: str, since: int, upto: int) -> set[str] | None:
    """The keys of `table` written under its counter values `since+1 … upto`; None when
    some value's keys are not known (written without, or pruned): forget everything."""
    if upto - since > KEPT:
        return None
    rows = _KEYS_SINCE.run(
        session.connection(), {"b_table": table, "b_since": since, "b_upto": upto}
    )
    if len({counter for counter, _key in rows}) != upto - since:
        return None
    return {str(key) for _counter, key in rows}


_MISSING = object()


def _engine_of(session: Session) -> Engine:
    """The engine of the session's bind, kept in its `info` (a session's bind stays)."""
    engine = session.info[ENGINE] = session.get_bind().engine
    return engine


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
        self._by_key = table in BY_KEY
        self._lock = threading.Lock()
        self._by_engine: weakref.WeakKeyDictionary[Engine, _Entries] = weakref.WeakKeyDictionary()

    def get(self, session: Session, key: K, load: Callable[[], V]) -> V:
        """The value for `key`: from memory when the table has not changed since it was
        loaded, else `load()` (run in `session`), remembered."""
        info = session.info
        if self.table in info.get(TOUCHED, ()):
            return load()  # this transaction wrote the table: read its own writes
        # A DM's answer asks about ten times (`docs/performance.md`, `cpu30`): the counters
        # read and the engine found once per session, then looked up.
        seen = info.get(SEEN)
        counter = (counters(session) if seen is None else seen).get(self.table, 0)
        engine = info.get(ENGINE) or _engine_of(session)
        with self._lock:
            entries = self._by_engine.get(engine)
            if entries is None or (entries.counter < counter and not self._by_key):
                entries = self._by_engine[engine] = _Entries(counter)
            behind = entries.counter < counter
            found = entries.values.get(key, _MISSING) if entries.counter == counter else _MISSING
            if found is not _MISSING:
                entries.values.move_to_end(key)
                return cast(V, found)
        if behind:  # a BY_KEY table changed: drop the keys written since, keep the rest
            entries = self._catch_up(session, engine, entries.counter, counter)
            with self._lock:
                found = entries.values.get(key, _MISSING)
                if found is not _MISSING and entries.counter == counter:
                    entries.values.move_to_end(key)
                    return cast(V, found)
        value = load()
        with self._lock:
            if entries.counter == counter and self.table not in session.info.get(TOUCHED, ()):
                entries.values[key] = value
                while len(entries.values) > self.size:
                    entries.values.popitem(last=False)
        return value

    def _catch_up(self, session: Session, engine: Engine, since: int, counter: int) -> _Entries:
        """The entries brought from counter `since` to `counter`: the keys written meanwhile
        dropped (read in `session`, outside the lock), or all of them when not known."""
        changed = changed_keys(session, self.table, since, counter)
        with self._lock:
            entries = self._by_engine[engine]
            if entries.counter >= counter:
                return entries  # another unit of work has caught up as far, or further
            if changed is None or entries.counter < since:
                entries = self._by_engine[engine] = _Entries(counter)
                return entries
            # `changed` covers since+1 … counter, and so entries.counter+1 … counter.
            for key in changed:
                entries.values.pop(key, None)
            entries.counter = counter
            return entries

    def remember(self, session: Session, key: K, value: V) -> None:
        """`key`'s value as this unit of work writes it (what `load` would give after its
        commit): kept in memory once it has committed (`kept_as_written`)."""
        if not self._by_key:
            raise ValueError(f"{self.table} is not forgotten per key: add it to BY_KEY")
        engine = session.get_bind().engine
        session.info.setdefault(WRITTEN, []).append((self, engine, key, value))

    def keep(self, engine: Engine, counter: int, keys: set[str], key: K, value: V) -> None:
        """`value` for `key` as the committed change that took `counter` (writing `keys`)
        left it: kept if the entries are at `counter - 1` (brought to `counter`, `keys`
        dropped) or already at `counter`, else left to be loaded."""
        with self._lock:
            entries = self._by_engine.get(engine)
            if entries is None:
                entries = self._by_engine[engine] = _Entries(counter)
            elif entries.counter == counter - 1:
                for changed in keys:
                    entries.values.pop(changed, None)
                entries.counter = counter
            elif entries.counter != counter:
                return
            entries.values[key] = value
            entries.values.move_to_end(key)
            while len(entries.values) > self.size:
                entries.values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._by_engine.clear()
