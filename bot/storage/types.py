"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME
from sqlalchemy.types import TypeDecorator

# How SQLite's DATETIME stores a value by default: what `_as_sqlite_text` writes.
SQLITE_DEFAULT_FORMAT = SQLITE_DATETIME._storage_format
_SQLITE_TEXT = "%04d-%02d-%02d %02d:%02d:%02d.%06d"  # the same, as one `%`


def _as_sqlite_text(value: datetime | None) -> str | None:
    """`UTCDateTime`'s value as SQLite's DATETIME stores it (its default format, the UTC
    time without a zone), in one step: `process_bind_param`, then the dialect's own processor
    (a dict of seven fields and a `%`) cost about 20,000 instructions a value, this about
    11,000 (`replace` and `isoformat` would cost more), and a DM writes six or seven
    (`tests/test_storage_types.py` holds the two equal)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return _SQLITE_TEXT % (
        value.year, value.month, value.day,
        value.hour, value.minute, value.second, value.microsecond,
    )  # fmt: skip


class UTCDateTime(TypeDecorator[datetime]):
    """Always timezone-aware UTC in Python; SQLite forgets the zone, so it is put back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def bind_processor(self, dialect: Any) -> Callable[[Any], Any] | None:
        impl = self.impl_instance.dialect_impl(dialect)
        if (
            dialect.name == "sqlite"
            and isinstance(impl, SQLITE_DATETIME)
            and impl._storage_format == SQLITE_DEFAULT_FORMAT
        ):
            return _as_sqlite_text
        return super().bind_processor(dialect)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
