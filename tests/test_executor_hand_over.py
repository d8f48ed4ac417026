"""What the door hands over once an ack is written (`TrackingExecutor.submit_later`): run at
once in the server's own thread when nothing else is pending, queued for a listener thread
when other work is in flight (the server's threads stay free for acks), refused once the
pool is shut down (the record is left to the inbox). Counted as pending throughout, so
`wait_idle` never sees nothing pending while it runs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest

from runtime.executor import TrackingExecutor


@pytest.fixture
def executor() -> Iterator[TrackingExecutor]:
    pool = TrackingExecutor(max_workers=2)
    yield pool
    pool.shutdown(wait=True)


def test_with_nothing_pending_the_work_runs_in_the_calling_thread(
    executor: TrackingExecutor,
) -> None:
    ran: list[tuple[threading.Thread, int]] = []
    hand_over = executor.submit_later(
        lambda: ran.append((threading.current_thread(), executor.pending))
    )
    assert executor.pending == 1  # reserved before the ack is written
    hand_over()
    assert ran == [(threading.current_thread(), 1)]  # still counted while it ran
    assert executor.pending == 0
    assert executor.wait_idle(1)


def test_with_other_work_in_flight_the_work_is_queued_for_a_listener_thread(
    executor: TrackingExecutor,
) -> None:
    release = threading.Event()
    executor.submit(release.wait, 5)  # an answer still being worked out
    ran: list[threading.Thread] = []
    done = threading.Event()

    def work() -> None:
        ran.append(threading.current_thread())
        done.set()

    executor.submit_later(work)()
    assert done.wait(5)
    assert ran and ran[0] is not threading.current_thread()
    release.set()
    assert executor.wait_idle(5)


def test_a_failure_run_in_the_calling_thread_is_logged_not_raised(
    executor: TrackingExecutor, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise ValueError("the listener's own bug")

    with caplog.at_level(logging.ERROR, logger="runtime.executor"):
        executor.submit_later(broken)()  # the server's thread goes on to the next request
    assert "the listener's own bug" in caplog.text
    assert executor.pending == 0


def test_after_shutdown_the_hand_over_is_refused_not_run(executor: TrackingExecutor) -> None:
    ran: list[int] = []
    hand_over = executor.submit_later(lambda: ran.append(1))
    executor.shutdown(wait=True)
    with pytest.raises(RuntimeError):
        hand_over()  # the door logs it and leaves the record to the inbox
    assert ran == []
    assert executor.pending == 0
