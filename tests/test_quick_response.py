"""`QuickResponse` reads a response as `http.client.HTTPResponse` does: every attribute its
`begin` sets, the headers (names, values, order, payload, defects), the body and the errors,
compared with the standard library's on responses of every shape and on random ones. It
guards the private `_read_status` and `_check_close` it calls, and its copy of `begin`."""

from __future__ import annotations

import http.client
import io
import random

import pytest

from handlers.kit import keepalive
from handlers.kit.quick_response import QUICK_RESPONSE

OK = b"HTTP/1.1 200 OK\r\n"
JSON = b"Content-Type: application/json; charset=utf-8\r\n"


class _Socket:
    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def makefile(self, _mode: str) -> io.BytesIO:
        return io.BytesIO(self.raw)


def _read(cls: type[http.client.HTTPResponse], raw: bytes, method: str) -> tuple[object, ...]:
    response = cls(_Socket(raw), method=method)  # type: ignore[arg-type]
    try:
        response.begin()
    except Exception as error:  # noqa: BLE001 - the same error is the point
        return ("raised", type(error), str(error))
    headers = response.msg
    seen = (
        response.status,
        response.reason,
        response.version,
        response.chunked,
        getattr(response, "chunk_left", "unset"),
        response.length,
        response.will_close,
        type(headers),
        headers.items(),
        headers.get_payload(),
        [type(defect) for defect in headers.defects],
        headers.get_content_type(),
        headers.get_content_charset(),
    )
    try:
        body: object = response.read()
    except Exception as error:  # noqa: BLE001
        body = ("raised", type(error), str(error))
    return (*seen, body)


def _same(raw: bytes, method: str = "POST") -> None:
    assert QUICK_RESPONSE is not None
    assert _read(QUICK_RESPONSE, raw, method) == _read(http.client.HTTPResponse, raw, method), raw


SHAPES = [
    OK + JSON + b'Content-Length: 11\r\n\r\n{"ok":true}',
    # As Slack answers: many headers, some twice, blanks and tabs, an empty value.
    OK
    + b"date: Thu, 03 Dec 2026 11:00:00 GMT\r\nserver: Apache\r\nx-slack-req-id: 9f\r\n"
    + b"set-cookie: a=1; Path=/\r\nset-cookie: b=2\r\nvary:\tAccept-Encoding \r\n"
    + b"x-empty:\r\nx-blanks:   \r\nConnection: keep-alive\r\n"
    + JSON
    + b"content-length: 2\r\n\r\n{}",
    OK + b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    OK + b"Transfer-Encoding: Chunked\r\nContent-Length: 9\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    OK + b"Connection: close\r\nContent-Length: 2\r\n\r\n{}",
    b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}",
    b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}",
    b"HTTP/1.0 200 OK\r\nKeep-Alive: timeout=5\r\nContent-Length: 2\r\n\r\n{}",
    b"HTTP/0.9 200 OK\r\n\r\n{}",
    OK + b"\r\n{}",  # no length: read to the end
    b"HTTP/1.1 100 Continue\r\nX-A: 1\r\n\r\n" + OK + b"Content-Length: 2\r\n\r\n{}",
    b"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
    b"HTTP/1.1 304 Not Modified\r\n\r\n",
    b"HTTP/1.1 101 Switching\r\n\r\n",
    b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\nContent-Length: 0\r\n\r\n",
    OK + b"Content-Length: -4\r\n\r\n{}",
    OK + b"Content-Length: many\r\n\r\n{}",
    OK + b"Content-Length:  2 \r\n\r\n{}",
    OK + JSON.replace(b"\r\n", b"\n") + b"Content-Length: 2\n\n{}",  # bare line feeds
    OK + b"X-Name: caf\xe9 \xff\r\nContent-Length: 2\r\n\r\n{}",  # Latin-1 bytes
    # What the e-mail parser reads otherwise: a folded value, a line without a colon, a
    # blank before the colon, a Unix From line, a lone CR, a colon first, no final blank line.
    OK + b"X-Long: a\r\n b\r\n\tc\r\nContent-Length: 2\r\n\r\n{}",
    OK + b" X-Lead: 1\r\nContent-Length: 2\r\n\r\n{}",
    OK + b"no colon here\r\nContent-Length: 2\r\n\r\n{}",
    OK + b"X-A : 1\r\nContent-Length: 2\r\n\r\n{}",
    OK + b"From someone Thu Dec 3\r\nContent-Length: 2\r\n\r\n{}",
    OK + b"X-CR: a\rb\r\nContent-Length: 2\r\n\r\n{}",
    OK + b"X-CR: a\r\r\nContent-Length: 2\r\n\r\n{}",
    OK + b": nameless\r\nContent-Length: 2\r\n\r\n{}",
    OK + b"X-A: 1\r\nContent-Length: 2",
    OK + b"X-A: 1\r\n",
    OK,
    # The errors: a line too long, too many headers, an unknown protocol, a bad status.
    OK + b"X-A: " + b"a" * 70_000 + b"\r\n\r\n",
    OK + b"".join(b"X-%d: 1\r\n" % n for n in range(101)) + b"\r\n",
    OK + b"".join(b"X-%d: 1\r\n" % n for n in range(99)) + b"\r\n",
    b"SPDY/3 200 OK\r\n\r\n",
    b"HTTP/1.1 abc OK\r\n\r\n",
    b"",
]


@pytest.mark.parametrize("raw", SHAPES)
def test_every_shape_is_read_as_the_standard_library_reads_it(raw: bytes) -> None:
    _same(raw)


def test_a_head_answer_has_no_body() -> None:
    _same(OK + b"Content-Length: 10\r\n\r\n", method="HEAD")


def test_random_header_blocks_are_read_as_the_standard_library_reads_them() -> None:
    pieces = [
        b"X-A: 1", b"x-a:2", b"Set-Cookie: c=3", b"Content-Type: text/plain; charset=latin-1",
        b"Content-Length: 2", b"Transfer-Encoding: chunked", b"Connection: close",
        b"Connection: keep-alive", b"X-Tab:\tv\t", b" folded", b"\tfolded", b"X-B:",
        b"From x", b"bad line", b"X-C : 1", b"X-D: a\rb", b"X-E: \xe9\xff", b":x", b"X_F!~: 1",
    ]  # fmt: skip
    ends = [b"\r\n", b"\n"]
    statuses = [OK, b"HTTP/1.0 200 OK\r\n", b"HTTP/1.1 204 No Content\r\n"]
    chance = random.Random(11)
    for _ in range(3000):
        lines = [chance.choice(pieces) + chance.choice(ends) for _ in range(chance.randrange(0, 7))]
        tail = chance.choice([b"\r\n2\r\n{}\r\n0\r\n\r\n", b"\n{}", b""])
        _same(chance.choice(statuses) + b"".join(lines) + tail)


def test_the_pool_reads_its_answers_with_it() -> None:
    connection = keepalive._connect(("http", "127.0.0.1", 9), 1.0, None)
    assert connection.response_class is QUICK_RESPONSE is not None
