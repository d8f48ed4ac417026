"""Injected failures: the next N requests to a method answer 429, 500 or an error instead, or
are done and then left without an answer (the connection closed: `drop`); or, during an
outage, every request (to some methods, or all) fails until it is over. And a slow Slack: the
next request to a method is held until the test releases it (`Hold`), so a test can make work
outlast a moment of the app's clock without any wall-clock deadline deciding the order; or it
is done at once (a message posted, for people to see and press) and only its answer is held."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

HOLD_AT_MOST_S = 30  # a test that never releases fails, instead of hanging the fake


@dataclass
class Fault:
    status: int = 429
    retry_after: int = 1
    times: int = 1
    error: str | None = None  # with status 200: answer {"ok": false, "error": error}
    drop: bool = False  # do the call, then close the connection without an answer

    def answer(self) -> tuple[int, dict[str, str], bytes]:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.status == 429:
            headers["Retry-After"] = str(self.retry_after)
        error = self.error or {429: "ratelimited", 200: "fatal_error"}.get(
            self.status, "internal_error"
        )
        return self.status, headers, json.dumps({"ok": False, "error": error}).encode()


@dataclass
class Hold:
    """The next request to a method waits, before it is done, until `release()`."""

    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def wait_until_arrived(self, timeout: float = 30.0) -> None:
        """Until the held request has reached Slack (and is waiting)."""
        if not self.arrived.wait(timeout):
            raise AssertionError(f"no held request arrived within {timeout}s")

    def release(self) -> None:
        self.released.set()

    def keep(self) -> None:
        """In the request's thread: say it arrived, then wait for the release."""
        self.arrived.set()
        self.released.wait(HOLD_AT_MOST_S)


class FaultPlan:
    def __init__(self) -> None:
        self._faults: dict[str, list[Fault]] = {}
        self._holds: dict[tuple[str, bool], list[Hold]] = {}  # (method, done before held)
        self._outage: tuple[Fault, frozenset[str] | None] | None = None
        self._lock = threading.Lock()

    def begin_outage(self, fault: Fault, methods: frozenset[str] | None) -> None:
        """Every request (to `methods`, or to any method) fails with `fault` from now on."""
        with self._lock:
            self._outage = (fault, methods)

    def end_outage(self) -> None:
        with self._lock:
            self._outage = None

    def add(self, method: str, fault: Fault) -> None:
        with self._lock:
            self._faults.setdefault(method, []).append(fault)

    def hold(self, method: str, hold: Hold, *, done_first: bool = False) -> None:
        with self._lock:
            self._holds.setdefault((method, done_first), []).append(hold)

    def take_hold(self, method: str, *, done_first: bool = False) -> Hold | None:
        with self._lock:
            queue = self._holds.get((method, done_first))
            return queue.pop(0) if queue else None

    def release_all(self) -> None:
        with self._lock:
            holds, self._holds = [h for q in self._holds.values() for h in q], {}
        for hold in holds:
            hold.release()

    def take(self, method: str) -> Fault | None:
        """The fault for this request to `method`, if one is planned; uses one of its `times`."""
        with self._lock:
            if self._outage is not None:
                fault, methods = self._outage
                if methods is None or method in methods:
                    return fault
            queue = self._faults.get(method)
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            return fault
