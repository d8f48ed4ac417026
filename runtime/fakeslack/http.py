"""The HTTP side: a real server on 127.0.0.1 so slack_sdk, Bolt's `respond` and uploads all
go over the wire exactly as they would to Slack. Parsing lives here; behaviour in web_api.py."""

from __future__ import annotations

import contextlib
import json
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from runtime.local_server import PromptShutdownMixin

Answer = tuple[int, dict[str, str], bytes]
DROPPED: Answer = (0, {}, b"")  # the connection is closed without an answer
# Arguments slack_sdk sends as JSON text inside form bodies; methods want the structure.
JSON_ARGS = ("blocks", "attachments", "view", "files", "metadata")


def parse_args(content_type: str, raw: bytes, query: str) -> dict[str, Any]:
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json" and raw:
        body = json.loads(raw.decode("utf-8"))
        args.update(body if isinstance(body, dict) else {})
    elif kind == "application/x-www-form-urlencoded":
        args.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    elif kind == "multipart/form-data":
        args.update(_multipart(content_type, raw))
    for name in JSON_ARGS:
        value = args.get(name)
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            # Left as text when broken: the method then answers invalid_blocks / _arguments.
            with contextlib.suppress(ValueError):
                args[name] = json.loads(value)
    return args


def _multipart(content_type: str, raw: bytes) -> dict[str, Any]:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw
    )
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)  # the part's bytes: parts here are not nested
        content = payload if isinstance(payload, bytes) else b""
        fields[str(name)] = content if part.get_filename() else content.decode("utf-8", "replace")
    return fields


class Responder(Protocol):
    """What answers the requests: the stand-in's Web API (`web_api.WebApi`)."""

    def handle_http(self, path: str, query: str, headers: dict[str, str], raw: bytes) -> Answer: ...


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self._handle()

    def do_GET(self) -> None:  # noqa: N802
        self._handle()

    def _handle(self) -> None:
        url = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items()}
        try:
            status, out_headers, body = self.server.responder.handle_http(
                url.path, url.query, headers, raw
            )
        except Exception as error:  # a bug in the fake must show up, not hang the client
            status, out_headers = 500, {"Content-Type": "text/plain"}
            body = f"fake slack failed: {error!r}".encode()
        if (status, out_headers, body) == DROPPED:
            self.close_connection = True  # read and done, but the client never hears of it
            return
        self.send_response(status)
        for name, value in out_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # the call log is the record; stderr noise would spoil shell transcripts


class _Server(PromptShutdownMixin, ThreadingHTTPServer):
    daemon_threads = True
    responder: Responder


def start_server(responder: Responder, host: str, port: int) -> tuple[_Server, threading.Thread]:
    server = _Server((host, port), _Handler)
    server.responder = responder
    thread = threading.Thread(target=server.serve_forever, name="fakeslack", daemon=True)
    thread.start()
    return server, thread


def json_answer(status: int, payload: dict[str, Any]) -> Answer:
    body = json.dumps(payload).encode()
    return status, {"Content-Type": "application/json; charset=utf-8"}, body
