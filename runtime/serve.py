"""Connecting to Slack: Socket Mode with an app token, else HTTP at /slack/events (WSGI)."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.settings import Settings
from runtime.app_factory import create_app
from runtime.startup import open_database

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


def wsgi_application(app: App) -> Any:
    """A WSGI callable serving Slack's requests at /slack/events (and 404 elsewhere)."""
    handler = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        return handler(environ, start_response)

    return application


def serve(settings: Settings, *, http: bool, port: int) -> int:
    settings.require_slack(http=http)
    database = open_database(settings)
    socket_mode = bool(settings.app_token and not http)
    # A stable name: restarted after a crash, this instance takes back at once what its
    # predecessor held (other instances would wait for the lease to run out).
    claimant = f"{socket.gethostname()}:{'socket' if socket_mode else port}"
    app = create_app(settings, database, claimant=claimant)
    if socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        app.background.start()
        print("policybot: connected to Slack in Socket Mode. Ctrl-C stops.")
        SocketModeHandler(app, settings.app_token).start()
        return 0

    def in_the_worker() -> None:
        # gunicorn forks its worker after the app was made: the worker gets its own database
        # connections, and the background loop's thread (threads do not survive a fork).
        database.engine.dispose(close=False)
        app.background.start()

    return _serve_http(wsgi_application(app), port, in_the_worker)


def _serve_http(application: Any, port: int, in_the_worker: Callable[[], None]) -> int:
    """gunicorn in-process: one worker with threads, as `gunicorn runtime.wsgi:application` does."""
    from gunicorn.app.base import BaseApplication

    class PolicybotServer(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"0.0.0.0:{port}")
            self.cfg.set("workers", 1)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 8)
            self.cfg.set("accesslog", None)
            self.cfg.set("post_worker_init", lambda worker: in_the_worker())

        def load(self) -> Any:
            return application

    print(f"policybot: listening for Slack on http://0.0.0.0:{port}{EVENTS_PATH}. Ctrl-C stops.")
    PolicybotServer().run()
    return 0
