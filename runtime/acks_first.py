"""Acks go first: answer work waits, briefly, while requests are being acknowledged.

A DM's ack needs only the inbox write; its answer (a few milliseconds of CPU) can start a
few milliseconds later. When many requests arrive at once, the request threads writing acks
and the listener threads working out answers take turns at the interpreter (and, on SQLite,
at the one writer), so every answer started meanwhile lengthens the acks still in flight.
Here an event's work, handed to the listener executor once its ack is written
(`runtime.event_door`, `TrackingExecutor.submit_later`), waits before it starts while any
request of this process is between the gate and its written response (`runtime.gate`), and
never longer than `HOLD_S`: answers are postponed by at most that, never starved. Other
listener work (a command's, whose ack waits for it) never waits. Nothing
is held that an ack needs (the task holds no connection and no writer turn yet), and the
work is already counted as pending, so a shutdown's drain still waits for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# The most an answer's start waits for acks in flight: longer than one ack's own work under
# load (a few milliseconds), short beside an answer's time to Slack under a burst (hundreds
# of milliseconds; three seconds allowed). Measured against 5 ms (`bench_dm_pair.py
# --burst`, README "How fast"): the ack p99 at 20 at once 0.69-0.91 times 5 ms's, the
# answer p99 no worse.
HOLD_S = 0.02


class AcksFirst:
    """Counts the requests being acknowledged; `wait_turn` holds an answer back meanwhile."""

    def __init__(self, hold: float = HOLD_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.hold, self.clock = hold, clock
        self._acking = 0
        self._held = 0
        self._changed = threading.Condition()

    @property
    def acking(self) -> int:
        with self._changed:
            return self._acking

    @property
    def held(self) -> int:
        """Answers waiting now."""
        with self._changed:
            return self._held

    def started(self) -> None:
        """A request is being read and acknowledged."""
        with self._changed:
            self._acking += 1

    def answered(self) -> None:
        """Its response is written (or failed): answers may go on."""
        with self._changed:
            self._acking -= 1
            if not self._acking:
                self._changed.notify_all()

    def wait_turn(self) -> None:
        """Return once no request is being acknowledged, or `hold` seconds from now."""
        with self._changed:
            if not self._acking:
                return
            deadline = self.clock() + self.hold
            self._held += 1
            try:
                while self._acking and (left := deadline - self.clock()) > 0:
                    self._changed.wait(left)
            finally:
                self._held -= 1
