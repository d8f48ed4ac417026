"""The statements every answer runs, compiled once per kind of database and handed to the
driver as they are.

`Connection.execute(statement)` makes the statement's cache key (a walk over the whole
statement) to find its compiled form in SQLAlchemy's cache, then builds the parameters
through the compiled statement's machinery: py-spy on live workers put that at about a
tenth of a DM's CPU, for statements that take less time in the database than that. A
`Prepared` statement is compiled by SQLAlchemy (the same SQL, per dialect) the first time a
connection of that dialect runs it; each run converts the caller's values with each
column's own bind processor (JSON, UTC datetimes as SQLite stores them) in the driver's
parameter style, and sends them on a cursor of the connection's own driver connection: in
the same transaction, with the connection's `before_cursor_execute` and
`after_cursor_execute` events (SQLite's writer turn) fired as SQLAlchemy fires them, and a
driver error handed to SQLAlchemy's own handling (wrapped as `DBAPIError`, the connection
invalidated when the database has gone away, as `Connection.execute` does). Even
`exec_driver_sql` builds an execution context and a `CursorResult` for each run: py-spy put
that at 8 % of a DM's CPU, more than the driver's own work for these small statements.

Only for statements whose values are all given by the caller or fixed in the statement:
one that needs a column default computed in Python (an INSERT without that column) is
refused when it is compiled. `run` gives the rows as the driver gives them (ids, strings
and numbers), all fetched, and the driver's rowcount (`Ran`); `run_many` runs it for each of
several sets of values in one batch (psycopg pipelines them) and gives nothing back;
`first` converts the values of its row with each selected column's own result processor (a
UTC datetime that SQLite gives back as text, JSON).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, Connection, Dialect
from sqlalchemy.exc import MultipleResultsFound, NoResultFound
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_Processor = Callable[[Any], Any] | None


class Ran:
    """What a prepared statement's run gave back: its rows (all fetched, as the driver gives
    them) and how many rows it changed (the driver's rowcount)."""

    __slots__ = ("rowcount", "rows")

    def __init__(self, rows: Sequence[Sequence[Any]], rowcount: int) -> None:
        self.rows, self.rowcount = rows, rowcount

    def __iter__(self) -> Iterator[Sequence[Any]]:
        return iter(self.rows)

    def all(self) -> Sequence[Sequence[Any]]:
        return self.rows

    def first(self) -> Sequence[Any] | None:
        return self.rows[0] if self.rows else None

    def scalar(self) -> Any:
        """The first row's first value (None: no row)."""
        return self.rows[0][0] if self.rows else None

    def scalar_one(self) -> Any:
        """The one row's first value; raises as SQLAlchemy's does for none or more."""
        if not self.rows:
            raise NoResultFound("No row was found when one was required")
        if len(self.rows) > 1:
            raise MultipleResultsFound("Multiple rows were found when exactly one was required")
        return self.rows[0][0]

    def scalars(self) -> list[Any]:
        """Each row's first value."""
        return [row[0] for row in self.rows]


class _Bind(NamedTuple):
    """One parameter of the statement (a tuple: each run reads every field of each)."""

    name: str  # as the driver's SQL names it (pyformat), or its place (qmark)
    key: str  # the caller's parameter, when it gives one
    value: Any  # else the value fixed in the statement
    required: bool  # a value the caller must give
    process: _Processor


@dataclass
class _Compiled:
    sql: str
    positional: bool
    binds: tuple[_Bind, ...]
    results: tuple[_Processor, ...]  # a SELECT's: each column's result processor
    # Whether the SQL gives rows (a SELECT, a RETURNING), as the driver said on its first run
    # without listeners: one SQL text always does or never does. Asking psycopg's
    # `cursor.description` builds a column object per column, on every run.
    gives_rows: bool | None = None

    def parameters(self, given: Mapping[str, Any]) -> Any:
        values = []
        for _name, key, fixed, required, process in self.binds:
            if key in given:
                value = given[key]
            elif required:
                raise KeyError(f"no value for {key!r}")
            else:
                value = fixed
            values.append(value if process is None else process(value))
        if self.positional:
            return tuple(values)
        return {bind.name: value for bind, value in zip(self.binds, values, strict=True)}


class Prepared:
    """`statement`, or the statement `build` makes for a dialect (an INSERT … ON CONFLICT),
    compiled once per dialect and set of parameter names (as `Connection.execute` would for
    those: an INSERT's columns are the names given)."""

    def __init__(self, statement: ClauseElement | Callable[[Dialect], ClauseElement]) -> None:
        self._build = statement if callable(statement) else (lambda _dialect: statement)
        self._compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = {}
        self._lock = threading.Lock()

    def run(self, connection: Connection, params: Mapping[str, Any]) -> Ran:
        """Run with `params` on `connection` (the caller's transaction; begun if none is)."""
        compiled = self._for(connection.dialect, params)
        return _execute(connection, compiled, compiled.parameters(params))

    def run_many(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run once for each of `rows` (values under the same names), as one batch: the
        driver's `executemany`, which psycopg sends pipelined (one round trip for all, where
        a run each waits for the server each time). What the runs gave back is not kept: for
        writes whose caller needs no rows and no count."""
        if len(rows) == 1:  # psycopg's pipeline costs more than it saves for one run
            self.run(connection, rows[0])
            return
        if not rows:
            return
        compiled = self._for(connection.dialect, rows[0])
        _execute(connection, compiled, [compiled.parameters(row) for row in rows], many=True)

    def sql(self, dialect: Dialect) -> str:
        """The SQL sent for a run without parameters on `dialect` (compiled once)."""
        return self._for(dialect, {}).sql

    def first(self, connection: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """A SELECT's first row (None: no row), each value as SQLAlchemy would read it."""
        row = self.run(connection, params).first()
        if row is None:
            return None
        results = self._for(connection.dialect, params).results  # compiled by run
        return tuple(
            process(value) if process is not None and value is not None else value
            for process, value in zip(results, row, strict=True)
        )

    def _for(self, dialect: Dialect, params: Mapping[str, Any]) -> _Compiled:
        """The statement compiled for `dialect` and `params`' names: once, then looked up."""
        key = (dialect.name, tuple(params))
        return self._compiled.get(key) or self._compile(dialect, key)

    def _compile(self, dialect: Dialect, key: tuple[str, tuple[str, ...]]) -> _Compiled:
        with self._lock:
            found = self._compiled.get(key)
            if found is not None:
                return found
            statement = self._build(dialect)
            compiled = statement.compile(dialect=dialect, column_keys=sorted(key[1]))
            assert isinstance(compiled, SQLCompiler)
            if compiled.insert_prefetch or compiled.update_prefetch:
                raise ValueError("a prepared statement must be given every value it writes")
            names = list(compiled.positiontup or ()) if dialect.positional else compiled.binds
            escaped: Mapping[str, str] = compiled.escaped_bind_names or {}
            binds = tuple(
                _bind(escaped.get(name, name), compiled.binds[name], dialect) for name in names
            )
            selected = getattr(statement, "selected_columns", ())
            results = tuple(
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for column in selected
            )
            made = self._compiled[key] = _Compiled(
                compiled.string, dialect.positional, binds, results
            )
            return made


def _bind(name: str, bind: BindParameter[Any], dialect: Dialect) -> _Bind:
    process = bind.type.dialect_impl(dialect).bind_processor(dialect)
    return _Bind(name, bind.key, bind.effective_value, bind.required, process)


def _has_events(connection: Connection) -> bool:
    """Whether a listener of connection events may be called: SQLAlchemy's own test before
    it fires one (private flags; without them, assumed so). Looking an event up on a
    connection without listeners costs as much as the statement's conversion: each new
    connection's dispatch finds each event at its first use through two `__getattr__`s and
    two AttributeErrors. `tests/test_prepared_statements.py` holds a listener to being
    called."""
    return bool(
        getattr(connection, "_has_events", True) or getattr(connection.engine, "_has_events", True)
    )


# In a pooled driver connection's `info` (SQLAlchemy's, kept for the driver connection's life,
# emptied when it is replaced): the cursor its prepared statements run on.
CURSOR = "policybot.prepared.cursor"


def _cursor(driver: Any) -> Any:
    """The driver connection's cursor for prepared statements: made once, then used again by
    each statement (the pool lends a connection to one thread at a time). A psycopg cursor
    costs some forty Python calls to make and close (its adapters' map copied, among them),
    a statement's own conversion about as many."""
    info = driver.info
    cursor = info.get(CURSOR)
    if cursor is None:
        cursor = info[CURSOR] = driver.cursor()
    return cursor


def _execute(
    connection: Connection, compiled: _Compiled, parameters: Any, many: bool = False
) -> Ran:
    """`compiled`'s SQL on the cursor of `connection`'s driver connection, as
    `Connection.execute` runs a statement: in its transaction (begun as `execute` would begin
    it), the cursor events fired when there are listeners (a listener may change the
    statement or its parameters, as there), a driver error handled by SQLAlchemy itself
    (wrapped, and on a disconnect the connection and the pool's others invalidated; its
    `handle_error` events fired)."""
    if not connection.in_transaction():
        connection.begin()
    driver = connection.connection  # the pooled driver connection (revalidated if need be)
    dispatch = connection.dispatch if _has_events(connection) else None
    sql, cursor = compiled.sql, None
    try:
        cursor = _cursor(driver)
        if dispatch is not None:
            for before in dispatch.before_cursor_execute:
                sql, parameters = before(connection, cursor, sql, parameters, None, many)
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        if dispatch is not None:
            dispatch.after_cursor_execute(connection, cursor, sql, parameters, None, many)
        gives_rows = False if many else compiled.gives_rows
        if gives_rows is None:
            gives_rows = cursor.description is not None
            if sql is compiled.sql:  # not a listener's other SQL
                compiled.gives_rows = gives_rows
        return Ran(cursor.fetchall() if gives_rows else [], cursor.rowcount)
    except BaseException as error:
        # SQLAlchemy's handling closes the cursor: the next statement makes another.
        driver.info.pop(CURSOR, None)
        # Private, but the one way to get SQLAlchemy's own wrapping and invalidation (what
        # `exec_driver_sql` does); `tests/test_prepared_statements.py` holds it to that.
        connection._handle_dbapi_exception(error, sql, parameters, cursor, None)
        raise  # not reached: it raises
