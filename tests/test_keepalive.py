"""The Web API and response_urls over kept-alive connections: several calls, one connection;
a connection the server closed is replaced without losing the call."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from slack_sdk.errors import SlackApiError

from handlers.kit.keepalive import POOL, PooledWebClient, PooledWebhookClient


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[tuple[int, str, bytes]] = []
    close_after = False  # the server closes every connection after its answer
    status = 200

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append((self.client_address[1], self.path, body))
        out = b'{"ok": true, "user": {"id": "U1"}}' if self.status == 200 else b'{"ok": false}'
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
        if self.close_after:
            self.close_connection = True

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Recorder.seen, _Recorder.close_after, _Recorder.status = [], False, 200
    POOL.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    POOL.clear()


def test_calls_share_one_connection(server: str) -> None:
    client = PooledWebClient(token="xoxb-1", base_url=server + "/api/", retry_handlers=[])
    for _ in range(3):
        assert client.users_info(user="U1")["user"]["id"] == "U1"
    PooledWebhookClient(server + "/respond/k", retry_handlers=[]).send(text="hi")
    assert [path for _, path, _ in _Recorder.seen] == ["/api/users.info"] * 3 + ["/respond/k"]
    assert b"user=U1" in _Recorder.seen[0][2]
    assert len({port for port, _, _ in _Recorder.seen}) == 1


def test_a_connection_the_server_closed_is_replaced(server: str) -> None:
    _Recorder.close_after = True
    client = PooledWebClient(token="xoxb-1", base_url=server + "/api/", retry_handlers=[])
    for _ in range(3):
        client.chat_postMessage(channel="C1", text="hello")
    assert len(_Recorder.seen) == 3  # each call made exactly once
    assert len({port for port, _, _ in _Recorder.seen}) == 3


def test_an_error_status_is_slack_sdks_error(server: str) -> None:
    _Recorder.status = 429
    client = PooledWebClient(token="xoxb-1", base_url=server + "/api/", retry_handlers=[])
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="hello")
    assert raised.value.response.status_code == 429
    answer = PooledWebhookClient(server + "/respond/k", retry_handlers=[]).send(text="hi")
    assert answer.status_code == 429
