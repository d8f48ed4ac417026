"""A transaction's BEGIN sent with its first read, in one round trip (PostgreSQL).

psycopg begins a transaction by sending `BEGIN` as a query of its own and waiting for the
answer before the transaction's first statement: on a DM's answer one round trip in six
(the door's INSERT, BEGIN, the change counters' read, the answer's log, its letter with the
done mark, COMMIT), each one a hand-over of the interpreter while listener threads compete
for it (docs/performance.md, `pgtail`). psycopg's pipeline mode does not fold it: it syncs
after its BEGIN and waits. Most units of work start by reading the change counters
(`bot.storage.changes.counters`, a SELECT without parameters), so that read is sent with the
BEGIN as one simple query ("BEGIN …; SELECT …"): the server runs both and answers both at
once. The BEGIN is psycopg's own (the connection's isolation level, read-only and deferrable
settings, as its `_start_query` writes it); after it psycopg sees the transaction open (it
asks libpq's transaction status, which the server's answer set) and sends no BEGIN of its
own; its COMMIT and ROLLBACK go as before.

Only where psycopg would send that BEGIN itself: a psycopg connection, not in autocommit,
with no transaction open on the server, and no listener of cursor events on the connection
(they would expect to see the statement; none on PostgreSQL today). Elsewhere `read` gives
None and the caller runs its statement as usual. A driver error is handed to SQLAlchemy's
own handling, as `bot.storage.prepared` does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from bot.storage.prepared import _has_events


def _begin_command(driver: Any) -> bytes:
    """The BEGIN psycopg would send for `driver` (`_get_tx_start_command`'s, from the
    connection's public settings)."""
    from psycopg import IsolationLevel

    parts = [b"BEGIN"]
    if driver.isolation_level is not None:
        level = IsolationLevel(driver.isolation_level).name.replace("_", " ")
        parts += [b"ISOLATION LEVEL", level.encode()]
    if driver.read_only is not None:
        parts.append(b"READ ONLY" if driver.read_only else b"READ WRITE")
    if driver.deferrable is not None:
        parts.append(b"DEFERRABLE" if driver.deferrable else b"NOT DEFERRABLE")
    return b" ".join(parts)


def _foldable(connection: Connection) -> Any:
    """The psycopg connection whose next statement would be preceded by psycopg's BEGIN;
    None when it would not (or the driver is another)."""
    if connection.dialect.name != "postgresql" or connection.dialect.driver != "psycopg":
        return None
    if _has_events(connection):
        return None
    from psycopg import pq

    driver = connection.connection.driver_connection
    if driver is None or driver.autocommit:
        return None
    if driver.pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return None
    return driver


def read(connection: Connection, sql: str) -> list[tuple[str | None, ...]] | None:
    """Begin the transaction with `sql` (a SELECT without parameters) in the same round
    trip; its rows, each value as the server's text (None for NULL). None: psycopg would send
    no BEGIN of its own here (run `sql` the usual way)."""
    if not connection.in_transaction():
        connection.begin()  # SQLAlchemy's side; psycopg's BEGIN is the one folded
    driver = _foldable(connection)
    if driver is None:
        return None
    from psycopg import errors, generators, pq

    encoding = driver.info.encoding
    command = _begin_command(driver) + b"; " + sql.encode(encoding)
    try:
        with driver.lock:
            if driver.pgconn.status == pq.ConnStatus.BAD:
                raise errors.OperationalError("the connection is closed")
            driver.pgconn.send_query(command)
            results = driver.wait(generators.execute(driver.pgconn))
        for result in results:
            if result.status != pq.ExecStatus.COMMAND_OK and (
                result.status != pq.ExecStatus.TUPLES_OK
            ):
                raise errors.error_from_result(result, encoding=encoding)
        rows = results[-1]
        return [
            tuple(
                None if value is None else value.decode(encoding)
                for value in (rows.get_value(row, column) for column in range(rows.nfields))
            )
            for row in range(rows.ntuples)
        ]
    except BaseException as error:
        # Private, but the one way to get SQLAlchemy's own wrapping and invalidation (as
        # `bot.storage.prepared._execute`).
        connection._handle_dbapi_exception(error, sql, None, None, None)
        raise  # not reached: it raises
