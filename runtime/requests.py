"""The Slack request being handled: its fields on every log line, its handling time measured.

`PolicyApp.dispatch` opens a `RequestScope` for each request, HTTP or Socket Mode, and a
global Bolt middleware (`install`, after Bolt has checked the signature) fills it in: Slack's
event id (or an id of its own), the kind of request, the team and the listener it is for.
The scope lives in a context variable, so every line
logged while the request is handled carries those fields (`runtime.logs`). Bolt finishes a
listener in its listener executor after the ack; `runtime.executor.TrackingExecutor` runs that
work in a copy of the submitting context and *holds* the scope until the work ends, so the
closing line (`handled in N ms`) and `policybot_handling_seconds` cover the whole handling,
not only the ack.

Nothing personal goes into a scope: ids of the team and of Slack's event, and names the app
itself registered (commands, event types, action and callback ids).
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

from slack_bolt import App, BoltRequest

from bot import metrics
from handlers.kit import middleware

log = logging.getLogger("policybot.requests")
_current: ContextVar[RequestScope | None] = ContextVar("policybot_request", default=None)
_NUMBERED = re.compile(r"[:_.-]?\d+$")  # `pick_3` and `pick_4` are one listener


class RequestScope:
    """One request, from its arrival until its last piece of work has ended."""

    def __init__(self) -> None:
        # Until Bolt has checked the signature nothing in the body is believed: a forged
        # request must not put its words into the log or new labels into the metrics.
        self.request_id, self.kind, self.listener = secrets.token_hex(6), "unverified", "-"
        self.team: str | None = None
        self.started = time.perf_counter()
        self._holds = 1  # the dispatch's own, released when the request has been answered
        self._lock = threading.Lock()

    def identify(self, body: dict[str, Any]) -> None:
        """What the (verified) request is: its event id, kind, listener and team."""
        self.kind, self.listener = describe(body)
        team = body.get("team_id") or (body.get("team") or {}).get("id")
        self.team = str(team)[:20] if team else None
        if body.get("event_id"):
            self.request_id = str(body["event_id"])[:40]

    def fields(self) -> dict[str, str]:
        found = {"request_id": self.request_id, "kind": self.kind, "listener": self.listener}
        return found | ({"team": self.team} if self.team else {})

    def hold(self) -> None:
        """More work for this request (a listener queued in the executor)."""
        with self._lock:
            self._holds += 1

    def release(self) -> None:
        """One piece of work ended; the last one closes the request."""
        with self._lock:
            self._holds -= 1
            done = self._holds == 0
        if done:
            seconds = time.perf_counter() - self.started
            metrics.handling_seconds.labels(kind=self.listener_kind).observe(seconds)
            token = _current.set(self)  # the last holder may be outside the request's context
            try:
                log.info(
                    "handled in %.0f ms", seconds * 1000, extra={"duration_ms": seconds * 1000}
                )
            finally:
                _current.reset(token)

    @property
    def listener_kind(self) -> str:
        return f"{self.kind}:{self.listener}"


def describe(body: dict[str, Any]) -> tuple[str, str]:
    """(kind, listener) of a request body: `("command", "/policy")`, `("event", "message")`,
    `("block_actions", "review_accept")`, `("view_submission", "settings")`…"""
    if body.get("command"):
        return "command", str(body["command"])
    kind = str(body.get("type") or "unknown")
    if kind == "event_callback":
        event = body.get("event") or {}
        name = str(event.get("type") or "unknown")
        return "event", f"{name}.{event['subtype']}" if event.get("subtype") else name
    if kind in ("block_actions", "block_suggestion"):
        actions = body.get("actions") or [body]
        name = str(actions[0].get("action_id") or "unknown")
    elif kind in ("view_submission", "view_closed"):
        name = str((body.get("view") or {}).get("callback_id") or "unknown")
    else:  # shortcut, message_action and whatever Slack adds
        name = str(body.get("callback_id") or "unknown")
    return kind, _NUMBERED.sub("", name)[:60]


def current() -> RequestScope | None:
    return _current.get()


def current_fields() -> dict[str, str]:
    scope = _current.get()
    return scope.fields() if scope is not None else {}


@contextmanager
def request_scope() -> Iterator[RequestScope]:
    """The scope of one request while the app dispatches it (`PolicyApp.dispatch`)."""
    scope = RequestScope()
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)
        scope.release()


def install(app: App) -> None:
    """The first of the app's own middleware (Bolt has checked the signature by then): the
    request's scope learns what the request is."""

    @partial(middleware.use, app)
    def identify_request(request: BoltRequest, next: middleware.Next) -> Any:  # noqa: A002
        scope = _current.get()
        if scope is not None:
            scope.identify(request.body)
        return next()
