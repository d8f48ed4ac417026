"""The inbox: every request Slack sends is recorded here before it is acknowledged, and its
work runs from that record, once, whichever instance takes it and whenever a process dies.

A record's key makes the request idempotent: a redelivered event or a replayed request finds
its key taken (`take_in` answers None). The record is *claimed* by whoever runs it: a fresh
token and a lease. `finish` marks it done in the transaction of the work's own effects, and
only for the claim that holds it, so of two runs of one record (a lease that ran out while the
first was still busy, a restart that took its records back) exactly one commits its effects;
the other's transaction fails with `AlreadyDone` and leaves nothing behind.

What people typed stays in the record only until its work is done: `finish` clears the body.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, delete, or_, select, update
from sqlalchemy.orm import Session

from bot.storage import claims
from bot.storage.json_text import Encoded
from bot.storage.models.delivery import InboxRecord
from bot.storage.prepared import Prepared
from bot.storage.writes import insert_for, rows_changed

log = logging.getLogger(__name__)
PENDING, DONE, FAILED = "pending", "done", "failed"
LEASE = timedelta(seconds=30)  # renewed while the work runs; after a crash, others wait this long
KEEP = timedelta(days=1)  # keys outlive Slack's retries (minutes) and its 5-minute replay window
MAX_ATTEMPTS = 5  # a record that took down its process this often is given up


class AlreadyDone(Exception):
    """Another run of the same record has finished it: this run's effects must not commit."""


@dataclass(frozen=True)
class Claim:
    """The right to finish one record: its id and the token of this run."""

    record: int
    token: str


@dataclass(frozen=True)
class Taken:
    """A record claimed to be run again: what the request said."""

    claim: Claim
    kind: str
    body: dict[str, Any]
    headers: dict[str, str]
    attempts: int


new_token = claims.new_token
INBOX = cast(Table, InboxRecord.__table__)


def take_in(
    within: Session | Connection,
    key: str,
    kind: str,
    body: dict[str, Any] | Encoded,
    headers: dict[str, str],
    *,
    claimant: str,
    now: datetime,
) -> Claim | None:
    """Record a request and claim it for the caller; None when its key is taken (a redelivery
    or a replay), at this instance or any other. In the caller's transaction: a session's, or
    a bare connection's (the door's, `runtime.intake`). `body` may be the request's own JSON
    text (`Encoded`), stored as it came."""
    token = new_token()
    values = {
        "key": key,
        "kind": kind,
        "body": body,
        "headers": headers,
        "received_at": now,
        "state": PENDING,
        "claim": token,
        "claimed_by": claimant,
        "lease_until": now + LEASE,
        "attempts": 1,
    }
    connection = within.connection() if isinstance(within, Session) else within
    record = _TAKE_IN.run(connection, values).scalar()
    return Claim(int(record), token) if record is not None else None


# Core, not the ORM's bulk INSERT, prepared once per backend (`bot.storage.prepared`): this
# is the one statement before the ack, and the ORM's machinery around it (cache keys, bulk
# persistence, parameter processing) cost more than the INSERT.
_TAKE_IN = Prepared(
    lambda dialect: insert_for(dialect.name, INBOX).on_conflict_do_nothing().returning(INBOX.c.id)
)


def _finish_statement(state: str, now: datetime) -> Any:
    return (
        update(InboxRecord)
        .where(InboxRecord.state == PENDING)
        .values(state=state, body=None, headers=None, finished_at=now, lease_until=None)
    )


# `finish`, once per request on the answer's way: prepared once, bound at each run with
# `Finishing.values`. `FINISHING` is the same done mark for a statement that also writes
# something else (`outbox.write`'s `finishing`: on PostgreSQL a WITH of its own, RETURNING
# the record's id when the claim still held it).
_DONE_MARK = claims.held_update(
    INBOX,
    PENDING,
    state=bindparam("b_state"),
    body=None,
    headers=None,
    finished_at=bindparam("b_now"),
    lease_until=None,
)
_FINISH = Prepared(_DONE_MARK)
FINISHING = _DONE_MARK.returning(INBOX.c.id)


@dataclass(frozen=True)
class Finishing:
    """A record's done mark still to make, in the transaction of the work's effects."""

    claim: Claim
    now: datetime
    failed: bool = False

    def values(self) -> dict[str, Any]:
        """The parameters of `FINISHING` (and of `finish`'s statement)."""
        state = FAILED if self.failed else DONE
        return {
            "b_id": self.claim.record,
            "b_claim": self.claim.token,
            "b_now": self.now,
            "b_state": state,
        }


