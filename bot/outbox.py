"""The outbox: what the bot says to Slack, written in the transaction of the work that says it,
so nothing is said for work that rolled back and nothing is lost for work that committed.

Rows are sent in order per `conversation` (a channel, a person's Home tab, a modal, a
response_url): only the oldest pending row of a conversation is ever due, so a later message
never overtakes one that Slack refused for now (429, 5xx) and that waits for its retry.

A row written by a request is claimed by that request's own thread at once (`write`), which
sends it right after the commit; anything it could not send, and anything a dead process had
claimed, is taken by a background sender (`take`). A row may name a completion step (`hook`)
to run with Slack's answer, for work that needs it (the ts of a drafting session's first post).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Table,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased

from bot import inbox
from bot.outbox_marks import sent_and_behind
from bot.storage import claims
from bot.storage.models.delivery import OutboxRow
from bot.storage.prepared import Prepared
from bot.storage.writes import rows_changed

PENDING, HOOK, SENT, FAILED = "pending", "hook", "sent", "failed"
OUTBOX = cast(Table, OutboxRow.__table__)
LEASE = timedelta(minutes=2)  # a sender holds a row this long; then it is due again
KEEP = timedelta(days=1)  # sent rows are kept (without their text) for the record
GIVE_UP_AFTER = timedelta(hours=24)  # Slack refused a row for this long: it is not sent
MAX_BACKOFF = 300.0  # seconds


@dataclass(frozen=True)
class Letter:
    """One call to make: `kind` (see `handlers.kit.courier`), its arguments, the order key,
    and optionally the completion step to run with Slack's answer."""

    kind: str
    conversation: str
    args: dict[str, Any]
    hook: str | None = None
    hook_args: dict[str, Any] | None = None


@dataclass(frozen=True)
class Queued:
    """A stored letter, as a sender needs it; `claim` is None when it is not the caller's."""

    id: int
    letter: Letter
    claim: str | None
    attempts: int
    created_at: datetime
    request: int | None = None
    result: dict[str, Any] | None = None  # Slack's answer, for a completion step still due


def backoff(attempts: int, retry_after: float | None) -> float:
    """Seconds to wait before the next try: what Slack asked (Retry-After), at least an
    exponential back-off of the attempts so far, at most five minutes."""
    exponential = min(float(2 ** max(attempts - 1, 0)), MAX_BACKOFF)
    return min(max(retry_after or 0.0, exponential), MAX_BACKOFF)


def _queued(row: Any) -> Queued:
    letter = Letter(row.kind, row.conversation, row.args or {}, row.then_hook, row.then_args)
    return Queued(
        int(row.id), letter, row.claim, row.attempts, row.created_at, row.request, row.result
    )


# The statements of every answer's `write`, built once and bound at each run: building them
# (and their cache keys) each time cost more than running them. An answer speaks in one
# conversation, with one row: for that, statements without an expanding IN (rendered again
# at every run) and a plain INSERT (not the many-rows form, whose SQL the driver converts
# at every run: py-spy on live workers, about 5 % of a DM's CPU together), prepared
# (`bot.storage.prepared`: no cache lookup, no SQLAlchemy parameter machinery).
_PENDING_IN = (OUTBOX.c.state == PENDING, OUTBOX.c.conversation.in_(bindparam("b_conversations")))
_PENDING_ONE = (OUTBOX.c.state == PENDING, OUTBOX.c.conversation == bindparam("b_conversation"))
_WAITING = select(OUTBOX.c.conversation).where(*_PENDING_IN).distinct()
_WAITING_ONE = Prepared(select(OUTBOX.c.conversation).where(*_PENDING_ONE).limit(1))
_WAITING_BUT_MADE = _WAITING.where(OUTBOX.c.id.not_in(bindparam("b_made")))
_WRITE = insert(OUTBOX).returning(OUTBOX.c.id, sort_by_parameter_order=True)
_WRITE_ONE = Prepared(insert(OUTBOX).returning(OUTBOX.c.id))


