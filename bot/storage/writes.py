"""Writes that two instances may make at the same moment without failing the unit of work.

A plain INSERT of a row another transaction has just inserted fails the whole transaction at
commit; `INSERT … ON CONFLICT` (SQLite and PostgreSQL both have it) waits for the other one
and then does nothing, or updates, and the caller's unit of work carries on.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Result, Table, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.base import Base
from bot.storage.prepared import Ran

# An execution option of `upsert`'s statement: {conflict column: value} of the row it writes.
ROW_KEYS = "policybot_row_keys"


def insert_statement(session: Session, model: type[Base] | Table) -> Any:
    """An INSERT for `model` that takes `on_conflict_do_nothing/update` on this backend."""
    return insert_for(session.get_bind().dialect.name, model)


def insert_for(dialect: str, model: type[Base] | Table) -> Any:
    """`insert_statement` for the dialect named `dialect`."""
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"no INSERT … ON CONFLICT for {dialect}")


def insert_once(session: Session, model: type[Base], /, **values: Any) -> bool:
    """Insert the row unless one with the same key exists; True when this call inserted it
    (told by the row coming back: the driver's rowcount is not reliable for ON CONFLICT)."""
    key = list(inspect(model).primary_key)
    statement = insert_statement(session, model).values(**values).on_conflict_do_nothing()
    return session.execute(statement.returning(*key)).first() is not None


def inserted_key(session: Session, model: type[Base], /, **values: Any) -> Any | None:
    """Insert the row unless it conflicts with a stored one (on any unique key); the new row's
    primary key when this call inserted it, else None."""
    key = list(inspect(model).primary_key)
    statement = insert_statement(session, model).values(**values).on_conflict_do_nothing()
    found = session.execute(statement.returning(*key)).first()
    return found[0] if found is not None else None


def upsert(
    session: Session,
    model: type[Base],
    keys: list[str],
    /,
    *,
    only_if: ColumnElement[bool] | None = None,
    **values: Any,
) -> None:
    """Insert the row, or update the one with the same `keys` to `values` (only where the
    stored row meets `only_if`, when given: e.g. "not newer than this")."""
    statement = insert_statement(session, model).values(**values)
    changes = {name: value for name, value in values.items() if name not in keys}
    statement = statement.on_conflict_do_update(index_elements=keys, set_=changes, where=only_if)
    # Which row it writes, for a cache that forgets per key (`bot.storage.changes.BY_KEY`).
    statement = statement.execution_options(**{ROW_KEYS: {key: values[key] for key in keys}})
    session.execute(statement)


def rows_changed(result: Result[Any] | Ran) -> int:
    """How many rows an UPDATE or DELETE changed (conditional updates decide races by it)."""
    if isinstance(result, Ran):
        return max(result.rowcount, 0)
    return int(cast(CursorResult[Any], result).rowcount or 0)
