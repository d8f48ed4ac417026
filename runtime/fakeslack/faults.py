"""Injected failures: the next N requests to a method answer 429, 500 or an error instead, or
are done and then left without an answer (the connection closed: `drop`); or, during an
outage, every request (to some methods, or all) fails until it is over."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass


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


class FaultPlan:
    def __init__(self) -> None:
        self._faults: dict[str, list[Fault]] = {}
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