def _write_in_line(finishing: Any = None) -> Any:
    """One letter's INSERT that looks for an earlier pending row of its conversation itself:
    claimed for the caller when there is none, else unclaimed, in line for the background
    sender; RETURNING the id and the claim it got. One statement where the look and the
    INSERT were two (on PostgreSQL two round trips, on the answer's way). The look sees what
    a SELECT just before would have seen, and no more: the row it writes is not yet there.
    With `finishing` (a data-modifying statement RETURNING a row when it changed one,
    PostgreSQL only), that too, in a WITH of its own; RETURNING how many rows it changed."""

    # Its values are named `b_row_<column>`: a name that is a column's would make the
    # compiler add that column to the SET of an UPDATE in the WITH (as `Connection.execute`
    # takes an UPDATE's parameters for its columns).
    def given(name: str) -> Any:
        return bindparam(f"b_row_{name}", type_=OUTBOX.c[name].type)

    waiting = select(exists().where(*_PENDING_ONE).label("waiting")).subquery()
    values: dict[str, Any] = {
        "conversation": bindparam("b_conversation", type_=OUTBOX.c.conversation.type)
    }
    values |= {
        name: given(name)
        for name in ("kind", "args", "then_hook", "then_args", "request", "created_at")
    }
    values |= {"state": literal(PENDING), "attempts": literal(0)}
    values |= {
        name: case((waiting.c.waiting, null()), else_=given(name))
        for name in ("claim", "claimed_by", "lease_until")
    }
    row = select(*(value.label(name) for name, value in values.items())).select_from(waiting)
    statement = insert(OUTBOX).from_select(list(values), row)
    if finishing is None:
        return statement.returning(OUTBOX.c.id, OUTBOX.c.claim)
    finished = finishing.cte("finished")
    count = select(func.count()).select_from(finished).scalar_subquery()
    return statement.add_cte(finished).returning(OUTBOX.c.id, OUTBOX.c.claim, count)


_WRITE_IN_LINE = Prepared(_write_in_line())
_WRITE_IN_LINE_FINISHING = Prepared(_write_in_line(inbox.FINISHING))


def _waiting(
    connection: Connection, conversations: list[str], made: set[int] | frozenset[int]
) -> set[str]:
    """Which of `conversations` already wait for an earlier row (not one of `made`)."""
    if made:
        params = {"b_conversations": conversations, "b_made": sorted(made)}
        return set(connection.scalars(_WAITING_BUT_MADE, params))
    if len(conversations) == 1:
        return set(_WAITING_ONE.run(connection, {"b_conversation": conversations[0]}).scalars())
    return set(connection.scalars(_WAITING, {"b_conversations": conversations}))


def write(
    session: Session,
    letters: list[Letter],
    *,
    request: int | None,
    claimant: str,
    claim: str,
    now: datetime,
    made: set[int] | frozenset[int] = frozenset(),
    finishing: inbox.Finishing | None = None,
) -> list[Queued]:
    """Store `letters` in the caller's transaction, claimed for the caller to send right after
    the commit, except in conversations that already wait for an earlier row (those go in
    line, for the background sender). `made`: rows Slack already has, not yet marked sent.
    `finishing`: the inbox record's done mark too (as `inbox.finish`, raising
    `inbox.AlreadyDone` when the claim no longer holds it); for one letter on PostgreSQL in
    the same statement, one round trip on the answer's way where there were three."""
    connection = session.connection()
    queued: list[Queued] = []
    if len(letters) == 1 and not made:  # an answer: one row, its look folded into its INSERT
        # SQLite has no INSERT or UPDATE in a WITH: the done mark is its own statement there.
        together = finishing if connection.dialect.name == "postgresql" else None
        queued = [_write_one(connection, letters[0], request, claimant, claim, now, together)]
        finishing = None if together is not None else finishing
    elif letters:
        queued = _write_many(connection, letters, request, claimant, claim, now, made)
    if finishing is not None:
        inbox.finish(session, finishing.claim, finishing.now, failed=finishing.failed)
    return queued


def _write_many(
    connection: Connection,
    letters: list[Letter],
    request: int | None,
    claimant: str,
    claim: str,
    now: datetime,
    made: set[int] | frozenset[int],
) -> list[Queued]:
    conversations = sorted({letter.conversation for letter in letters})
    waiting = _waiting(connection, conversations, made)
    values = [
        {
            "conversation": letter.conversation,
            "kind": letter.kind,
            "args": letter.args,
            "then_hook": letter.hook,
            "then_args": letter.hook_args,
            "request": request,
            "state": PENDING,
            "attempts": 0,
            "claim": None if letter.conversation in waiting else claim,
            "claimed_by": None if letter.conversation in waiting else claimant,
            "lease_until": None if letter.conversation in waiting else now + LEASE,
            "created_at": now,
        }
        for letter in letters
    ]
    # Core on the session's connection: the ORM's bulk INSERT machinery cost more than the
    # INSERT itself, on every answer's way (one row: an answer while its conversation's
    # previous one is made but not yet marked sent).
    if len(values) == 1:
        ids: Sequence[Any] = [_WRITE_ONE.run(connection, values[0]).scalar_one()]
    else:
        ids = connection.execute(_WRITE, values).scalars().all()
    claims = [None if letter.conversation in waiting else claim for letter in letters]
    return [
        Queued(int(row_id), letter, mine, 0, now, request)
        for row_id, letter, mine in zip(ids, letters, claims, strict=True)
    ]


