"""Scheduled jobs: work due at a moment (a reminder, a digest), run exactly once.

A job's key names what it is about (`deadline-soon:identity:U123:2026-12-18`): scheduling
the same key again does nothing, so a planner may look at the state of things on every turn
and nobody gets the same reminder twice. A job is claimed by whichever instance runs it
(`bot.storage.claims`: SKIP LOCKED, a lease) and marked done (`finish`) in the transaction
that writes what it says to Slack, conditionally on its claim: of two runs of one job exactly
one commits. A run that died leaves its lease to run out; then another run takes the job.

A *considerate* job (every reminder) waits for a moment that may disturb people: a working
day outside the quiet hours (`bot.schedule.Calendar`). The turn (`take_turn`) is a row of
its own, claimed the same way: one instance at a time looks for due work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.storage import claims
from bot.storage.models.rhythm import ScheduledJob
from bot.storage.writes import insert_once, rows_changed

log = logging.getLogger(__name__)
PENDING, DONE, SKIPPED, FAILED = "pending", "done", "skipped", "failed"
LEASE = timedelta(minutes=2)  # a run holds its job this long (renewed); then it is due again
TURN_LEASE = timedelta(minutes=5)  # a turn holds the scheduler this long (renewed)
MAX_ATTEMPTS = 5  # a job whose runs died (or failed) this often is given up, logged
KEEP = timedelta(days=180)  # finished jobs are remembered (their keys refuse repeats) this long
TURN = "scheduler:turn"  # the key of the row whose claim is the scheduler's turn


class AlreadyDone(Exception):
    """Another run has finished the job (this run's lease ran out): its effects must not
    commit."""


@dataclass(frozen=True)
class Job:
    """A claimed job, as its runner sees it."""

    id: int
    key: str
    kind: str
    args: dict[str, Any]
    due_at: datetime
    claim: str
    attempts: int

    @classmethod
    def of(cls, row: ScheduledJob) -> Job:
        return cls(
            int(row.id),
            row.key,
            row.kind,
            dict(row.args or {}),
            row.due_at,
            str(row.claim),
            int(row.attempts),
        )


def schedule(
    session: Session,
    key: str,
    kind: str,
    due_at: datetime,
    *,
    now: datetime,
    args: dict[str, Any] | None = None,
    considerate: bool = True,
) -> bool:
    """Schedule `kind` with `args` at `due_at` under `key`, unless that key was scheduled
    before (done or not); True when this call scheduled it."""
    return insert_once(
        session,
        ScheduledJob,
        key=key[:160],
        kind=kind,
        args=args or {},
        due_at=due_at,
        considerate=considerate,
        state=PENDING,
        attempts=0,
        created_at=now,
    )


def cancel(session: Session, key: str, now: datetime) -> bool:
    """A pending job is no longer wanted (its deadline moved): skipped, its key kept."""
    statement = (
        update(ScheduledJob)
        .where(ScheduledJob.key == key, ScheduledJob.state == PENDING)
        .values(state=SKIPPED, finished_at=now, args={}, lease_until=None)
    )
    return rows_changed(session.execute(statement)) == 1


def cancel_prefix(session: Session, prefix: str, keep: str | None, now: datetime) -> int:
    """Skip every pending job whose key starts with `prefix`, except `keep`."""
    query = select(ScheduledJob.key).where(
        ScheduledJob.state == PENDING, ScheduledJob.key.startswith(prefix, autoescape=True)
    )
    return sum(cancel(session, key, now) for key in session.scalars(query) if key != keep)


def _due(now: datetime, may_disturb: bool) -> Any:
    ready = (
        (ScheduledJob.state == PENDING)
        & (ScheduledJob.key != TURN)
        & (ScheduledJob.due_at <= now)
        & claims.lease_free(ScheduledJob, now)
    )
    return ready if may_disturb else ready & ScheduledJob.considerate.is_(False)


def claim_due(
    session: Session, *, claimant: str, now: datetime, may_disturb: bool, limit: int = 20
) -> list[Job]:
    """Claim the jobs due now, oldest first; considerate ones only when `may_disturb`. Jobs
    that died or failed MAX_ATTEMPTS times are given up first."""
    gave_up = session.execute(
        update(ScheduledJob)
        .where(_due(now, True), ScheduledJob.attempts >= MAX_ATTEMPTS)
        .values(state=FAILED, finished_at=now, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(gave_up):
        log.error(
            "gave up %d scheduled job(s) after %d attempts", rows_changed(gave_up), MAX_ATTEMPTS
        )
    rows = claims.claim_rows(
        session,
        ScheduledJob,
        _due(now, may_disturb),
        claimant=claimant,
        claim=claims.new_token(),
        now=now,
        lease=LEASE,
        limit=limit,
        also={"attempts": ScheduledJob.attempts + 1},
    )
    return [Job.of(row) for row in rows]


def finish(session: Session, job: Job, now: datetime, *, state: str = DONE) -> None:
    """In the transaction of the job's effects: it is done (or skipped: nothing to say any
    more). Raises AlreadyDone when this run no longer holds it."""
    statement = (
        update(ScheduledJob)
        .where(claims.held(ScheduledJob, job.id, job.claim), ScheduledJob.state == PENDING)
        .values(state=state, finished_at=now, lease_until=None, args={}, error=None)
    )
    if rows_changed(session.execute(statement)) != 1:
        raise AlreadyDone(job.key)


def failed(session: Session, job: Job, now: datetime, error: str) -> None:
    """The run raised: due again after a back-off (given up after MAX_ATTEMPTS)."""
    wait = timedelta(minutes=2 ** min(job.attempts, 8))
    session.execute(
        update(ScheduledJob)
        .where(claims.held(ScheduledJob, job.id, job.claim), ScheduledJob.state == PENDING)
        .values(due_at=now + wait, lease_until=None, claim=None, error=error[:200])
    )


def renew(session: Session, jobs: list[Job], now: datetime) -> None:
    claims.renew(session, ScheduledJob, [(j.id, j.claim) for j in jobs], now, LEASE)


def release(session: Session, claimant: str) -> int:
    """A restarted instance's unfinished jobs (and its turn) are free at once."""
    return claims.release(session, ScheduledJob, claimant, ScheduledJob.state == PENDING)


