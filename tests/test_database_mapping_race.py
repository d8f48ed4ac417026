"""Model classes mapped while another thread configures the mappers (issue 13's lazy models).

The warm-up thread imports model modules while a request's first query configures the
mappers; SQLAlchemy alone lets the two collide ("dictionary changed size during iteration",
seen on CI at start-up). `bot.storage.base.MapsOneAtATime` makes them take turns. A tiny GIL
switch interval makes the threads interleave at almost every bytecode, so without it this
test fails on most runs (checked when it was written; SQLAlchemy 2.1).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, configure_mappers, mapped_column

from bot.storage.base import Base, MapsOneAtATime


@pytest.fixture
def threads_switch_constantly() -> Iterator[None]:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


class Throwaway(MapsOneAtATime, DeclarativeBase):
    """A base of its own, so that the classes declared here stay off the schema's metadata."""

    metadata = MetaData()


def declare(number: int) -> type:
    namespace = {
        "__tablename__": f"race_{number}",
        "id": mapped_column(Integer, primary_key=True),
    }
    return type(f"Race{number}", (Throwaway,), namespace)


def test_classes_declared_while_mappers_configure_do_not_collide(
    threads_switch_constantly: None,
) -> None:
    errors: list[BaseException] = []
    declaring = threading.Event()

    def configure_until_done() -> None:
        while not declaring.is_set():
            try:
                configure_mappers()
            except RuntimeError as error:
                errors.append(error)
                return

    configurer = threading.Thread(target=configure_until_done)
    configurer.start()
    try:
        declared = [declare(number) for number in range(400)]
    finally:
        declaring.set()
        configurer.join()

    assert errors == []
    configure_mappers()
    assert all(cls.__mapper__.configured for cls in declared)


def test_the_schemas_base_declares_one_at_a_time() -> None:
    assert issubclass(Base, MapsOneAtATime)
