"""The door in front of Bolt: a request is bounded, and signed, before anything parses it.

Bolt reads the whole body and parses a `payload=` form before it checks the signature, so
one unauthenticated client could make the process read, decode and parse 40 MB, or hold a
thread forever by announcing a body it never sends. `RequestGate` wraps Bolt's WSGI handler
and answers every POST to /slack/events in this order, reading nothing it does not have to:

1. no `Content-Length` (or a chunked body): 411; more than `max_bytes` announced: 413;
2. not JSON or a form (Slack sends nothing else): 400;
3. no signature, or a timestamp outside Slack's five minutes: 401;
4. the body read, at most `Content-Length` bytes, within `read_timeout` in all (past it:
   408, the connection closed); a body shorter than announced: 400;
5. the signature checked over those bytes (slack_sdk's `SignatureVerifier`): 401;
6. a body that is not UTF-8, a JSON object, or a form whose `payload` is one: 400;

and only then hands the bytes it read to Bolt, which checks the signature again (its check
stays on). An event (`event_callback`) may be answered here instead, by `early`
(`runtime.event_door`: recorded in the inbox, acknowledged, and run through Bolt after the
ack). Refusals have no side effect and say one word on why; none is a 500.

The read deadline needs the socket, which gunicorn gives (`gunicorn.socket`): a shared
`Watchdog` thread shuts its reading side when the deadline passes, so neither an idle client
nor one trickling a byte at a time holds a thread longer. Behind another WSGI server the
deadline is the reverse proxy's to keep (deploy/nginx.conf).
"""

from __future__ import annotations

import contextlib
import heapq
import io
import itertools
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Any], Iterable[bytes]]
# Given a verified JSON body (parsed, and the bytes it was parsed from, valid UTF-8) and the
# environ: None for Bolt to answer; or the HTTP status to answer, with what to run once that
# answer is written.
EarlyAnswer = Callable[
    [dict[str, Any], bytes, dict[str, Any]], tuple[int, Callable[[], None] | None] | None
]
SIGNATURE_WINDOW_S = 5 * 60  # Slack's: a request older (or newer) than this is refused
_CONTENT_TYPES = ("application/json", "application/x-www-form-urlencoded")
_READ_STEP = 64 * 1024
_STATUS_LINES = {200: "200 OK", 503: "503 Service Unavailable"}
_MAX_FORM_FIELDS = 200  # Slack's largest form, a slash command, has about fifteen


class Refused(Exception):
    """A request the gate answers itself: `status` and one word on why."""

    def __init__(self, status: str, reason: str, *, body_unread: bool = True) -> None:
        super().__init__(reason)
        self.status, self.reason, self.body_unread = status, reason, body_unread


