"""`policybot serve` in Socket Mode: one WebSocket to Slack, watched.

slack_sdk's client pings Slack every few seconds and reconnects when a session closes or
its pongs stop. On top of that, a watchdog checks `is_connected()` every few seconds: it logs
each change (`connected to Slack`, `lost the connection …`), keeps
`policybot_socket_mode_connected` and `/readyz` (when `--port` serves them alongside) up to
date, and when the connection stays down for `GIVE_UP_AFTER_S` it exits with status 1, so
the supervisor (compose's `restart:`, systemd, Kubernetes) starts a fresh process.
SIGTERM (and Ctrl-C) closes the connection, so Slack sends nothing more, finishes the work in
flight, then exits 0.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot import metrics
from runtime.app_factory import PolicyApp
from runtime.lifecycle import drain, warm_up_in_background

log = logging.getLogger(__name__)
WATCH_EVERY_S = 2.0
GIVE_UP_AFTER_S = 120.0  # slack_sdk retries meanwhile; past this a fresh process is better
EXIT_DISCONNECTED = 1


class ConnectionWatch:
    """Whether the Socket Mode connection is open, as `/readyz` and the logs report it."""

    def __init__(self, is_connected: Callable[[], bool], clock: Callable[[], float]) -> None:
        self._is_connected, self._clock = is_connected, clock
        self.connected = False
        self.down_since: float | None = clock()

    def check(self) -> bool:
        """Look once; False when the connection has been down too long to keep waiting."""
        connected = self._is_connected()
        if connected != self.connected:
            self.connected = connected
            metrics.socket_mode_connected.set(1 if connected else 0)
            if connected:
                log.info("Socket Mode: connected to Slack")
                self.down_since = None
            else:
                log.warning("Socket Mode: lost the connection to Slack; reconnecting")
                self.down_since = self._clock()
        return self.down_since is None or self._clock() - self.down_since < GIVE_UP_AFTER_S

    def readiness(self) -> str | None:
        return None if self.connected else "not connected to Slack (Socket Mode)"


def run_socket_mode(app: PolicyApp, app_token: str, ops: Callable[[ConnectionWatch], Any]) -> int:
    """Connect, watch, and stop cleanly; `ops(watch)` serves the operations endpoints, if any."""
    handler = SocketModeHandler(app, app_token)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    watch = ConnectionWatch(handler.client.is_connected, time.monotonic)
    ops(watch)
    try:
        handler.connect()
    except Exception as error:  # refused, unreachable, a bad app token: one line, then exit
        log.error("Socket Mode: cannot connect to Slack (%s)", _one_line(error))
        return EXIT_DISCONNECTED
    warm_up_in_background(app)
    code = 0
    while not stop.wait(WATCH_EVERY_S if watch.connected else 0.2):
        if not watch.check():
            log.error("Socket Mode: no connection for %.0f s; exiting", GIVE_UP_AFTER_S)
            code = EXIT_DISCONNECTED
            break
    handler.close()  # Slack sends nothing more to this process
    drain(app)
    return code


def _one_line(error: BaseException) -> str:
    text = str(getattr(error, "reason", None) or error) or type(error).__name__
    return text.splitlines()[0][:200]
