"""The declarative base every model module shares, with naming conventions Alembic can rely on."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import MetaData, text
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm.mapper import _CONFIGURE_MUTEX

# Explicit constraint names keep migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# The server default of the JSON lists added to tables that already had rows (the rows got an
# empty list): the migrations that added them set it, so the models say it too, and a database
# created from the models is the one the migrations build (tests/test_migrations.py).
EMPTY_LIST = text("'[]'")


class MapsOneAtATime:
    """Declares a model class under the lock SQLAlchemy configures the mappers under.

    The model modules are imported lazily (`bot.storage.models`): the warm-up thread may map
    a class while a request's thread, at its first query, configures the mappers. SQLAlchemy
    registers a declared class with its registry before it takes that lock, and configuring
    iterates the registry's classes under it: the two at once failed the query with
    "dictionary changed size during iteration" (seen on CI, at start-up, now and then).
    Declaring under the same (re-entrant) lock makes them take turns. Configuring imports
    nothing, so the importing thread's module lock cannot deadlock with it.
    """

    def __init_subclass__(cls, **kw: Any) -> None:
        with _CONFIGURE_MUTEX:
            super().__init_subclass__(**kw)


class Base(MapsOneAtATime, DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# The clock of the work under way (`bot.clock.using`): a request's unit of work, a scheduler's
# turn. The core stamps rows with `utcnow()` (and the models' defaults call it), so every time
# it writes follows the app's injectable clock without a `now` through every signature.
CURRENT_CLOCK: ContextVar[Callable[[], datetime] | None] = ContextVar(
    "policybot_clock", default=None
)


def system_now() -> datetime:
    """The machine's time (the system clock's own reading)."""
    return datetime.now(UTC)


def utcnow() -> datetime:
    """Timezone-aware now, by the clock of the work under way, else the machine's; stored as
    UTC on every backend."""
    now = CURRENT_CLOCK.get()
    return now() if now is not None else system_now()
