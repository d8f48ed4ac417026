"""The statements every answer runs, compiled once per kind of database and handed to the
driver as they are.

`Connection.execute(statement)` makes the statement's cache key (a walk over the whole
statement) to find its compiled form in SQLAlchemy's cache, then builds the parameters
through the compiled statement's machinery: py-spy on live workers put that at about a
tenth of a DM's CPU, for statements that take less time in the database than that. A
`Prepared` statement is compiled by SQLAlchemy (the same SQL, per dialect) the first time a
connection of that dialect runs it; each run converts the caller's values with each
column's own bind processor (JSON, UTC datetimes as SQLite stores them) in the driver's
parameter style, and sends them with `exec_driver_sql`: on the same connection and in the
same transaction, with the connection's events (SQLite's writer turn) as before.

Only for statements whose values are all given by the caller or fixed in the statement:
one that needs a column default computed in Python (an INSERT without that column) is
refused when it is compiled. `run` gives the results as the driver gives them (ids, strings
and numbers); `first` converts the values of its row with each selected column's own result
processor (a UTC datetime that SQLite gives back as text, JSON).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Connection, Dialect, Result
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_Processor = Callable[[Any], Any] | None
Rows = Result[*tuple[Any, ...]]  # any number of columns


@dataclass(frozen=True)
class _Bind:
    name: str  # as the driver's SQL names it (pyformat), or its place (qmark)
    key: str  # the caller's parameter, when it gives one
    value: Any  # else the value fixed in the statement
    required: bool  # a value the caller must give
    process: _Processor


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: bool
    binds: tuple[_Bind, ...]
    results: tuple[_Processor, ...]  # a SELECT's: each column's result processor

    def parameters(self, given: Mapping[str, Any]) -> Any:
        values = []
        for bind in self.binds:
            if bind.key in given:
                value = given[bind.key]
            elif bind.required:
                raise KeyError(f"no value for {bind.key!r}")
            else:
                value = bind.value
            values.append(bind.process(value) if bind.process is not None else value)
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

    def run(self, connection: Connection, params: Mapping[str, Any]) -> Rows:
        """Run with `params` on `connection` (the caller's transaction)."""
        key = (connection.dialect.name, tuple(params))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compile(connection.dialect, key)
        return connection.exec_driver_sql(compiled.sql, compiled.parameters(params))

    def first(self, connection: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """A SELECT's first row (None: no row), each value as SQLAlchemy would read it."""
        row = self.run(connection, params).first()
        if row is None:
            return None
        results = self._compiled[(connection.dialect.name, tuple(params))].results  # run made it
        return tuple(
            process(value) if process is not None and value is not None else value
            for process, value in zip(results, row, strict=True)
        )

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