def _write_one(
    connection: Connection,
    letter: Letter,
    request: int | None,
    claimant: str,
    claim: str,
    now: datetime,
    finishing: inbox.Finishing | None,
) -> Queued:
    """`write` for one letter with nothing made but unmarked: one prepared statement (with
    the done mark, `finishing`, on PostgreSQL)."""
    params: dict[str, Any] = {
        "b_conversation": letter.conversation,
        "b_row_kind": letter.kind,
        "b_row_args": letter.args,
        "b_row_then_hook": letter.hook,
        "b_row_then_args": letter.hook_args,
        "b_row_request": request,
        "b_row_created_at": now,
        "b_row_claim": claim,
        "b_row_claimed_by": claimant,
        "b_row_lease_until": now + LEASE,
    }
    if finishing is None:
        row_id, mine = _WRITE_IN_LINE.run(connection, params).all()[0]
    else:
        params |= finishing.values()
        row_id, mine, finished = _WRITE_IN_LINE_FINISHING.run(connection, params).all()[0]
        if finished != 1:
            raise inbox.AlreadyDone(f"inbox record {finishing.claim.record}")
    return Queued(int(row_id), letter, mine, 0, now, request)


def _due(now: datetime) -> Any:
    return claims.lease_free(OutboxRow, now)


# Whether anything may be due: the background sender's poll, every second, usually finds
# nothing; this one prepared SELECT (`bot.storage.prepared`) answers that without building
# `take`'s and `hooks_due`'s statements (py-spy: a poll built them for about 4 ms of CPU). It
# may say yes for a row that is not its conversation's oldest: `take` decides.
_NOW = bindparam("b_now", type_=OUTBOX.c.lease_until.type)
_ANY_DUE = Prepared(
    select(OUTBOX.c.id)
    .where(
        or_(
            OUTBOX.c.state == HOOK,
            (OUTBOX.c.state == PENDING)
            & or_(OUTBOX.c.not_before.is_(None), OUTBOX.c.not_before <= _NOW),
        ),
        or_(OUTBOX.c.lease_until.is_(None), OUTBOX.c.lease_until < _NOW),
    )
    .limit(1)
)


def anything_due(session: Session, now: datetime) -> bool:
    """Whether `take` or `hooks_due` may find a row (False: they would find none)."""
    return _ANY_DUE.run(session.connection(), {"b_now": now}).first() is not None


def take(
    session: Session, *, claimant: str, claim: str, now: datetime, limit: int = 50
) -> list[Queued]:
    """Claim the rows due now: the oldest pending row of each conversation, if its back-off
    has passed and nobody holds it. SKIP LOCKED on PostgreSQL; the UPDATE's condition decides
    between instances on SQLite."""
    earlier = aliased(OutboxRow)
    head = (
        select(func.min(earlier.id))
        .where(earlier.conversation == OutboxRow.conversation, earlier.state == PENDING)
        .scalar_subquery()
    )
    ready = (
        (OutboxRow.state == PENDING)
        & (OutboxRow.id == head)
        & or_(OutboxRow.not_before.is_(None), OutboxRow.not_before <= now)
        & _due(now)
    )
    return _claim(session, ready, limit, claimant, claim, now)


def hooks_due(
    session: Session, *, claimant: str, claim: str, now: datetime, limit: int = 20
) -> list[Queued]:
    """Claim rows Slack has answered whose completion step has not run (it failed, or its
    process died in between)."""
    ready = (OutboxRow.state == HOOK) & _due(now)
    return _claim(session, ready, limit, claimant, claim, now)


def _claim(
    session: Session, ready: Any, limit: int, claimant: str, claim: str, now: datetime
) -> list[Queued]:
    """Claim the oldest `limit` rows that are `ready` (`bot.storage.claims`: SKIP LOCKED)."""
    rows = claims.claim_rows(
        session,
        OutboxRow,
        ready,
        claimant=claimant,
        claim=claim,
        now=now,
        lease=LEASE,
        limit=limit,
    )
    return [_queued(row) for row in rows]


def _held(row: Queued) -> Any:
    return (OutboxRow.id == row.id) & (OutboxRow.claim == row.claim)


# Every answer passes here (the background loop's sent mark): built once, bound at each run.
_SENT = Prepared(
    claims.held_update(
        OUTBOX, PENDING, state=SENT, args=None, finished_at=bindparam("b_now"), lease_until=None
    )
)
_BEHIND = select(OUTBOX.c.id).where(*_PENDING_IN).limit(1)
_BEHIND_ONE = Prepared(select(OUTBOX.c.id).where(*_PENDING_ONE).limit(1))
_SENT_AND_BEHIND = Prepared(sent_and_behind(OUTBOX, PENDING, SENT))  # PostgreSQL's


