"""`UTCDateTime` writes to SQLite exactly what SQLAlchemy's own processors wrote, in one step."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import DateTime, Dialect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import TypeDecorator

from bot.storage.types import UTCDateTime, _as_sqlite_text


def _sqlalchemys(dialect: Dialect) -> Callable[[Any], Any] | None:
    """The processor SQLAlchemy composes: `process_bind_param`, then the dialect's own."""
    adapted = UTCDateTime().dialect_impl(dialect)
    assert isinstance(adapted, TypeDecorator)
    return TypeDecorator.bind_processor(adapted, dialect)


def _values() -> list[datetime | None]:
    rng = random.Random(20261202)
    values: list[datetime | None] = [
        None,
        datetime(2026, 12, 2, 14, 0),  # naive: taken for UTC
        datetime(2026, 12, 2, 14, 0, tzinfo=UTC),
        datetime(2026, 12, 2, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=2))),  # another day in UTC
        datetime(5, 1, 1, 12, 0, 0, 1),  # a year of one digit: still four
        datetime(9999, 12, 31, 23, 59, 59, 999999),
        datetime(1, 1, 1, 0, 0, tzinfo=UTC),
    ]
    for _ in range(500):
        moment = datetime(1900, 1, 1) + timedelta(
            seconds=rng.randrange(0, 200 * 365 * 86400), microseconds=rng.choice([0, 1, 999999])
        )
        offset = timedelta(minutes=rng.randrange(-14 * 60, 14 * 60 + 1))
        values.append(moment if rng.random() < 0.3 else moment.replace(tzinfo=timezone(offset)))
    return values


def test_sqlite_gets_the_one_step_processor() -> None:
    dialect = sqlite.dialect()
    assert UTCDateTime().dialect_impl(dialect).bind_processor(dialect) is _as_sqlite_text


def test_it_writes_what_sqlalchemys_processors_wrote() -> None:
    reference = _sqlalchemys(sqlite.dialect())
    assert callable(reference)
    for value in _values():
        assert _as_sqlite_text(value) == reference(value), value


def test_other_storage_formats_and_databases_keep_sqlalchemys() -> None:
    class Seconds(UTCDateTime):
        impl = sqlite.DATETIME(truncate_microseconds=True)

    dialect = sqlite.dialect()
    assert Seconds().dialect_impl(dialect).bind_processor(dialect) is not _as_sqlite_text
    pg = postgresql.dialect()
    assert UTCDateTime().dialect_impl(pg).bind_processor(pg) is not _as_sqlite_text
    assert isinstance(UTCDateTime().impl_instance, DateTime)
