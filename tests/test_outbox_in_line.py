"""An answer's one letter is written by one statement that also looks for an earlier pending
row of its conversation (`outbox.write`, one letter, nothing made but unmarked): claimed for
the writer to send right after its commit when there is none, else left in line for the
background sender, exactly as the look and the INSERT did as two statements. On both
databases, with the earlier row written by this transaction, by another instance's
committed one, or sent already.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot import outbox
from bot.outbox import Letter, Queued
from bot.storage import Database
from bot.storage.models.delivery import OutboxRow

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
ANSWER = Letter("post", "dm:U1", {"channel": "D1", "text": "mag ik dit posten?", "n": [1, 2]})
ELSEWHERE = Letter("post", "C9", {"channel": "C9", "text": "hallo"})


def _write(db: Database, letter: Letter, claim: str, request: int | None = None) -> Queued:
    with db.session() as session:
        (row,) = outbox.write(
            session, [letter], request=request, claimant="this-one", claim=claim, now=NOW
        )
    return row


def _stored(db: Database, row_id: int) -> OutboxRow:
    with db.session() as session:
        found = session.scalars(select(OutboxRow).where(OutboxRow.id == row_id)).one()
        session.expunge(found)
    return found


def test_the_first_row_of_a_conversation_is_the_writers_to_send(db: Database) -> None:
    hooked = Letter("post", "dm:U1", ANSWER.args, hook="asking:x", hook_args={"user": "U1"})
    row = _write(db, hooked, "c1", request=41)
    assert (row.claim, row.request, row.attempts, row.created_at) == ("c1", 41, 0, NOW)
    stored = _stored(db, row.id)
    assert (stored.claim, stored.claimed_by, stored.lease_until) == (
        "c1",
        "this-one",
        NOW + outbox.LEASE,
    )
    assert (stored.state, stored.attempts, stored.kind, stored.conversation) == (
        "pending",
        0,
        "post",
        "dm:U1",
    )
    assert (stored.args, stored.then_hook, stored.then_args) == (
        ANSWER.args,
        "asking:x",
        {"user": "U1"},
    )
    assert (stored.request, stored.created_at) == (41, NOW)  # fmt: skip


def test_a_row_behind_a_pending_one_goes_in_line_unclaimed(db: Database) -> None:
    first = _write(db, ANSWER, "c1")
    second = _write(db, ANSWER, "c2")
    other = _write(db, ELSEWHERE, "c3")
    assert (first.claim, second.claim, other.claim) == ("c1", None, "c3")
    stored = _stored(db, second.id)
    assert (stored.claim, stored.claimed_by, stored.lease_until) == (None, None, None)
    assert stored.state == "pending"
    # In line: due for the background sender once the earlier row is settled, not before.
    with db.session() as session:
        assert outbox.take(session, claimant="bg", claim="b1", now=NOW) == []
    with db.session() as session:
        outbox.sent(session, [first], NOW)
    with db.session() as session:
        taken = outbox.take(session, claimant="bg", claim="b2", now=NOW)
    assert [row.id for row in taken] == [second.id]


def test_an_earlier_row_of_the_same_transaction_is_seen(db: Database) -> None:
    with db.session() as session:
        (first,) = outbox.write(session, [ANSWER], request=None, claimant="x", claim="c1", now=NOW)
        (second,) = outbox.write(session, [ANSWER], request=None, claimant="x", claim="c1", now=NOW)
    assert (first.claim, second.claim) == ("c1", None)


def test_a_row_another_instance_committed_is_seen(db: Database, db_url: str) -> None:
    other = Database(db_url)
    try:
        _write(other, ANSWER, "theirs")
    finally:
        other.dispose()
    assert _write(db, ANSWER, "mine").claim is None


def test_a_row_once_sent_or_failed_holds_nothing_up(db: Database) -> None:
    first = _write(db, ANSWER, "c1")
    with db.session() as session:
        outbox.sent(session, [first], NOW)
    second = _write(db, ANSWER, "c2")
    assert second.claim == "c2"
    with db.session() as session:
        outbox.give_up(session, second, NOW, "channel_not_found")
    assert _write(db, ANSWER, "c3").claim == "c3"


def test_a_deferred_row_still_holds_its_conversation(db: Database) -> None:
    first = _write(db, ANSWER, "c1")
    with db.session() as session:
        outbox.defer(session, first, NOW, 30, "ratelimited")
    assert _write(db, ANSWER, "c2").claim is None
    later = NOW + timedelta(seconds=31)
    with db.session() as session:
        assert [row.id for row in outbox.take(session, claimant="bg", claim="b", now=later)] == [
            first.id
        ]
