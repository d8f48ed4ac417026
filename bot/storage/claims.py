"""Claiming rows with a lease: the one way work shared by every instance is taken by one of
them (the inbox, the outbox and the scheduled jobs).

A claimable row has `id`, `claim` (a fresh token per run), `claimed_by` (which instance) and
`lease_until`. `claim_rows` takes the ready rows nobody holds: on PostgreSQL it locks them
with `FOR UPDATE SKIP LOCKED`, so instances claiming at the same moment take different rows
instead of waiting for each other; on SQLite (one writer at a time) the UPDATE's own
condition decides. Whoever holds a claim finishes the row in the transaction of its effects,
conditionally on the claim (`held`), so of two runs of one row exactly one commits. A run
that dies leaves its lease to run out; then the row is ready again for anyone.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Table, bindparam, or_, select, update
from sqlalchemy.orm import Session

from bot.storage.base import Base
from bot.storage.writes import rows_changed

M = TypeVar("M", bound=Base)


def new_token() -> str:
    """A claim's token: a run of its own, told apart from every other run of the same row."""
    return secrets.token_hex(8)


def lease_free(model: Any, now: datetime) -> ColumnElement[bool]:
    """Nobody holds the row: never claimed, released, or its lease has run out."""
    return or_(model.lease_until.is_(None), model.lease_until < now)


def held(model: Any, row_id: int, claim: str) -> ColumnElement[bool]:
    """The row is still the caller's: the condition of every write a claim makes."""
    result: ColumnElement[bool] = (model.id == row_id) & (model.claim == claim)
    return result


def held_update(table: Table, pending: str, **values: Any) -> Any:
    """UPDATE one row of `table` while it is `pending` and the claim given holds it: built
    once (for a statement every request runs), bound at each run with `b_id`, `b_claim` and
    the bindparams in `values`."""
    return (
        update(table)
        .where(
            table.c.id == bindparam("b_id"),
            table.c.claim == bindparam("b_claim"),
            table.c.state == pending,
        )
        .values(**values)
    )


def claim_rows(
    session: Session,
    model: type[M],
    ready: ColumnElement[bool],
    *,
    claimant: str,
    claim: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    also: dict[str, Any] | None = None,
) -> list[M]:
    """Claim the oldest `limit` rows that are `ready` (a condition that includes
    `lease_free`): lock them (SKIP LOCKED: rows another instance is claiming are left to it),
    then set the claim, the lease and `also` where they are still ready. The claimed rows, in
    order of id."""
    table: Any = model
    ids = list(
        session.scalars(
            select(table.id)
            .where(ready)
            .order_by(table.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if not ids:
        return []
    values = {"claim": claim, "claimed_by": claimant, "lease_until": now + lease} | (also or {})
    rows = session.scalars(
        update(model)
        .where(table.id.in_(ids), ready)
        .values(**values)
        .returning(model)
        .execution_options(synchronize_session=False)
    ).all()
    return sorted(rows, key=lambda row: int(getattr(row, "id", 0)))


def renew(
    session: Session, model: Any, claims: list[tuple[int, str]], now: datetime, lease: timedelta
) -> int:
    """Extend the leases of rows still held (the work on them goes on)."""
    changed = 0
    for row_id, claim in claims:
        statement = update(model).where(held(model, row_id, claim)).values(lease_until=now + lease)
        changed += rows_changed(session.execute(statement))
    return changed


def release(session: Session, model: Any, claimant: str, unfinished: ColumnElement[bool]) -> int:
    """A restarted instance's unfinished rows are ready at once: the run that held them is
    dead (others wait for the lease to run out)."""
    statement = (
        update(model)
        .where(model.claimed_by == claimant, unfinished)
        .values(lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(session.execute(statement))
