"""`policybot serve --http` in a process of its own, as an operator runs it (gunicorn), and raw
HTTP against it: what a client that misbehaves sends, byte for byte."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runtime.fakeslack import FakeSlack
from tests.driver import SIGNING_SECRET


@dataclass
class Served:
    port: int
    process: subprocess.Popen[str]

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def rss_bytes(self) -> int:
        """Resident memory of the server and its workers, from /proc."""
        return sum(_rss(pid) for pid in [self.process.pid, *_children(self.process.pid)])

    def settled_rss_bytes(self, seconds: float = 20) -> int:
        """`rss_bytes` once it has stopped growing (the worker warms up in the background
        after it starts listening): the same within 64 KiB for a second."""
        deadline = time.monotonic() + seconds
        readings = [self.rss_bytes()]
        while time.monotonic() < deadline:
            time.sleep(0.2)
            readings = [*readings[-4:], self.rss_bytes()]
            if len(readings) == 5 and max(readings) - min(readings) < 64 * 1024:
                return readings[-1]
        raise AssertionError(f"memory did not settle within {seconds:g} s: {readings}")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *_children(int(child))]
    return found


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_http(fake_slack: FakeSlack, db_url: str, cwd: Path, **settings: str) -> Iterator[Served]:
    """`policybot serve --http` on a free local port with the test's Slack and database;
    `settings` are extra environment variables."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POLICYBOT_"))}
    env |= {
        "SLACK_BOT_TOKEN": "xoxb-serve-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": db_url,
        "POLICYBOT_LANGUAGE": "en",
    } | settings
    process = subprocess.Popen(
        [sys.executable, "-m", "runtime.cli", "serve", "--http", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", process)
        yield Served(port, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_until_answering(url: str, process: subprocess.Popen[Any], seconds: float = 30) -> None:
    """Until `url` answers (a server `process` started), or fail with why it did not."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read() if process.stderr else ""
            raise AssertionError(f"{process.args!r} exited: {error!r}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered at {url} within {seconds:g} s")


def request_head(length: int, headers: dict[str, str] | None = None) -> bytes:
    """The start of a POST to /slack/events announcing a `length`-byte body."""
    lines = [
        "POST /slack/events HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {length}",
        *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def status_of(sock: socket.socket, timeout: float = 10) -> int:
    """The status code of the answer on `sock` (0 when the connection closed without one)."""
    sock.settimeout(timeout)
    received = b""
    try:
        while b"\r\n" not in received:
            piece = sock.recv(4096)
            if not piece:
                break
            received += piece
    except OSError:
        pass
    first = received.split(b"\r\n", 1)[0].split()
    return int(first[1]) if len(first) >= 2 and first[1].isdigit() else 0


def unanswered(sock: socket.socket) -> bool:
    """The connection is still open and the server has said nothing on it (looked at without
    waiting: no bytes, no close, no reset)."""
    sock.setblocking(False)
    try:
        sock.recv(1, socket.MSG_PEEK)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.settimeout(10)
    return False  # bytes of an answer, or the end of the connection


def open_connection(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)
