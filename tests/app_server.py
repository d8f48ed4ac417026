"""The app served over HTTP on 127.0.0.1 for the tests, as gunicorn would serve it."""

from __future__ import annotations

import itertools
import socketserver
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from bot.clock import ManualClock
from bot.settings import Settings
from bot.storage import Database
from runtime.app_factory import create_app
from runtime.executor import TrackingExecutor
from runtime.local_server import PromptShutdownMixin
from runtime.serve import wsgi_application


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _ThreadingWSGIServer(PromptShutdownMixin, socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


_instances = itertools.count(1)


class AppServer:
    """One instance of the app on 127.0.0.1, as gunicorn would serve it, with its listener
    pool and its background loop at hand so the driver can wait for them. Its leases and
    back-off run on `clock`, which only a test moves (`clock.advance(seconds)`)."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        clock: ManualClock | None = None,
        name: str | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock or ManualClock()
        self.name = name or f"test-instance-{next(_instances)}"
        self.executor = TrackingExecutor(max_workers=8)
        self.app = create_app(
            settings, db, listener_executor=self.executor, clock=self.clock, claimant=self.name
        )
        self.app.background.start()
        self._server = make_server(
            "127.0.0.1",
            0,
            wsgi_application(self.app),
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler,
        )
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/slack/events"
        self._closed = False

    def settle(self, timeout: float = 60.0) -> None:
        """Until the instance has finished everything it started: its listeners, and its
        background loop (what it sends, marks done or runs again may start more). `timeout`
        bounds a failure only: 15 s was passed once under load by a process's first question
        (its engine loaded, its policy compiled) waiting on a held model."""
        deadline = time.monotonic() + timeout
        background = self.app.background
        while True:
            left = deadline - time.monotonic()
            assert self.executor.wait_idle(max(left, 0)), "listeners still busy"
            assert background.wait_idle(max(deadline - time.monotonic(), 0)), "background busy"
            if self.executor.pending == 0 and background.idle():
                return

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._server.shutdown()
            self._server.server_close()
            self.app.background.stop()
            self.executor.shutdown(wait=True)
