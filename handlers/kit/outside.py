"""Ask outside first: a request's unit of work that finds it needs something only Slack or a
language model can say ends (rolled back, before it has asked anyone) by raising
`OutsideFirst` with an `Errand`, the typed request for what to fetch; the errand is run with
no transaction open, and the work runs again in a new unit of work, handed what was learned.

Why not ask inside: on SQLite a unit of work that has written holds the writer turn every
other request's write waits for (another person's ack included); on PostgreSQL any unit of
work holds a transaction and a pooled connection. Slack takes up to seconds, a model more.

`first_outside` is the one loop. Each errand fills a field of the work's `ahead` that the
check raising it reads, and the check raises only while that field is empty, so each kind of
errand is run at most once and a flow with N kinds needs at most N + 1 runs: the caller
names that bound, and a run past it is a defect (a check that does not look at what it was
handed), raised, never an endless loop.

An errand whose learning the request context keeps (a person's profile: `kit.asker`,
`kit.people`), not `ahead`, may meet a `first_outside` called inside a unit of work already
open (an adoption's follow-up, run in its completion step's): that unit of work cannot roll
back alone, so the errand goes to the `first_outside` that opened it, which runs it outside
and the whole work again (`kit.completions` runs every completion step so).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar, Generic, TypeVar

from bot.storage import Session
from bot.storage.transactions import retried
from handlers.kit.context import RequestContext

A = TypeVar("A")
T = TypeVar("T")


class Errand(ABC, Generic[A]):
    """What must be asked outside the database before the work runs again."""

    # What it learns is kept by the request context, `ahead` handed back as it came: it may
    # be run by the `first_outside` that opened the unit of work it was met in (see the module).
    kept_by_context: ClassVar[bool] = False

    @abstractmethod
    def run(self, ctx: RequestContext, ahead: A) -> A:
        """Ask it now (no transaction open); `ahead` with what was learned."""


class OutsideFirst(Exception):  # noqa: N818 (not an error: a way out of the unit of work)
    """Raised in a unit of work before it has asked Slack or a model anything, to have
    `errand` run outside it (`first_outside` catches it). What the unit of work wrote before
    rolls back, and is written again in the next run."""

    def __init__(self, errand: Errand[Any]) -> None:
        super().__init__(f"asked outside the unit of work first: {type(errand).__name__}")
        self.errand = errand


def first_outside(
    ctx: RequestContext,
    work: Callable[[Session, A], T],
    ahead: A,
    runs: int,
    *,
    retrying: bool = False,
) -> T:
    """`work(session, ahead)` in the request's unit of work, whose session it is handed (so
    it opens none of its own); each time it raises `OutsideFirst`, that unit of work rolls
    back, its errand runs with no transaction open, and `work` runs again in a new one with
    what was learned; at most `runs` runs (see the module). `retrying`: a run a concurrent
    writer made fail is run again from a fresh read (`RequestContext.retrying`), not counted
    as one of `runs`."""

    if ctx.within_unit_of_work():
        return _within(ctx, work, ahead)

    def run_once(ahead: A) -> T:
        with ctx.unit_of_work() as session:
            return work(session, ahead)

    for run in range(1, runs + 1):
        try:
            return retried(partial(run_once, ahead)) if retrying else run_once(ahead)
        except OutsideFirst as first:
            if run == runs:
                raise RuntimeError(f"asked outside again after {runs} runs") from first
            ahead = first.errand.run(ctx, ahead)
    raise ValueError("runs must be at least 1")


def _within(ctx: RequestContext, work: Callable[[Session, A], T], ahead: A) -> T:
    """`work` in the unit of work already open: its errand is the enclosing loop's to run,
    which it can only be when the context keeps what it learns."""
    with ctx.unit_of_work() as session:
        try:
            return work(session, ahead)
        except OutsideFirst as first:
            if not first.errand.kept_by_context:
                raise RuntimeError(
                    f"{type(first.errand).__name__} met inside an open unit of work"
                ) from first
            raise
