"""Whether the calling thread holds a database connection for a unit of work (`Database.session`,
`transaction`, `one_statement`), so that a call out of the process can tell it would keep one
waiting: on PostgreSQL a pooled connection and its open transaction; on SQLite, once written,
the writer turn. (`runtime.slack_client` warns of a Slack call made so; the suite fails it.)

Per thread, not per context: a thread started while another holds a connection starts with
none of its own (a ContextVar would be copied into it and say otherwise)."""

from __future__ import annotations

import threading

_HERE = threading.local()


class _Holding:
    """The block during which this thread holds a connection (blocks may nest). A class, not
    a generator: entered on every unit of work, `contextmanager` costs several times more."""

    __slots__ = ()

    def __enter__(self) -> None:
        _HERE.depth = getattr(_HERE, "depth", 0) + 1

    def __exit__(self, *_: object) -> None:
        _HERE.depth -= 1


_HOLDING = _Holding()


def holding() -> _Holding:
    """The block during which this thread holds a connection (blocks may nest)."""
    return _HOLDING


def holds_a_connection() -> bool:
    """Whether this thread is inside a unit of work now."""
    return getattr(_HERE, "depth", 0) > 0
