"""Instances migrating one database take turns for as long as a migration takes.

On PostgreSQL that is the transaction-level advisory lock `Database.migrate` takes: a second
instance waits in the server, without a timeout of its own. On a SQLite file it is this
`flock` on a lock file beside the database (`<database>-migrating`), taken before the first
look at the schema and held until the migration has committed: the instances' first
connections (each switching a new file to WAL), their look at the schema and their migrations
come one instance after another, and a second instance waits in the kernel however long the
first takes. Before, only the migration's own transaction waited (SQLite's busy timeout, 60 s),
and the look at the schema before it had the ordinary engine's 5 s: instances starting
together on a busy machine could fail with "database is locked". The kernel releases the
lock when a process dies, so a crash never leaves it taken.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import make_url

SUFFIX = "-migrating"


def lock_path(url: str) -> str | None:
    """The lock file of a SQLite database file; None for PostgreSQL and in-memory SQLite."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None  # a URI filename (shared memory, options): no file of our own beside it
    return os.path.abspath(database) + SUFFIX


@contextmanager
def migrating_alone(url: str) -> Iterator[None]:
    """The block runs while no other process migrates the same SQLite file (nothing to do
    for PostgreSQL, whose advisory lock is taken in the migration's transaction)."""
    path = lock_path(url)
    if path is None:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # no timeout, as PostgreSQL's advisory lock has none
        yield
    finally:
        os.close(fd)  # closing releases the lock
