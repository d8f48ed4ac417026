"""Finding 1: a request is bounded (size and read time) and its signature checked before
anything parses it; idle or oversized requests cannot stall `serve --http` or grow it.

The gate's answers are checked on the app as the tests serve it; the stall, the read deadline
and memory on `policybot serve --http` itself (gunicorn, in its own process)."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from pathlib import Path

import pytest

from bot.settings import Settings
from runtime.fakeslack import FakeSlack
from tests.driver import ADMIN, SlackDriver
from tests.http_process import open_connection, request_head, serve_http, status_of, unanswered

PLAUSIBLE = {"X-Slack-Request-Timestamp": "0", "X-Slack-Signature": "v0=" + "ab" * 32}


def _plausible() -> dict[str, str]:
    """Signature headers as a forger sends them: a current timestamp, a made-up signature."""
    return PLAUSIBLE | {"X-Slack-Request-Timestamp": str(int(time.time()))}


def _raw(running: SlackDriver, data: bytes, *, half_close: bool = False) -> int:
    port = int(running.url.split(":")[2].split("/")[0])
    with open_connection(port) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        status = status_of(sock)
    running.wait()
    return status


def _slack_calls(fake: FakeSlack) -> list[str]:
    """What the bot called, besides the auth.test every app makes when it starts."""
    return [c.method for c in fake.calls if c.method != "auth.test"]


def _nothing_happened(running: SlackDriver) -> None:
    assert _slack_calls(running.fake) == []


def test_a_body_without_a_length_is_refused_with_411(running: SlackDriver) -> None:
    head = request_head(0, {"Transfer-Encoding": "chunked"} | _plausible())
    head = head.replace(b"Content-Length: 0\r\n", b"")
    status = _raw(running, head + b"5\r\nhello\r\n0\r\n\r\n")
    assert status == 411
    _nothing_happened(running)


def test_an_oversized_body_is_refused_with_413_before_it_is_read(
    running: SlackDriver, settings: Settings
) -> None:
    # Only the head is sent: the answer comes without waiting for a byte of the body.
    status = _raw(running, request_head(settings.max_request_bytes + 1))
    assert status == 413
    _nothing_happened(running)


def test_a_body_shorter_than_announced_is_refused(running: SlackDriver) -> None:
    status = _raw(running, request_head(100, _plausible()) + b"command=x", half_close=True)
    assert status == 400
    _nothing_happened(running)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("text=help", "text/plain"),
        ('{"type": "event_callback"', "application/json"),
        ('["not", "an", "object"]', "application/json"),
        ("payload=%7Bnot+json", "application/x-www-form-urlencoded"),
        ("payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
        ("&".join(f"f{i}=x" for i in range(500)), "application/x-www-form-urlencoded"),
    ],
    ids=[
        "text-plain",
        "broken-json",
        "json-array",
        "payload-not-json",
        "payload-array",
        "500-fields",
    ],
)
def test_signed_but_malformed_requests_get_400_never_500(
    running: SlackDriver, body: str, content_type: str
) -> None:
    answer = running.post(body, content_type)  # correctly signed
    assert answer.status == 400, answer
    _nothing_happened(running)


def test_a_bad_signature_is_refused_by_the_gate_before_bolt_parses(running: SlackDriver) -> None:
    payload = json.dumps({"type": "block_actions", "actions": [{"value": "x" * 500_000}]})
    body = "payload=" + payload
    answer = running.post(body, "application/x-www-form-urlencoded", _plausible())
    # The gate's word, not Bolt's JSON: Bolt never saw it.
    assert (answer.status, answer.body) == (401, "bad signature")
    stale = running.signed_headers(body, timestamp=int(time.time()) - 301)
    answer = running.post(body, "application/x-www-form-urlencoded", stale)
    assert (answer.status, answer.body) == (401, "stale or malformed timestamp")
    _nothing_happened(running)


def test_a_signed_request_within_the_limits_still_works(running: SlackDriver) -> None:
    assert running.command(ADMIN, "help").status == 200
    assert "`/policy help [COMMAND]`" in running.last_reply_text()


# -- serve --http, as operators run it ---------------------------------------------------------
def test_idle_connections_announcing_large_bodies_do_not_stall_the_bot(
    fake_slack: FakeSlack, db_url: str, tmp_path: Path
) -> None:
    # A long read deadline, so the eight connections surely hold their threads meanwhile.
    with serve_http(fake_slack, db_url, tmp_path, POLICYBOT_REQUEST_READ_TIMEOUT_MS="30000") as s:
        idle = [open_connection(s.port) for _ in range(8)]
        try:
            for sock in idle:
                sock.sendall(request_head(1_000_000, _plausible()) + b"payload=")
            sender = SlackDriver(s.events_url, fake_slack)
            answer = sender.command("UEMP0002", "help")  # the driver's 15 s: failures only
            assert answer.status == 200
            # Answered while the eight still hold their threads, waiting for their bodies: it
            # waited for none of them (not for the read deadline that would free them).
            assert all(unanswered(sock) for sock in idle)
            reply = fake_slack.wait_for("response_url")
            assert "`/policy help [COMMAND]`" in reply.args["text"]
        finally:
            for sock in idle:
                sock.close()


def test_an_idle_or_trickling_body_is_cut_off_at_the_read_deadline(
    fake_slack: FakeSlack, db_url: str, tmp_path: Path
) -> None:
    with (
        serve_http(fake_slack, db_url, tmp_path, POLICYBOT_REQUEST_READ_TIMEOUT_MS="500") as s,
        open_connection(s.port) as idle,
        open_connection(s.port) as trickle,
    ):
        idle.sendall(request_head(1_000_000, _plausible()))
        trickle.sendall(request_head(1_000_000, _plausible()))
        with contextlib.suppress(OSError):  # until the server has had enough
            for _ in range(20):  # a byte at a time, each well inside any per-read timeout
                trickle.sendall(b"x")
                time.sleep(0.1)
        assert status_of(trickle, timeout=10) == 408
        assert status_of(idle, timeout=10) == 408
    assert _slack_calls(fake_slack) == []


@pytest.mark.parametrize("size", [10_000_000, 40_000_000], ids=["10MB", "40MB"])
def test_a_huge_unsigned_body_is_refused_without_growing_the_process(
    size: int, fake_slack: FakeSlack, db_url: str, tmp_path: Path
) -> None:
    with serve_http(fake_slack, db_url, tmp_path) as s:
        before = s.settled_rss_bytes()
        with open_connection(s.port) as sock:
            sock.sendall(request_head(size))
            assert status_of(sock) == 413  # answered on the head alone
            sent = _push(sock, size)  # the client goes on sending: nobody reads it
        after = s.rss_bytes()
        growth = after - before
        # What a refusal touches is bounded by what reached the socket before its reading side
        # was shut: one thread's malloc arena, 0.5 MB after 2.9 MB sent and 4.0-4.2 MB after
        # 6-8 MB (smaps), the same for both bodies; 4 MiB was that noise's edge. The bound
        # stays below either body's size.
        assert growth < 8 * 1024 * 1024, f"grew {growth / 1e6:.1f} MB after {sent / 1e6:.1f} MB"
        # Still answering.
        assert SlackDriver(s.events_url, fake_slack).command("UEMP0002", "help").status == 200


def _push(sock: socket.socket, size: int) -> int:
    sock.settimeout(2)
    chunk, sent = b"payload=" + b"A" * 65536, 0
    try:
        while sent < size:
            sock.sendall(chunk)
            sent += len(chunk)
    except OSError:  # the server closed its side: the rest never leaves the client
        pass
    return sent
