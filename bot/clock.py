"""The time leases and back-off are measured in, and every time the core writes: injectable, so
tests move it instead of sleeping through it. `using(clock)` makes it the clock of the work
under way (the kit's units of work, the scheduler's turn), which `bot.storage.utcnow` reads."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Protocol

from bot.storage.base import CURRENT_CLOCK, system_now


class Clock(Protocol):
    def now(self) -> datetime: ...

    def on_change(self, listener: Callable[[], None]) -> None:
        """`listener` is called whenever the time jumps (never, for the real clock)."""


class SystemClock:
    def now(self) -> datetime:
        return system_now()

    def on_change(self, listener: Callable[[], None]) -> None:
        pass


class ManualClock:
    """A clock that moves only when told to (`advance`), waking whoever waits on time."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or system_now()
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            listeners = list(self._listeners)
        for listener in listeners:
            listener()

    def on_change(self, listener: Callable[[], None]) -> None:
        with self._lock:
            self._listeners.append(listener)


SYSTEM_CLOCK = SystemClock()


@contextmanager
def using(clock: Clock) -> Iterator[None]:
    """Within the block (and what it runs in this thread), `bot.storage.utcnow()` is
    `clock.now()`."""
    token = CURRENT_CLOCK.set(clock.now)
    try:
        yield
    finally:
        CURRENT_CLOCK.reset(token)
