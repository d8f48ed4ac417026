"""Keep-alive HTTP to Slack: one pool of open connections per process, shared by every Web
API client and response_url reply.

slack_sdk's clients open a new TCP (and TLS) connection for every call (`urllib.urlopen`);
the bot makes one to three calls per answer, so that handshake was a large part of the time
an answer takes to reach Slack. `PooledWebClient` and `PooledWebhookClient` keep slack_sdk's
whole behaviour (arguments, errors, the response objects, no retries of their own) and only
send the request over a pooled `http.client` connection to the same address: every call
still goes to SLACK_API_URL (or the response_url given).

A connection that the server closed while it sat idle fails on its next use; that one
request is sent again on a fresh connection. That is safe when the request never reached the
server (the write failed), and for calls that may be made twice (a read, an update). A call
that must not be made twice (a post) runs inside `never_resent()`: when the connection fails
after the whole request was written, Slack may have read it, so `MaybeSent` is raised
instead, and the caller finds out whether it was made (`courier.post_once`). A proxy falls back to
slack_sdk's own way.
"""

from __future__ import annotations

import http.client
import io
import os
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient, WebhookResponse

from handlers.kit.quick_response import QUICK_RESPONSE

IDLE_PER_HOST = 16  # connections kept open per address: about one per listener thread
Connection = http.client.HTTPConnection
# What an idle connection closed by the server raises on reuse, before the request was read.
STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)
# The Web API's Content-Type, as it sends it: read as `get_content_charset` would (utf-8)
# without the e-mail parser's work on the header.
SLACK_JSON = "application/json; charset=utf-8"
_resend: ContextVar[bool] = ContextVar("policybot_keepalive_resend", default=True)


class MaybeSent(ConnectionError):
    """The connection failed after the whole request was written: the server may have acted
    on it (a `ConnectionError`, so whoever does not ask treats it as Slack unreachable)."""


@contextmanager
def never_resent() -> Iterator[None]:
    """Calls made inside are not sent again after a failure that leaves it open whether the
    server read them: they raise `MaybeSent`."""
    token = _resend.set(False)
    try:
        yield
    finally:
        _resend.reset(token)


class Pool:
    """Idle connections per (scheme, host, port); a connection is used by one thread at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[tuple[str, str, int], list[Connection]] = {}

    def clear(self) -> None:
        """Forget every connection (after fork: the parent's sockets are not the child's)."""
        with self._lock:
            self._idle = {}

    def _take(self, key: tuple[str, str, int]) -> Connection | None:
        with self._lock:
            idle = self._idle.get(key)
            return idle.pop() if idle else None

    def _give_back(self, key: tuple[str, str, int], connection: Connection) -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < IDLE_PER_HOST:
                idle.append(connection)
                return
        connection.close()

    def send(
        self, req: Request, timeout: float, context: ssl.SSLContext | None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        """POST `req`; (status, headers, body), whatever the status."""
        url = urlsplit(req.full_url)
        scheme, host = url.scheme.lower(), url.hostname or ""
        key = (scheme, host, url.port or (443 if scheme == "https" else 80))
        path = url.path + (f"?{url.query}" if url.query else "")
        headers = {
            name.title(): value for name, value in req.header_items()
        }  # as urllib sends them
        reused = self._take(key)
        for connection in (reused, None):
            fresh = connection is None
            if connection is None:
                connection = _connect(key, timeout, context)
            connection.timeout = timeout
            try:
                connection.request(req.get_method(), path, body=req.data, headers=headers)
            except STALE:  # the server had closed it: it did not read this request
                connection.close()
                if fresh:
                    raise
                continue
            except BaseException:
                connection.close()
                raise
            try:
                response = connection.getresponse()
                body = response.read()
            except STALE as error:  # written, then no answer: read by the server or not?
                connection.close()
                if fresh or not _resend.get():
                    raise MaybeSent(f"no answer after the request was sent: {error}") from error
                continue
            except http.client.HTTPException as error:  # a broken answer: as urlopen says it
                connection.close()
                raise URLError(error) from error
            except BaseException:
                connection.close()
                raise
            if response.will_close:
                connection.close()
            else:
                self._give_back(key, connection)
            return response.status, response.msg, body
        raise AssertionError("unreachable: a fresh connection either answers or raises")


def _connect(
    key: tuple[str, str, int], timeout: float, context: ssl.SSLContext | None
) -> Connection:
    scheme, host, port = key
    connection: Connection
    if scheme == "https":
        connection = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=context or ssl.create_default_context()
        )
    elif scheme == "http":
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
    else:
        raise ValueError(f"not an http(s) URL: {scheme}://{host}")
    if QUICK_RESPONSE is not None:  # its headers read without the e-mail parser
        connection.response_class = QUICK_RESPONSE
    return connection


POOL = Pool()
os.register_at_fork(after_in_child=POOL.clear)


def _raise_for_status(url: str, status: int, headers: http.client.HTTPMessage, body: bytes) -> None:
    """As urlopen does: a status of 400 or more raises HTTPError, which slack_sdk reads."""
    if status >= 400:
        raise HTTPError(
            url, status, http.client.responses.get(status, ""), headers, io.BytesIO(body)
        )


class PooledWebClient(WebClient):
    """slack_sdk's WebClient over the pooled keep-alive connections."""

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if self.proxy is not None:
            return super()._perform_urllib_http_request_internal(url, req)
        status, headers, body = POOL.send(req, self.timeout, self.ssl)
        _raise_for_status(url, status, headers, body)
        if headers.get("Content-Type") == SLACK_JSON:  # nearly every answer: no parsing
            return {"status": status, "headers": headers, "body": body.decode("utf-8")}
        if headers.get_content_type() == "application/gzip":
            return {"status": status, "headers": headers, "body": body}
        charset = headers.get_content_charset() or "utf-8"
        return {"status": status, "headers": headers, "body": body.decode(charset)}


class PooledWebhookClient(WebhookClient):
    """slack_sdk's WebhookClient (response_urls) over the pooled keep-alive connections."""

    def _perform_http_request_internal(self, url: str, req: Request) -> WebhookResponse:
        if self.proxy is not None or not url.lower().startswith("http"):
            return super()._perform_http_request_internal(url, req)
        status, headers, body = POOL.send(req, self.timeout, self.ssl)
        _raise_for_status(url, status, headers, body)
        charset = headers.get_content_charset() or "utf-8"
        return WebhookResponse(
            url=url,
            status_code=status,
            body=body.decode(charset),
            headers=headers,  # type: ignore[arg-type]
        )