class Watchdog:
    """One thread that cuts off reads past their deadline: it shuts the reading side of the
    socket, so a read waiting on it returns at once, with what it had."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._due: list[tuple[float, int, socket.socket]] = []
        self._cancelled: set[int] = set()
        self._numbers = itertools.count()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def watch(self, sock: socket.socket, deadline: float) -> int:
        with self._changed:
            number = next(self._numbers)
            heapq.heappush(self._due, (deadline, number, sock))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="request-read-deadlines", daemon=True
                )
                self._thread.start()
            if self._due[0][1] == number:
                # Only a deadline sooner than every other one changes how long the thread
                # waits. Waking it for every request (each deadline is later than those
                # before) cost about 6 % of a DM's CPU under load (py-spy on live workers).
                self._changed.notify()
            return number

    def release(self, number: int) -> None:
        with self._changed:
            self._cancelled.add(number)

    def _run(self) -> None:
        with self._changed:
            while True:
                while self._due and self._due[0][1] in self._cancelled:
                    self._cancelled.discard(heapq.heappop(self._due)[1])
                if not self._due:
                    self._changed.wait()
                    continue
                deadline, number, sock = self._due[0]
                left = deadline - self._clock()
                if left > 0:
                    self._changed.wait(left)
                    continue
                heapq.heappop(self._due)
                with contextlib.suppress(OSError):  # already closed: nothing to cut off
                    sock.shutdown(socket.SHUT_RD)


class RequestGate:
    """WSGI middleware in front of Bolt's `SlackRequestHandler` at `path` (see the module)."""

    def __init__(
        self,
        inner: WSGIApp,
        *,
        path: str,
        signing_secret: str,
        max_bytes: int,
        read_timeout: float,
        watchdog: Watchdog | None = None,
        early: EarlyAnswer | None = None,
    ) -> None:
        self.inner, self.path, self.early = inner, path, early
        self.max_bytes, self.read_timeout = max_bytes, read_timeout
        self.verifier = SignatureVerifier(signing_secret)
        self.watchdog = watchdog or Watchdog()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != self.path:
            return self.inner(environ, start_response)  # Bolt reads no body for these
        try:
            body, parsed = self.admit(environ)
        except Refused as refused:
            log.info("refused a request to %s: %s %s", self.path, refused.status, refused)
            if refused.body_unread:
                _stop_reading(environ)
            start_response(refused.status, [("Content-Type", "text/plain; charset=utf-8")])
            return [refused.reason.encode()]
        if parsed is not None and self.early is not None:
            answered = self.early(parsed, body, environ)
            if answered is not None:
                status, then = answered
                start_response(_STATUS_LINES[status], [("Content-Length", "0")])
                return _ThenOnClose(then)
        passed = dict(environ)
        passed["wsgi.input"] = io.BytesIO(body)
        passed["CONTENT_LENGTH"] = str(len(body))
        return self.inner(passed, start_response)

    def admit(self, environ: dict[str, Any]) -> tuple[bytes, dict[str, Any] | None]:
        """The request's body, read and verified, and the object a JSON body holds; or
        Refused, with what to answer."""
        length = _announced_length(environ, self.max_bytes)
        content_type = str(environ.get("CONTENT_TYPE", "")).split(";")[0].strip().lower()
        if content_type not in _CONTENT_TYPES:
            raise Refused("400 Bad Request", "unsupported content type")
        timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""))
        signature = str(environ.get("HTTP_X_SLACK_SIGNATURE", ""))
        if not timestamp or not signature:
            raise Refused("401 Unauthorized", "unsigned")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > SIGNATURE_WINDOW_S:
            raise Refused("401 Unauthorized", "stale or malformed timestamp")
        body = self._read(environ, length)
        if not self.verifier.is_valid(body=body, timestamp=timestamp, signature=signature):
            raise Refused("401 Unauthorized", "bad signature", body_unread=False)
        return body, _check_shape(body, content_type)

    def _read(self, environ: dict[str, Any], length: int) -> bytes:
        """Exactly `length` bytes within the read timeout, or Refused."""
        stream = environ.get("wsgi.input")
        if stream is None:
            raise Refused("400 Bad Request", "no body")
        sock = environ.get("gunicorn.socket")
        deadline = time.monotonic() + self.read_timeout
        watched = self.watchdog.watch(sock, deadline) if sock is not None else None
        pieces: list[bytes] = []
        received = 0
        try:
            while received < length:
                piece = stream.read(min(_READ_STEP, length - received))
                if not piece:
                    break
                pieces.append(piece)
                received += len(piece)
        except OSError:  # the watchdog's cut, a reset, a socket timeout
            pass
        finally:
            if watched is not None:
                self.watchdog.release(watched)
        if received < length:
            if time.monotonic() >= deadline:
                raise Refused("408 Request Timeout", "the body did not arrive in time")
            raise Refused("400 Bad Request", "the body is shorter than announced")
        return b"".join(pieces)


class _ThenOnClose(list[bytes]):
    """An empty response body whose `close`, which the WSGI server calls once the response
    is written (PEP 3333, also when writing it failed), runs `then`."""

    def __init__(self, then: Callable[[], None] | None) -> None:
        super().__init__()
        self._then = then

    def close(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()


def _stop_reading(environ: dict[str, Any]) -> None:
    """The body of a refused request stays unread: the server must not wait for it to reuse
    the connection (gunicorn would, up to five seconds a thread). Its reading side is shut,
    so the server answers and closes. (WSGI lets no application send `Connection: close`.)"""
    sock = environ.get("gunicorn.socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RD)


def _announced_length(environ: dict[str, Any], max_bytes: int) -> int:
    if "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower():
        raise Refused("411 Length Required", "a Content-Length is required")
    raw = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not raw:
        raise Refused("411 Length Required", "a Content-Length is required")
    if not raw.isdigit():
        raise Refused("400 Bad Request", "malformed Content-Length")
    length = int(raw)
    if length > max_bytes:
        raise Refused("413 Content Too Large", f"larger than {max_bytes} bytes")
    return length


def _check_shape(body: bytes, content_type: str) -> dict[str, Any] | None:
    """What Bolt will parse must parse: a JSON object (returned), or a form (its `payload` an
    object)."""
    try:
        text = body.decode("utf-8")
        if content_type == "application/json":
            parsed = json.loads(text)
            if not isinstance(parsed, dict):
                raise ValueError("not an object")
            return parsed
        fields = parse_qs(text, keep_blank_values=True, max_num_fields=_MAX_FORM_FIELDS)
        if "payload" in fields and not isinstance(json.loads(fields["payload"][0]), dict):
            raise ValueError("payload is not an object")
        return None
    except (UnicodeDecodeError, ValueError):  # json.JSONDecodeError is a ValueError
        raise Refused("400 Bad Request", "malformed body", body_unread=False) from None
