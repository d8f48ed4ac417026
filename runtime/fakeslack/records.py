"""The log of every request the fake received: what tests assert on."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# How long a test waits for a call before it fails: a bound for failures only (the wait ends
# when the call is made). 5 s was short for a busy machine.
WAIT_AT_MOST_S = 30.0


@dataclass
class Call:
    """One request to the fake: a Web API method, an upload, or a `response_url` POST."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.time)
    status: int = 200  # HTTP status the fake answered with (429/500 when a fault was injected)
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))

    def __str__(self) -> str:
        outcome = "ok" if self.ok else (self.response.get("error") or f"HTTP {self.status}")
        shown = {k: v for k, v in self.args.items() if k not in ("blocks", "view", "token")}
        return f"{self.method}({_short(shown)}) -> {outcome}"


def _short(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CallLog:
    """Thread-safe list of calls; the fake's HTTP threads append, tests read and wait."""

    def __init__(self) -> None:
        self._calls: list[Call] = []
        self._changed = threading.Condition()

    def append(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def all(self) -> list[Call]:
        with self._changed:
            return list(self._calls)

    def since(self, index: int) -> list[Call]:
        with self._changed:
            return self._calls[index:]

    def __len__(self) -> int:
        with self._changed:
            return len(self._calls)

    def clear(self) -> None:
        with self._changed:
            self._calls.clear()

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = WAIT_AT_MOST_S,
    ) -> Call:
        """The first call to `method` (matching `predicate`), waiting up to `timeout` seconds."""

        def find() -> Call | None:
            for call in self._calls:
                if call.method == method and (predicate is None or predicate(call)):
                    return call
            return None

        with self._changed:
            found = self._changed.wait_for(find, timeout=timeout)
            if found:
                return found
            seen = "\n  ".join(str(c) for c in self._calls) or "(none)"
        raise AssertionError(f"no {method} call within {timeout}s; calls seen:\n  {seen}")
