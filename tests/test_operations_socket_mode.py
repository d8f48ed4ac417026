"""`policybot serve` in Socket Mode against a local stand-in for Slack's WebSocket: it
connects, says so (a log line, /readyz), answers an event, reconnects when the connection
drops, and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import queue
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.server import ServerConnection, serve

from runtime.fakeslack import FakeSlack
from tests.driver import SlackDriver
from tests.http_process import free_port
from tests.seed import adopt
from tests.test_operations_serve import start


class SocketModeStandIn:
    """Slack's end of Socket Mode on 127.0.0.1: says hello, sends envelopes, records acks."""

    def __init__(self) -> None:
        self.acks: queue.Queue[dict[str, Any]] = queue.Queue()
        self.connections: list[ServerConnection] = []
        self._opened = threading.Condition()
        self._server = serve(self._handle, "127.0.0.1", 0)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"

    def _handle(self, connection: ServerConnection) -> None:
        with self._opened:
            self.connections.append(connection)
            self._opened.notify_all()
        connection.send(json.dumps({"type": "hello", "num_connections": len(self.connections)}))
        for message in connection:
            self.acks.put(json.loads(message))

    def wait_for_connections(self, count: int, timeout: float = 30) -> None:
        with self._opened:
            assert self._opened.wait_for(lambda: len(self.connections) >= count, timeout)

    def send_event(self, body: dict[str, Any]) -> str:
        envelope_id = f"envelope-{body['event_id']}"
        envelope = {"envelope_id": envelope_id, "type": "events_api", "payload": body,
                    "accepts_response_payload": False}  # fmt: skip
        self.connections[-1].send(json.dumps(envelope))
        return envelope_id

    def drop(self) -> None:
        """Slack ends the connection (as it does every few hours, and on its restarts)."""
        self.connections[-1].close()

    def close(self) -> None:
        self._server.shutdown()


@pytest.fixture
def socket_slack(fake_slack: FakeSlack) -> Iterator[SocketModeStandIn]:
    stand_in = SocketModeStandIn()
    fake_slack.socket_mode_url = stand_in.url
    yield stand_in
    stand_in.close()


def wait_ready(port: int, process: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.1)
    raise AssertionError("Socket Mode never became ready")


def test_socket_mode_connects_answers_reconnects_and_stops(
    fake_slack: FakeSlack, socket_slack: SocketModeStandIn, db_url: str, db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    adopt(db)
    port = free_port()
    process = start(
        tmp_path, fake_slack.api_url, db_url, "--port", str(port), SLACK_APP_TOKEN="xapp-1-test"
    )
    try:
        wait_ready(port, process)  # connected, and the database at head
        dm = fake_slack.im_for("UEMP0002")
        ts = fake_slack.post_user_message("UEMP0002", dm, "may I post this: our new logo")
        event = {"type": "message", "channel": dm, "user": "UEMP0002", "ts": ts,
                 "text": "may I post this: our new logo", "channel_type": "im"}  # fmt: skip
        body = SlackDriver("http://unused", fake_slack).event_envelope(event, "EvSOCKET0001")
        envelope_id = socket_slack.send_event(body)
        assert socket_slack.acks.get(timeout=10) == {"envelope_id": envelope_id}
        fake_slack.wait_for("chat.postMessage", timeout=10)
        assert fake_slack.bot_messages(dm), "the event was answered"

        socket_slack.drop()
        socket_slack.wait_for_connections(2)  # apps.connections.open again, a new WebSocket
        wait_ready(port, process)
        assert len(fake_slack.calls_for("apps.connections.open")) >= 2

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    _, stderr = process.communicate()
    assert "Socket Mode: connected to Slack" in stderr
    assert "Traceback" not in stderr
