"""Housekeeping on the schedule, not per request: the question log's retention purge, and
forgetting finished inbox records, outbox rows and scheduled jobs.

Each chore runs in the scheduler's turn (`handlers.kit.scheduler.Scheduler.turn`: `serve`
on its own, or `policybot tick` from cron), one instance at a time, in a transaction of its
own, when its last run (a `housekeeping_marks` row, shared by every instance) is at least
`every` ago by the scheduler's clock. A request never waits for one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot import inbox, outbox
from bot.asking import question_log
from bot.scheduling import jobs
from bot.storage.models.asking import HousekeepingMark
from bot.storage.writes import upsert

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Chore:
    """`run(session, now, retention_days)` returns how many rows it changed."""

    name: str
    every: timedelta
    run: Callable[[Session, datetime, int], int]


def _forget_finished(session: Session, now: datetime, _days: int) -> int:
    return (
        inbox.forget_old(session, now)
        + outbox.forget_old(session, now)
        + jobs.forget_old(session, now)
    )


CHORES = (
    Chore(question_log.PURGE_JOB, question_log.PURGE_EVERY, question_log.purge_expired),
    Chore("housekeeping.forget_finished", timedelta(hours=1), _forget_finished),
)


def due(session: Session, chore: Chore, now: datetime) -> bool:
    mark = session.get(HousekeepingMark, chore.name)
    return mark is None or now - mark.last_run_at >= chore.every


def run_due(
    sessions: Callable[[], AbstractContextManager[Session]],
    now: datetime,
    retention_days: int,
    *,
    only: Collection[str] | None = None,
) -> dict[str, int]:
    """Every chore that is due (of those named `only`, when given), each in a transaction of
    its own (`sessions()`: a context manager giving one), its mark written with its work; one
    failing stops no other. What each changed, by name."""
    done: dict[str, int] = {}
    for chore in CHORES:
        if only is not None and chore.name not in only:
            continue
        try:
            with sessions() as session:
                if not due(session, chore, now):
                    continue
                done[chore.name] = chore.run(session, now, retention_days)
                upsert(session, HousekeepingMark, ["job"], job=chore.name, last_run_at=now)
        except Exception:
            log.exception("housekeeping %s failed; tried again at the next turn", chore.name)
    if any(done.values()):
        log.info("housekeeping: %s", ", ".join(f"{k} {v}" for k, v in done.items()))
    return done
