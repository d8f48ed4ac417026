"""A thread pool that knows when it has nothing left to do.

Bolt answers the HTTP request as soon as a listener calls `ack()` and finishes the listener in
its `listener_executor`. The shell and the tests need to know when the bot has *finished*
reacting (posted, updated, reacted) before they look at what it did; polling with sleeps would
be slow and flaky, so the executor counts submitted-but-unfinished work instead.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from bot import metrics
from runtime import requests

T = TypeVar("T")
_INLINE: ContextVar[bool] = ContextVar("policybot_inline_listener", default=False)


@contextmanager
def listener_inline() -> Iterator[None]:
    """The next task submitted from this block runs at once, in this thread: a request already
    handled in an executor thread (`runtime.event_door`) starts its listener without handing
    it to another thread (which would cost a switch of threads, and a place in the queue)."""
    token = _INLINE.set(True)
    try:
        yield
    finally:
        _INLINE.reset(token)


class TrackingExecutor(ThreadPoolExecutor):
    """`ThreadPoolExecutor` with `wait_idle()`: blocks until every submitted task has ended.

    A task runs in a copy of the context it was submitted from, so the request it belongs to
    (`runtime.requests`) is still known on its log lines, and the request stays open until
    the task has ended. `pending` (queued and running) is also `policybot_executor_pending`.
    """

    def __init__(
        self, max_workers: int | None = None, thread_name_prefix: str = "policybot-listener"
    ) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix=thread_name_prefix)
        self._pending = 0
        self._changed = threading.Condition()

    @property
    def pending(self) -> int:
        with self._changed:
            return self._pending

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        if _INLINE.get():
            _INLINE.set(False)  # the first only: what that task submits is queued as usual
            done: Future[T] = Future()
            try:
                done.set_result(fn(*args, **kwargs))
            except BaseException as error:  # Bolt's runner has handled its own; kept as a
                done.set_exception(error)  # queued task's would be
            return done
        # Counted before the task is queued, so work that submits more work never lets the
        # count touch zero in between: the child is counted before the parent is done.
        with self._changed:
            self._pending += 1
        metrics.executor_pending.inc()
        scope = requests.current()
        if scope is not None:
            scope.hold()
        context = contextvars.copy_context()

        def run() -> T:
            try:
                return context.run(fn, *args, **kwargs)
            finally:
                if scope is not None:  # before the task counts as done: its line is written
                    scope.release()
                self._finished()

        try:
            return super().submit(run)
        except BaseException:  # shut down: the task will never run, so it is not pending
            self._finished()
            if scope is not None:
                scope.release()
            raise

    def submit_later(self, fn: Callable[..., Any], /, *args: Any) -> Callable[[], None]:
        """Work counted as pending from now, submitted when the returned function is called:
        an event is handed to the app only once its ack is written (`runtime.event_door`),
        and `wait_idle` must not see nothing pending in between."""
        with self._changed:
            self._pending += 1
        metrics.executor_pending.inc()

        def submit() -> None:
            try:
                self.submit(fn, *args)
            finally:
                self._finished()  # the reservation: the submitted task counts itself

        return submit

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """True once nothing is pending; False if work is still running after `timeout` s."""
        with self._changed:
            return self._changed.wait_for(lambda: self._pending == 0, timeout=timeout)

    def _finished(self) -> None:
        metrics.executor_pending.dec()
        with self._changed:
            self._pending -= 1
            self._changed.notify_all()