def sent(within: Session | Connection, rows: list[Queued], now: datetime) -> bool:
    """Slack has these (rows without a completion step): forget their text. True when rows
    wait behind them in their conversations (now due: a sender should look). In the caller's
    transaction: a session's, or a bare connection's (`Outbox.record_sent`: prepared
    statements only, no ORM Session to make, commit and close for them). On PostgreSQL one
    statement (`bot.outbox_marks`), atomic on its own: the caller may run it in autocommit."""
    connection = within.connection() if isinstance(within, Session) else within
    conversations = sorted({row.letter.conversation for row in rows})
    if connection.dialect.name == "postgresql":  # one statement, one round trip
        ids, held = [row.id for row in rows], [row.claim for row in rows]
        params = {"b_ids": ids, "b_claims": held, "b_now": now, "b_conversations": conversations}
        return bool(_SENT_AND_BEHIND.run(connection, params).scalar())
    # One batch: the loop gathers up to 16 answers' marks.
    _SENT.run_many(
        connection, [{"b_id": row.id, "b_claim": row.claim, "b_now": now} for row in rows]
    )
    if len(conversations) == 1:
        behind = _BEHIND_ONE.run(connection, {"b_conversation": conversations[0]})
        return behind.scalar() is not None
    return connection.scalar(_BEHIND, {"b_conversations": conversations}) is not None


def settle(session: Session, row: Queued, outcome: dict[str, Any], now: datetime) -> bool:
    """In the completion step's transaction: the row is sent (or failed for good). False when
    another sender has settled it already, so the step must not run again."""
    state = SENT if outcome.get("ok") else FAILED
    result = session.execute(
        update(OutboxRow)
        .where(_held(row), OutboxRow.state.in_((PENDING, HOOK)))
        .values(
            state=state,
            args=None,
            then_args=None,
            result=None,
            finished_at=now,
            lease_until=None,
            error=None if outcome.get("ok") else str(outcome.get("error") or "")[:200],
        )
    )
    return rows_changed(result) == 1


def await_hook(session: Session, row: Queued, outcome: dict[str, Any]) -> None:
    """Slack answered, but the completion step could not run now: keep the answer for the
    background sender to run it."""
    session.execute(
        update(OutboxRow)
        .where(_held(row), OutboxRow.state.in_((PENDING, HOOK)))
        .values(
            state=HOOK,
            args=None,
            result=outcome,
            lease_until=None,
            attempts=OutboxRow.attempts + 1,
        )
    )


def defer(session: Session, row: Queued, now: datetime, wait_seconds: float, error: str) -> None:
    """Slack refused for now: try again after `wait_seconds`, counting the attempt."""
    session.execute(
        update(OutboxRow)
        .where(_held(row), OutboxRow.state == PENDING)
        .values(
            attempts=OutboxRow.attempts + 1,
            not_before=now + timedelta(seconds=wait_seconds),
            claim=None,
            claimed_by=None,
            lease_until=None,
            error=error[:200],
        )
    )


def unclaim(session: Session, rows: list[Queued]) -> None:
    """Leave rows to the background sender untried (an earlier row of theirs must go first)."""
    for row in rows:
        session.execute(
            update(OutboxRow)
            .where(_held(row), OutboxRow.state == PENDING)
            .values(claim=None, claimed_by=None, lease_until=None)
        )


def give_up(session: Session, row: Queued, now: datetime, error: str) -> None:
    """Slack refused for good (or for too long): the row is not sent."""
    session.execute(
        update(OutboxRow)
        .where(_held(row), OutboxRow.state == PENDING)
        .values(state=FAILED, args=None, finished_at=now, lease_until=None, error=error[:200])
    )


def too_old(row: Queued, now: datetime) -> bool:
    return now - row.created_at > GIVE_UP_AFTER


def release(session: Session, claimant: str) -> int:
    """A restarted instance's rows are due at once: the sender that held them is dead."""
    return claims.release(session, OutboxRow, claimant, OutboxRow.state.in_((PENDING, HOOK)))


def forget_old(session: Session, now: datetime) -> int:
    result = session.execute(
        delete(OutboxRow).where(
            OutboxRow.state.in_((SENT, FAILED)), OutboxRow.finished_at < now - KEEP
        )
    )
    return rows_changed(result)


def unsent(session: Session) -> int:
    """How many rows still wait to be sent (or to have their completion step run)."""
    return int(
        session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.state.in_((PENDING, HOOK)))
        )
        or 0
    )


def next_due(session: Session) -> datetime | None:
    """When the earliest deferred row may be tried again (None: nothing deferred)."""
    return session.scalar(
        select(func.min(OutboxRow.not_before)).where(
            OutboxRow.state == PENDING, OutboxRow.not_before.is_not(None)
        )
    )
