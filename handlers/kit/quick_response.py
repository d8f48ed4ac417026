"""An HTTP response whose headers are read without the `email` package's parser.

`http.client` reads every response's headers through `email.parser.Parser` (a feed parser,
a generator per line, a policy object per header): for Slack's few plain `Name: value` lines
that is more than a sixth of what a post through the pool costs its process (below).
`QuickResponse` reads such lines itself into the same `http.client.HTTPMessage`, with the
same names, values and order, the same empty payload; anything else (a folded line, a line
without a name, a Unix `From ` line, a name with a character a header name may not have) is left
to the `email` parser, on the same text, as before.

`begin` is `http.client.HTTPResponse.begin` with only the header parse changed. It calls the
standard library's private `_read_status` and `_check_close`: `QUICK_RESPONSE` is None when
they are not there (the pool then uses `http.client.HTTPResponse`), and
`tests/test_quick_response.py` compares every attribute `begin` sets with the standard
library's on responses of every shape, so a Python that changes `begin` fails that test.

Why our own code rather than a library's, measured (`docs/performance.md`, round `review3`):
a `chat.postMessage` through the pool to the stand-in Web API costs 0.797 M instructions
with `http.client`'s header read and 0.664 M with this one (callgrind, 200 posts less 20),
and a DM answered makes one such post: about 0.13 M of the 6.5 M instructions a DM costs on
SQLite, where issue 13's "at most 2x bare Bolt" is about 6.6 M. The usual libraries read
headers through `http.client` too (slack_sdk's own client, urllib3 and so requests). Worth
dropping when that margin no longer matters, or when a Python's `begin` changes (the test
fails then).
"""

from __future__ import annotations

import email.parser
import http.client
import re
from typing import Any

# As `http.client` bounds them (its `_MAXLINE` and `_MAXHEADERS`).
MAX_LINE = 65536
MAX_HEADERS = 100
# A header line the `email` parser reads as `name: value` and nothing else: a name of the
# printable characters but the colon and the space (its `headerRE`; so never a Unix `From `
# line), the value without the blanks after the colon, no line end but the line's own (the parser
# splits lines at a lone CR too).
_PLAIN = re.compile(r"([\041-\071\073-\176]+):[ \t]*([^\r\n]*)\r?\n\Z")


def read_header_lines(fp: Any) -> list[bytes]:
    """The header block's lines up to and with the empty one, bounded as `http.client`
    bounds them."""
    lines = []
    while True:
        line = fp.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise http.client.LineTooLong("header line")
        lines.append(line)
        if len(lines) > MAX_HEADERS:
            raise http.client.HTTPException(f"got more than {MAX_HEADERS} headers")
        if line in (b"\r\n", b"\n", b""):
            return lines


def parse_header_lines(lines: list[bytes]) -> http.client.HTTPMessage:
    """The headers as `http.client.parse_headers` makes them of these lines."""
    message = http.client.HTTPMessage()
    for raw in lines:
        if raw in (b"\r\n", b"\n"):
            break
        line = raw.decode("iso-8859-1")
        plain = _PLAIN.match(line)
        if plain is None:  # not one plain line ended by its own line end: the parser's
            text = b"".join(lines).decode("iso-8859-1")
            return email.parser.Parser(_class=http.client.HTTPMessage).parsestr(text)
        message.set_raw(plain[1], plain[2])
    message.set_payload("")
    return message


class _QuickResponse(http.client.HTTPResponse):
    def begin(self) -> None:
        if self.headers is not None:
            return  # already read
        while True:  # up to a final (not 100 Continue) answer
            version, status, reason = self._read_status()
            if status != http.client.CONTINUE:
                break
            read_header_lines(self.fp)  # the 100 answer's headers
        self.code = self.status = status
        self.reason = reason.strip()
        if version in ("HTTP/1.0", "HTTP/0.9"):
            self.version = 10
        elif version.startswith("HTTP/1."):
            self.version = 11
        else:
            raise http.client.UnknownProtocol(version)
        self.headers = self.msg = parse_header_lines(read_header_lines(self.fp))
        if self.debuglevel > 0:
            for name, value in self.headers.items():
                print("header:", name + ":", value)
        transfer = self.headers.get("transfer-encoding")
        self.chunked = bool(transfer and transfer.lower() == "chunked")
        if self.chunked:
            self.chunk_left = None
        self.will_close = self._check_close()
        self.length = None
        length = self.headers.get("content-length")
        if length and not self.chunked:
            try:
                self.length = int(length)
            except ValueError:
                self.length = None
            else:
                if self.length < 0:
                    self.length = None
        no_body = status in (http.client.NO_CONTENT, http.client.NOT_MODIFIED)
        if no_body or 100 <= status < 200 or self._method == "HEAD":
            self.length = 0
        if not self.will_close and not self.chunked and self.length is None:
            self.will_close = True


def _usable() -> bool:
    response = http.client.HTTPResponse
    return all(hasattr(response, name) for name in ("_read_status", "_check_close", "begin"))


# The response class for the pool's connections, or None: the standard library's then.
QUICK_RESPONSE: type[http.client.HTTPResponse] | None = _QuickResponse if _usable() else None
