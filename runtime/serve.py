"""Connecting to Slack: Socket Mode with an app token, else HTTP at /slack/events (WSGI).

Both also answer the operator (`runtime.operations`: /healthz, /readyz, /metrics): HTTP mode
on its own port, Socket Mode on `--port N` when it is given.
"""

from __future__ import annotations

import gc
import logging
import socket
import socketserver
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.settings import Settings, SettingsError
from runtime.app_factory import PolicyApp, create_app
from runtime.event_door import EventDoor
from runtime.gate import RequestGate
from runtime.lifecycle import FIRST_ANSWERED
from runtime.logs import configure_logging
from runtime.operations import Condition, database_ready, with_operations
from runtime.slack_client import check_slack
from runtime.startup import open_database

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


def wsgi_application(app: PolicyApp, conditions: list[Condition] | None = None) -> Any:
    """A WSGI callable serving Slack's requests at /slack/events, each bounded and its
    signature checked before Bolt parses it (`runtime.gate`; an event is acknowledged once it
    is in the inbox, `runtime.event_door`), the operations endpoints (ready
    when the database is and every extra condition holds), and 404 elsewhere."""
    settings = app.settings
    handler = RequestGate(
        SlackRequestHandler(app, path=EVENTS_PATH),
        path=EVENTS_PATH,
        signing_secret=settings.signing_secret or "",
        max_bytes=settings.max_request_bytes,
        read_timeout=settings.request_read_timeout_ms / 1000,
        early=EventDoor(app.intake),
    )

    def application(environ: dict[str, Any], start_response: Any) -> Any:
        # The background loop runs in the process that serves (after a server's fork, too);
        # the server's hooks start it sooner, this makes sure of it under any WSGI server.
        app.background.start()
        return handler(environ, start_response)

    served = with_operations(application, [database_ready(app.database), *(conditions or [])])

    def answering(environ: dict[str, Any], start_response: Any) -> Any:
        answered = served(environ, start_response)
        FIRST_ANSWERED.set()  # the process warms up now (`runtime.lifecycle`)
        return answered

    return answering


def serve(settings: Settings, *, http: bool, port: int, ops_port: int | None = None) -> int:
    """Serve Slack until stopped; `ops_port` serves the operations endpoints in Socket Mode."""
    configure_logging(settings)
    settings.require_slack(http=http)
    with ThreadPoolExecutor(max_workers=1) as background:
        asked = background.submit(check_slack, settings)  # while the database and app get ready
        database = open_database(settings)
        socket_mode = bool(settings.app_token) and not http
        # A stable name: restarted after a crash, this instance takes back at once what its
        # predecessor held in the inbox and the outbox (others wait for the lease to run out).
        claimant = f"{socket.gethostname()}:{'socket' if socket_mode else port}"
        app = create_app(settings, database, claimant=claimant)
        slack = asked.result()
    # What start-up made lives as long as the process: left out of every later collection,
    # and the pages holding it stay shared with a forked worker (Python's `gc.freeze`).
    gc.freeze()
    gc.enable()
    if slack.fatal:
        raise SettingsError(slack.line)
    if slack.ok:
        log.info("%s", slack.line)
        app.knows_itself(slack.identity)
    elif not socket_mode:  # Slack's requests will come once it can reach us: serve anyway
        log.warning("%s; serving anyway", slack.line)
    if socket_mode:
        from runtime.socket_mode import run_socket_mode

        def operations(watch: Any) -> None:
            if ops_port is not None:
                _serve_operations(app, ops_port, [watch.readiness])

        assert settings.app_token is not None
        app.background.start()
        return run_socket_mode(app, settings.app_token, operations)
    from runtime.http_server import serve_http

    return serve_http(app, wsgi_application(app), port)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


def _serve_operations(app: PolicyApp, port: int, conditions: list[Condition]) -> None:
    """/healthz, /readyz and /metrics on `port`, beside a Socket Mode connection."""

    def not_found(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found\n"]

    ready = [database_ready(app.database), *conditions]
    server = make_server(
        "0.0.0.0",
        port,
        with_operations(not_found, ready),
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
    threading.Thread(target=server.serve_forever, name="policybot-ops", daemon=True).start()
    log.info("operations endpoints on http://0.0.0.0:%d (/healthz, /readyz, /metrics)", port)