def finish(session: Session, claim: Claim, now: datetime, *, failed: bool = False) -> None:
    """Mark the record done (or failed) in the caller's transaction; raises AlreadyDone when
    this claim no longer holds it, so the caller's effects roll back."""
    params = Finishing(claim, now, failed).values()
    # On the session's connection: one UPDATE, without the ORM's bulk machinery.
    if rows_changed(_FINISH.run(session.connection(), params)) != 1:
        raise AlreadyDone(f"inbox record {claim.record}")


def finish_many(
    session: Session, claims: list[Claim], now: datetime, *, failed: bool = False
) -> int:
    """Mark records done whose work changed nothing (or failed ones); those another run has
    finished meanwhile are left as they are."""
    changed = 0
    for claim in claims:
        statement = _finish_statement(FAILED if failed else DONE, now).where(
            InboxRecord.id == claim.record, InboxRecord.claim == claim.token
        )
        changed += rows_changed(session.connection().execute(statement))
    return changed


def due(now: datetime) -> Any:
    return (InboxRecord.state == PENDING) & claims.lease_free(InboxRecord, now)


# The background loop's look, every second, for records to run again (usually none):
# prepared once (`bot.storage.prepared`), not built at each poll.
_NOW = bindparam("b_now", type_=INBOX.c.lease_until.type)
_ANY_DUE = Prepared(
    select(INBOX.c.id)
    .where(
        INBOX.c.state == PENDING,
        or_(INBOX.c.lease_until.is_(None), INBOX.c.lease_until < _NOW),
    )
    .limit(1)
)


def claim_due(session: Session, *, claimant: str, now: datetime, limit: int = 20) -> list[Taken]:
    """Claim unfinished records nobody holds (their run died, or their lease ran out), oldest
    first. On PostgreSQL the rows are locked with SKIP LOCKED, so instances claiming at the
    same moment take different records; the UPDATE's own condition decides on SQLite."""
    if _ANY_DUE.run(session.connection(), {"b_now": now}).first() is None:
        return []  # the usual round: a read, no write (SQLite's one writer is not held up)
    gave_up = session.execute(
        _finish_statement(FAILED, now).where(due(now), InboxRecord.attempts >= MAX_ATTEMPTS)
    )
    if rows_changed(gave_up):
        log.error(
            "gave up %d inbox record(s) after %d attempts", rows_changed(gave_up), MAX_ATTEMPTS
        )
    token = new_token()
    rows = claims.claim_rows(
        session,
        InboxRecord,
        due(now),
        claimant=claimant,
        claim=token,
        now=now,
        lease=LEASE,
        limit=limit,
        also={"attempts": InboxRecord.attempts + 1},
    )
    return [
        Taken(Claim(int(row.id), token), row.kind, row.body or {}, row.headers or {}, row.attempts)
        for row in rows
    ]


def _held(claim: Claim) -> Any:
    return (
        (InboxRecord.id == claim.record)
        & (InboxRecord.claim == claim.token)
        & (InboxRecord.state == PENDING)
    )


def renew(session: Session, claims: list[Claim], now: datetime) -> None:
    """Extend the leases of records this instance is still working on."""
    for claim in claims:
        session.execute(update(InboxRecord).where(_held(claim)).values(lease_until=now + LEASE))


def run_again(session: Session, claims: list[Claim]) -> None:
    """These runs lost a race with another writer (and rolled back): their records are due
    again at once, to be run from a fresh read."""
    for claim in claims:
        session.execute(update(InboxRecord).where(_held(claim)).values(lease_until=None))


def release(session: Session, claimant: str) -> int:
    """A restarted instance's records are due at once: the run that held them is dead."""
    return claims.release(session, InboxRecord, claimant, InboxRecord.state == PENDING)


def forget_old(session: Session, now: datetime) -> int:
    """Finished records past KEEP: their keys no longer need to refuse anything."""
    result = session.execute(
        delete(InboxRecord).where(
            InboxRecord.state != PENDING, InboxRecord.finished_at < now - KEEP
        )
    )
    return rows_changed(result)


def state_of(session: Session, record: int) -> str | None:
    return session.scalar(select(InboxRecord.state).where(InboxRecord.id == record))
