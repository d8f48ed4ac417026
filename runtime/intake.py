"""Taking a request in: after Bolt has checked its signature and before it is acknowledged,
the one thing done is a durable write of it to the inbox (`bot.inbox.take_in`).

The record's key makes the request idempotent. An event's key is its `event_id`, which
Slack's redeliveries (X-Slack-Retry-Num) keep, so a redelivery is acknowledged without
effect. Any other request (a command, a button, a shortcut, a modal) is keyed by a digest of
its signature (which covers its timestamp and body): a captured request replayed within
Slack's five-minute window finds its key taken and is refused without effect. Socket Mode
has no signature: its payload (with its unique trigger_id) is digested instead.

The work then runs from the record, normally at once in Bolt's listener executor; its unit
of work marks the record done in the same commit as its effects (`kit.context`). Records a
dead process left unfinished are run again by the background loop (`redispatch`), through
the same app: its acknowledgement then goes nowhere.

With the database down nothing can be recorded, so nothing is done: the person is told to
try again in a minute (an event gets a 503, for Slack to deliver it again later).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.listener.listener_completion_handler import ListenerCompletionHandler
from slack_bolt.listener.listener_start_handler import ListenerStartHandler

from bot import inbox, metrics
from bot.cleantext import json_text_is_clean
from bot.inbox import Claim, Taken
from bot.storage.json_text import Encoded
from bot.storage.sqlite_writers import writing_first
from handlers.kit import middleware
from handlers.kit.context import KEY, REQUEST, RequestContext
from handlers.kit.incoming import CLEAN_ALREADY
from handlers.kit.requests import Request
from handlers.kit.services import Services
from handlers.kit.unavailable import answer_unavailable, user_of
from runtime.executor import TrackingExecutor, listener_inline

log = logging.getLogger(__name__)
RERUN = "policybot.rerun"  # in a re-dispatched request's context: the record it runs from
# What the work needs of the request's headers besides its body: whether it was a retry.
KEPT_HEADERS = ("x-slack-retry-num", "x-slack-retry-reason")


def kind_of(body: dict[str, Any]) -> str:
    kind = body.get("type")
    if kind == "event_callback":
        return "event"
    if body.get("command"):
        return "command"
    if kind in ("block_actions", "interactive_message"):
        return "action"
    if kind in ("shortcut", "message_action"):
        return "shortcut"
    if kind in ("view_submission", "view_closed"):
        return "view"
    return "other"


def _header(request: BoltRequest, name: str) -> str | None:
    values = request.headers.get(name) or []
    return str(values[0]) if values else None


def key_of(request: BoltRequest) -> str:
    """The inbox key: the event id, else a digest of the request's signature (Socket Mode:
    of its payload)."""
    body = request.body
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}"
    signature = _header(request, "x-slack-signature")
    if signature:
        timestamp = _header(request, "x-slack-request-timestamp") or ""
        return "sig:" + hashlib.sha256(f"{timestamp}:{signature}".encode()).hexdigest()
    payload = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return "body:" + hashlib.sha256(payload.encode()).hexdigest()


class Intake:
    """The inbox's side of the app: its middleware, and running records again."""

    def __init__(self, app: App, services: Services, claimant: str) -> None:
        self.app, self.services, self.claimant = app, services, claimant
        middleware.use(app, self.take_in)
        runner = app.listener_runner
        runner.listener_start_handler = _Started(services)
        runner.listener_completion_handler = _Finished(services)

    def take_in(self, request: BoltRequest, next: middleware.Next) -> Any:  # noqa: A002
        """The middleware: record the request, or answer without it."""
        body, context = request.body, request.context
        rerun = context.get(RERUN)
        if isinstance(rerun, Taken):
            context[REQUEST] = self._request(rerun.claim, body)
            return next()
        key, kind = key_of(request), kind_of(body)
        headers = {
            name: value for name in KEPT_HEADERS if (value := _header(request, name)) is not None
        }
        try:
            claim = self._record(key, kind, body, headers)
        except Exception:
            log.exception("could not record a %s: told to try again", kind)
            settings = self.services.settings
            return answer_unavailable(body, settings.language, self.services.outbox.client)
        if claim is None:
            return BoltResponse(status=200, body="")
        context[REQUEST] = self._request(claim, body)
        return next()

    def take_in_event(
        self, body: dict[str, Any], headers: dict[str, str], text: Encoded | None = None
    ) -> tuple[int, Callable[[], None] | None]:
        """An event acknowledged at the door (`runtime.event_door`), its signature checked
        there (`text`: the body as it came, stored instead of `body` written again):
        recorded, and the HTTP status to answer: 200 (taken in, or already taken), 503
        (the database is down: Slack delivers it again later). With it, what hands the record
        to the app (in the listener executor) once the ack is written."""
        try:
            key = f"event:{body['event_id']}"
            claim = self._record(key, "event", body, headers, stored=text)
        except Exception:
            log.exception("could not record an event: Slack is told to try again")
            return 503, None
        if claim is None:
            return 200, None
        taken = Taken(claim, "event", body, headers, attempts=1)
        # Its text searched for what the kit's cleaning would change: when nothing, the
        # cleaning's walk over every key and value is left out (`kit.incoming`).
        clean = text is not None and json_text_is_clean(text.text)
        run, args = self.redispatch, (taken, False, clean)
        executor = self.app.listener_runner.listener_executor
        if isinstance(executor, TrackingExecutor):
            return 200, _shutdown_safe(executor.submit_later(run, *args))
        return 200, _shutdown_safe(lambda: _discard(executor.submit(run, *args)))

    def _record(
        self,
        key: str,
        kind: str,
        body: dict[str, Any],
        headers: dict[str, str],
        stored: Encoded | None = None,
    ) -> Claim | None:
        """The inbox INSERT, committed; None (and counted) when its key was taken. On SQLite
        it goes before the answers' transactions waiting for their turn: an ack waits on it."""
        with writing_first(), self.services.db.one_statement() as connection:
            claim = inbox.take_in(
                connection,
                key,
                kind,
                body if stored is None else stored,
                headers,
                claimant=self.claimant,
                now=self.services.clock.now(),
            )
        if claim is None:
            metrics.deduplicated.inc()
            if kind == "event":
                log.info("event %s delivered again: already taken in", body.get("event_id"))
            else:
                log.warning("a %s was sent again (a replay?): refused without effect", kind)
        return claim

    def _request(self, claim: Claim, body: dict[str, Any]) -> Request:
        return Request(
            claim,
            kind_of(body),
            user_of(body) or (body.get("event") or {}).get("user"),
            self.services.clock.now(),
            response_url=body.get("response_url"),
            default_language=self.services.settings.language,
            api_url=self.services.settings.slack_api_url,
        )

    def unmatched(self, request: BoltRequest) -> None:
        """No listener took the request (a channel message the bot does not read): done."""
        taken = request.context.get(REQUEST)
        if isinstance(taken, Request) and taken.claim is not None and not taken.done:
            self.services.flight.finish_later(taken.claim)
            taken.done = True

    def redispatch(self, taken: Taken, again: bool = True, clean: bool = False) -> None:
        """Run a record through the app, as Socket Mode requests are dispatched (no signature
        to check: it was checked when the request came in). `again`: a record the background
        loop took back, not one just taken in at the door. `clean`: its body is known to
        hold nothing the kit's cleaning would change."""
        if again:
            log.info("running %s (inbox record %d) again", taken.kind, taken.claim.record)
        context: dict[str, Any] = {RERUN: taken}
        if clean:
            context[CLEAN_ALREADY] = True
        request = BoltRequest(
            body=taken.body,
            headers=dict(taken.headers),
            mode="socket_mode",
            context=context,
        )
        if again:
            response = self.app.dispatch(request)
        else:  # already in an executor thread: the listener runs in it
            with listener_inline():
                response = self.app.dispatch(request)
        ignored = REQUEST not in request.context and response.status == 200
        if ignored and request.context.authorize_result is not None:
            # Bolt's own middleware, after authorising it, chose to ignore it (the bot's own
            # event, say) before it reached the intake: nothing to do, so it is done. Without
            # authorisation (Slack out of reach), or after an error, it stays: run again later.
            self.services.flight.finish_later(taken.claim)


def _discard(_: object) -> None:
    pass


def _shutdown_safe(hand_over: Callable[[], None]) -> Callable[[], None]:
    def safely() -> None:
        try:
            hand_over()
        except RuntimeError:  # shutting down: recorded, so run later (here or elsewhere)
            log.warning("shutting down: an event acknowledged is left to the inbox")

    return safely


def _context_of(request: BoltRequest) -> RequestContext | None:
    found = request.context.get(KEY)
    return found if isinstance(found, RequestContext) else None


class _Started(ListenerStartHandler):
    """A listener starts: its request is in flight (its lease is renewed from now on)."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        ctx = _context_of(request)
        if ctx is not None and ctx.request is not None:
            self.services.flight.started(ctx.request)


class _Finished(ListenerCompletionHandler):
    """A listener has returned (or failed and been answered): its request is finished."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        ctx = _context_of(request)
        if ctx is None:
            return
        try:
            ctx.finish()
        except Exception:  # the database went away: the record runs again once it is back
            log.exception("could not finish a request")
        finally:
            if ctx.request is not None:
                self.services.flight.ended(ctx.request)