# -- the turn: one instance at a time looks for due work ---------------------------------------
@dataclass(frozen=True)
class Turn:
    claim: str


def take_turn(
    session: Session, *, claimant: str, now: datetime, force: bool = False
) -> Turn | None:
    """The scheduler's turn, when no other instance has it and it is due (`force`: now,
    whenever the last turn was: `policybot tick`); None otherwise."""
    schedule(session, TURN, "turn", now, now=now, considerate=False)
    ready = (ScheduledJob.key == TURN) & claims.lease_free(ScheduledJob, now)
    if not force:
        ready = ready & (ScheduledJob.due_at <= now)
    token = claims.new_token()
    taken = claims.claim_rows(
        session,
        ScheduledJob,
        ready,
        claimant=claimant,
        claim=token,
        now=now,
        lease=TURN_LEASE,
        limit=1,
    )
    return Turn(token) if taken else None


def keep_turn(session: Session, turn: Turn, now: datetime) -> bool:
    """Renew the turn's lease; False when it was lost (the lease ran out and another took it)."""
    statement = (
        update(ScheduledJob)
        .where(ScheduledJob.key == TURN, ScheduledJob.claim == turn.claim)
        .values(lease_until=now + TURN_LEASE)
    )
    return rows_changed(session.execute(statement)) == 1


def end_turn(session: Session, turn: Turn, now: datetime, next_turn: datetime) -> None:
    """The turn is over: the next one is due at `next_turn`, at whichever instance."""
    session.execute(
        update(ScheduledJob)
        .where(ScheduledJob.key == TURN, ScheduledJob.claim == turn.claim)
        .values(lease_until=None, due_at=next_turn, finished_at=now)
    )


# -- reading and housekeeping ------------------------------------------------------------------
def state_of(session: Session, key: str) -> str | None:
    return session.scalar(select(ScheduledJob.state).where(ScheduledJob.key == key))


def pending(session: Session) -> list[tuple[str, str, datetime]]:
    """The jobs still to run: (key, kind, due at), soonest first."""
    query = (
        select(ScheduledJob.key, ScheduledJob.kind, ScheduledJob.due_at)
        .where(ScheduledJob.state == PENDING, ScheduledJob.key != TURN)
        .order_by(ScheduledJob.due_at, ScheduledJob.id)
    )
    return [(key, kind, due) for key, kind, due in session.execute(query)]


def forget_old(session: Session, now: datetime) -> int:
    result = session.execute(
        delete(ScheduledJob).where(
            ScheduledJob.state != PENDING, ScheduledJob.finished_at < now - KEEP
        )
    )
    return rows_changed(result)
