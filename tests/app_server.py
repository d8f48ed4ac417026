"""The app served over HTTP on 127.0.0.1 for the tests, as gunicorn would serve it."""

from __future__ import annotations

import socketserver
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

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


class AppServer:
    """One instance of the app on 127.0.0.1, as gunicorn would serve it, with its listener
    pool at hand so the driver can wait for it."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.executor = TrackingExecutor(max_workers=8)
        self.app = create_app(settings, db, listener_executor=self.executor)
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

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._server.shutdown()
            self._server.server_close()
            self.executor.shutdown(wait=True)
