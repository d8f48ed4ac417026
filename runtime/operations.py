"""The operator's endpoints beside Slack's (docs/interfaces.md, "Operations").

- `GET /healthz`: 200 while the process lives and serves.
- `GET /readyz`: 200 only when the database answers and its migrations are at head (and, in
  Socket Mode, while the connection to Slack is open); 503 with the reason otherwise, so a
  load balancer sends no Slack request to an instance that cannot handle it.
- `GET /metrics`: Prometheus' text format (`bot.metrics`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from bot import metrics
from bot.storage import Database

log = logging.getLogger(__name__)
WSGIApp = Callable[[dict[str, Any], Any], Iterable[bytes]]
# Another readiness condition: None when ready, else the reason (one line).
Condition = Callable[[], str | None]


def database_ready(database: Database) -> Condition:
    def condition() -> str | None:
        try:
            if not database.at_head():
                return "the database's migrations are not at head: run `policybot migrate`"
        except Exception as error:  # any driver's error: not ready, and say why in one line
            cause = getattr(error, "orig", None) or error
            return f"the database does not answer ({str(cause).splitlines()[0][:200]})"
        return None

    return condition


def with_operations(application: WSGIApp, conditions: list[Condition]) -> WSGIApp:
    """`application`, with /healthz, /readyz and /metrics answered before it."""

    def operations(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path not in ("/healthz", "/readyz", "/metrics"):
            return application(environ, start_response)
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return _answer(start_response, "405 Method Not Allowed", b"GET only\n")
        if path == "/healthz":
            return _answer(start_response, "200 OK", b"ok\n")
        if path == "/metrics":
            body, content_type = metrics.exposition()
            return _answer(start_response, "200 OK", body, content_type)
        for condition in conditions:
            reason = condition()
            if reason is not None:
                log.warning("not ready: %s", reason)
                return _answer(start_response, "503 Service Unavailable", f"{reason}\n".encode())
        return _answer(start_response, "200 OK", b"ready\n")

    return operations


def _answer(
    start_response: Any, status: str, body: bytes, content_type: str = "text/plain; charset=utf-8"
) -> list[bytes]:
    start_response(
        status,
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [body]
