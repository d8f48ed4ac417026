"""A database that does not answer makes a request fail in seconds, never hang it.

- PostgreSQL: `connect_timeout` (whole seconds, at least 2: libpq's rule, which psycopg keeps)
  and `statement_timeout`, which the server enforces. A server that cannot enforce anything
  (frozen, stopped, a network that swallows packets while the kernel still acknowledges)
  is cut off by the client: every wait on the connection has its own deadline, the statement
  timeout plus a second, after which the connection is closed and the statement fails with an
  OperationalError that SQLAlchemy recognises as a lost connection (the pool drops it).
- SQLite: the busy timeout, how long a writer waits for another's lock.

The values come from POLICYBOT_DB_CONNECT_TIMEOUT_MS and POLICYBOT_DB_STATEMENT_TIMEOUT_MS
(defaults and reasons in `bot.limits`). Migrations run without a statement timeout: a schema
change on a large table may take longer than any request should.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Engine, event

from bot.limits import DB_CONNECT_TIMEOUT_MS, DB_STATEMENT_TIMEOUT_MS

CLIENT_GRACE_S = 1.0  # the server's own statement_timeout goes first, with its clear error


@dataclass(frozen=True)
class Timeouts:
    connect_ms: int = DB_CONNECT_TIMEOUT_MS
    statement_ms: int | None = DB_STATEMENT_TIMEOUT_MS  # None: no limit (migrations)

    @property
    def connect_seconds(self) -> int:
        return max(2, math.ceil(self.connect_ms / 1000))

    @property
    def client_deadline_s(self) -> float | None:
        return None if self.statement_ms is None else self.statement_ms / 1000 + CLIENT_GRACE_S


UNLIMITED_STATEMENTS = Timeouts(statement_ms=None)


def sqlite_busy_timeout_ms(timeouts: Timeouts) -> int:
    return timeouts.statement_ms if timeouts.statement_ms is not None else 60_000


def bound_postgresql(engine: Engine, timeouts: Timeouts) -> None:
    """Connect through a psycopg connection class whose waits end at the client deadline,
    with connect_timeout and statement_timeout set for every new connection."""
    connection_class = _deadline_connection(timeouts.client_deadline_s)

    @event.listens_for(engine, "do_connect")
    def connect(_dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        cparams.setdefault("connect_timeout", timeouts.connect_seconds)
        if timeouts.statement_ms is not None:
            option = f"-c statement_timeout={timeouts.statement_ms}"
            cparams["options"] = " ".join(filter(None, [cparams.get("options"), option]))
        return connection_class.connect(*cargs, **cparams)


@cache
def _deadline_connection(deadline_s: float | None) -> Any:
    import psycopg  # only for PostgreSQL URLs: SQLite needs no driver

    class DeadlineConnection(psycopg.Connection):
        """A psycopg connection that gives up waiting on the server after `deadline_s`."""

        def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
            try:
                return super().wait(gen, interval, timeout if timeout is not None else deadline_s)
            except psycopg.errors._WaitTimeout:
                self.close()  # mid-protocol: unusable, and closed is how SQLAlchemy knows
                raise psycopg.OperationalError(
                    f"the database did not answer within {deadline_s:g} s"
                ) from None

    return DeadlineConnection
