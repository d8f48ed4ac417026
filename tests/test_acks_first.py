"""Acks go first (`runtime.acks_first`): a DM's answer handed over after its ack waits while
requests are being acknowledged, until they are or its bound has passed; nothing else waits,
and every request the gate sees is counted off once its response is written."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_sdk.signature import SignatureVerifier

from runtime.acks_first import AcksFirst
from runtime.executor import TrackingExecutor
from runtime.gate import RequestGate
from tests.driver import ERIK, SIGNING_SECRET, SlackDriver
from tests.seed import adopt


class SteppedClock:
    """A monotonic clock only the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Until `condition` holds (the other thread has got there); fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "never got there"
        time.sleep(0.001)


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock()


@pytest.fixture
def executor(clock: SteppedClock) -> Iterator[TrackingExecutor]:
    pool = TrackingExecutor(max_workers=2, acks_first=AcksFirst(hold=0.005, clock=clock))
    yield pool
    pool.shutdown(wait=True)


def test_an_answer_with_no_ack_in_flight_starts_at_once(executor: TrackingExecutor) -> None:
    ran: list[str] = []
    executor.submit_later(ran.append, "answer")()
    assert executor.wait_idle(10)
    assert ran == ["answer"]
    assert executor.acks_first is not None and executor.acks_first.held == 0


def _held_back(executor: TrackingExecutor) -> tuple[AcksFirst, list[str]]:
    """An ack in flight, and an answer handed over meanwhile, held back: what it has done."""
    first = executor.acks_first
    assert first is not None
    ran: list[str] = []
    first.started()
    executor.submit_later(ran.append, "answer")()
    until(lambda: first.held == 1)
    return first, ran


def test_an_answer_held_back_by_an_ack_starts_when_the_ack_is_written(
    executor: TrackingExecutor,
) -> None:
    first, ran = _held_back(executor)
    assert ran == [] and executor.pending == 1  # waiting, and still counted (a drain waits)
    first.answered()
    assert executor.wait_idle(10)
    assert ran == ["answer"] and first.held == 0


def test_an_answer_held_back_starts_after_its_bound_though_acks_go_on(
    executor: TrackingExecutor, clock: SteppedClock
) -> None:
    first, ran = _held_back(executor)
    clock.now += 0.004  # within its bound: it still waits
    assert not executor.wait_idle(0.05) and ran == []
    clock.now += 0.002  # past its bound
    assert executor.wait_idle(10)
    assert ran == ["answer"] and first.acking == 1  # the ack is still being written
    first.answered()


def test_work_submitted_directly_never_waits_for_acks(executor: TrackingExecutor) -> None:
    # A command's listener runs in the executor while its request thread waits for its ack.
    first = executor.acks_first
    assert first is not None
    first.started()
    assert executor.submit(lambda: "listener").result(timeout=10) == "listener"
    assert first.held == 0
    first.answered()


def _signed_environ(body: dict[str, Any]) -> dict[str, Any]:
    raw = json.dumps(body).encode()
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(
        timestamp=timestamp, body=raw.decode()
    )
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(raw)),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": timestamp,
        "HTTP_X_SLACK_SIGNATURE": signature,
        "wsgi.input": io.BytesIO(raw),
    }


def test_the_gate_counts_an_early_answer_until_it_is_written_then_hands_over() -> None:
    first = AcksFirst()
    seen: list[tuple[str, int]] = []

    def early(body: dict[str, Any], environ: dict[str, Any]) -> tuple[int, Callable[[], None]]:
        seen.append(("recording", first.acking))
        return 200, lambda: seen.append(("handed over", first.acking))

    def bolt(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        raise AssertionError("an early answer never reaches Bolt")

    gate = RequestGate(
        bolt, path="/slack/events", signing_secret=SIGNING_SECRET, max_bytes=10_000,
        read_timeout=5.0, early=early, acks=first,
    )  # fmt: skip
    statuses: list[str] = []
    answer = gate(_signed_environ({"type": "event_callback"}), lambda s, h: statuses.append(s))
    assert statuses == ["200 OK"] and first.acking == 1  # written by the server, not yet closed
    answer.close()  # type: ignore[attr-defined]  # the server, once the response is written
    assert seen == [("recording", 1), ("handed over", 0)]


def test_the_gate_counts_off_bolts_answers_refusals_and_failures() -> None:
    first = AcksFirst()

    def bolt(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        assert first.acking == 1
        if b"fail" in environ["wsgi.input"].getvalue():
            raise RuntimeError("Bolt failed")
        start_response("200 OK", [])
        return [b""]

    gate = RequestGate(
        bolt, path="/slack/events", signing_secret=SIGNING_SECRET, max_bytes=10_000,
        read_timeout=5.0, early=lambda body, environ: None, acks=first,
    )  # fmt: skip
    assert gate(_signed_environ({"command": "/policy"}), lambda s, h: None) == [b""]
    assert first.acking == 0
    unsigned = _signed_environ({"command": "/policy"}) | {"HTTP_X_SLACK_SIGNATURE": "v0=bad"}
    assert gate(unsigned, lambda s, h: None) == [b"bad signature"]
    assert first.acking == 0
    with pytest.raises(RuntimeError, match="Bolt failed"):
        gate(_signed_environ({"fail": True}), lambda s, h: None)
    assert first.acking == 0


def test_a_served_app_counts_every_ack_off(running: SlackDriver) -> None:
    """Through the whole app (its gate, its door, Bolt): after DMs, a command and a refused
    request nothing is left counted as being acknowledged, so later answers are not held
    back for nothing."""
    adopt(running.db)
    running.dm(ERIK, "may I post this: our stand")
    running.dm(ERIK, "may I post this: our new office")
    running.command(ERIK, "help")
    assert running.post("{}", "application/json", headers={}).status == 401
    first = running.app.listener_executor.acks_first  # type: ignore[attr-defined]
    assert first.acking == 0 and first.held == 0
    assert len(running.fake.bot_messages(running.fake.im_for(ERIK))) == 2
