"""Connecting to Slack: Socket Mode with an app token, else HTTP at /slack/events (WSGI)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.settings import Settings
from runtime.app_factory import create_app
from runtime.gate import RequestGate
from runtime.startup import open_database

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


def wsgi_application(app: App, settings: Settings) -> Any:
    """A WSGI callable serving Slack's requests at /slack/events (and 404 elsewhere), each
    bounded and its signature checked before Bolt parses it (`runtime.gate`)."""
    handler = RequestGate(
        SlackRequestHandler(app, path=EVENTS_PATH),
        path=EVENTS_PATH,
        signing_secret=settings.signing_secret or "",
        max_bytes=settings.max_request_bytes,
        read_timeout=settings.request_read_timeout_ms / 1000,
    )

    def application(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        return handler(environ, start_response)

    return application


def serve(settings: Settings, *, http: bool, port: int) -> int:
    settings.require_slack(http=http)
    database = open_database(settings)
    app = create_app(settings, database)
    if settings.app_token and not http:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        print("policybot: connected to Slack in Socket Mode. Ctrl-C stops.")
        SocketModeHandler(app, settings.app_token).start()
        return 0
    return _serve_http(wsgi_application(app, settings), port, settings)


def gunicorn_settings(settings: Settings, port: int) -> dict[str, Any]:
    """How `serve --http` runs gunicorn (and how to run it yourself: README, "HTTP").

    One worker process (its database pool is made before the fork), with threads: a thread
    is held only while a request is read (at most POLICYBOT_REQUEST_READ_TIMEOUT_MS, the gate
    sees to that) and acked. Idle keep-alive connections wait in the worker's poller and hold
    none. Header limits stay at gunicorn's defaults, far above what Slack sends."""
    return {
        "bind": f"0.0.0.0:{port}",
        "workers": 1,
        "worker_class": "gthread",
        "threads": settings.http_threads,
        "worker_connections": 1000,
        "keepalive": 5,  # seconds an idle connection is kept for its next request
        "timeout": 30,  # the worker's heartbeat: a worker silent this long is restarted
        "graceful_timeout": 20,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        "accesslog": None,
    }


def _serve_http(application: Any, port: int, settings: Settings) -> int:
    """gunicorn in-process, as `gunicorn runtime.wsgi:application` with the same settings."""
    from gunicorn.app.base import BaseApplication

    class PolicybotServer(BaseApplication):
        def load_config(self) -> None:
            for name, value in gunicorn_settings(settings, port).items():
                self.cfg.set(name, value)

        def load(self) -> Any:
            return application

    print(f"policybot: listening for Slack on http://0.0.0.0:{port}{EVENTS_PATH}. Ctrl-C stops.")
    PolicybotServer().run()
    return 0
