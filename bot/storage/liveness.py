"""A pooled PostgreSQL connection is known to be alive without a round trip per checkout.

SQLAlchemy's `pool_pre_ping` sends `SELECT 1` at every checkout (three per DM answered), so
that a connection the server ended (a restart, `pg_terminate_backend`, a failover) does not
fail the request that takes it next. A server that ends a connection says so on it: the
backend sends its error ("terminating connection due to administrator command") and closes
the socket, or the kernel closes it when the process dies. Either way the socket becomes
readable, while an idle, healthy connection has nothing to read (we run no LISTEN). So at
checkout a zero-timeout poll of the socket decides; only a socket with something to read
is pinged, and so is a connection idle longer than `IDLE_PING_S` (a peer that vanished
without a word, a firewall that dropped an idle connection: what the poll cannot see).

A ping that fails invalidates the whole pool, as `pool_pre_ping` does: after a restart every
pooled connection is dead, and the checkout takes a fresh one.
"""

from __future__ import annotations

import select
import time
from typing import Any

from sqlalchemy import Engine, event, exc

IDLE_PING_S = 30.0  # a connection unused this long is pinged before it is handed out
CHECKED_IN = "policybot.checked_in"  # in a pooled connection's info: time.monotonic()


def has_word_from_server(dbapi_connection: Any) -> bool:
    """Something waits to be read on an idle connection: the server ended it (its goodbye, or
    end of file), or it is already closed on our side."""
    if getattr(dbapi_connection, "closed", False):
        return True
    poll = select.poll()
    poll.register(dbapi_connection.fileno(), select.POLLIN | select.POLLPRI)
    return bool(poll.poll(0))


def check_on_checkout(engine: Engine, idle_ping_s: float = IDLE_PING_S) -> None:
    """Install on `engine` (created without `pool_pre_ping`) the check described above."""

    def stamp(_dbapi_connection: Any, record: Any, *_: Any) -> None:
        record.info[CHECKED_IN] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(CHECKED_IN)
        idle = idle_since is not None and time.monotonic() - idle_since > idle_ping_s
        try:
            if not (idle or has_word_from_server(dbapi_connection)):
                return
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The connection is gone (a restart ends them all): every pooled one is dropped
            # and this checkout takes a fresh connection.
            raise exc.InvalidatePoolError(str(error)) from error

    event.listen(engine, "connect", stamp)
    event.listen(engine.pool, "checkin", stamp)
    event.listen(engine.pool, "checkout", checkout)
