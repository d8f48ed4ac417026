"""An answer's one letter is written by one statement that also looks for an earlier pending
row of its conversation (`outbox.write`, one letter, nothing made but unmarked): claimed for
the writer to send right after its commit when there is none, else left in line for the
background sender, exactly as the look and the INSERT did as two statements. On both
databases, with the earlier row written by this transaction, by another instance's
committed one, or sent already. With it, the done mark of the request that says it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot import inbox, outbox
from bot.outbox import Letter, Queued
from bot.storage import Database
from bot.storage.models.delivery import InboxRecord, OutboxRow

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


# The done mark of the request that says it (`finishing`): on PostgreSQL in the same
# statement as an answer's one row, elsewhere its own; the same outcome either way.


def _taken(db: Database, key: str) -> inbox.Claim:
    with db.session() as session:
        claim = inbox.take_in(session, key, "event", {"text": "hoi"}, {}, claimant="x", now=NOW)
    assert claim is not None
    return claim


def _record(db: Database, claim: inbox.Claim) -> tuple[str, object, object]:
    with db.session() as session:
        record = session.get(InboxRecord, claim.record)
        assert record is not None
        return record.state, record.body, record.lease_until


def _outbox_rows(db: Database) -> int:
    with db.session() as session:
        return len(session.scalars(select(OutboxRow.id)).all())


@pytest.mark.parametrize("letters", [[ANSWER], [ANSWER, ELSEWHERE], []], ids=["one", "two", "none"])
@pytest.mark.parametrize("failed", [False, True], ids=["done", "failed"])
def test_the_request_is_marked_with_what_it_says(
    db: Database, letters: list[Letter], failed: bool
) -> None:
    claim = _taken(db, "event:Ev1")
    finishing = inbox.Finishing(claim, NOW, failed)
    with db.session() as session:
        rows = outbox.write(
            session, letters, request=claim.record, claimant="x", claim=claim.token, now=NOW,
            finishing=finishing,
        )  # fmt: skip
    assert [row.claim for row in rows] == [claim.token] * len(letters)
    assert _record(db, claim) == ("failed" if failed else "done", None, None)
    assert _outbox_rows(db) == len(letters)


@pytest.mark.parametrize("letters", [[ANSWER], [ANSWER, ELSEWHERE]], ids=["one", "two"])
def test_a_request_another_run_finished_says_nothing(db: Database, letters: list[Letter]) -> None:
    claim = _taken(db, "event:Ev2")
    with db.session() as session:  # another run took it over and finished it
        session.execute(
            update(InboxRecord).where(InboxRecord.id == claim.record).values(claim="theirs")
        )
    with pytest.raises(inbox.AlreadyDone), db.session() as session:
        outbox.write(
            session, letters, request=claim.record, claimant="x", claim=claim.token, now=NOW,
            finishing=inbox.Finishing(claim, NOW),
        )  # fmt: skip
    assert _outbox_rows(db) == 0  # rolled back with the caller's transaction
    assert _record(db, claim)[0] == "pending"


def test_a_record_already_done_is_not_marked_again(db: Database) -> None:
    claim = _taken(db, "event:Ev3")
    with db.session() as session:
        inbox.finish(session, claim, NOW)
    with pytest.raises(inbox.AlreadyDone), db.session() as session:
        outbox.write(
            session, [ANSWER], request=claim.record, claimant="x", claim=claim.token, now=NOW,
            finishing=inbox.Finishing(claim, NOW, failed=True),
        )  # fmt: skip
    assert _record(db, claim)[0] == "done"
    assert _outbox_rows(db) == 0


def test_a_row_slack_has_but_not_yet_marked_holds_nothing_up(db: Database) -> None:
    """`made`: this instance's rows Slack has, their sent mark still to come (the two-statement
    path, for one letter too), with the request's done mark."""
    first = _write(db, ANSWER, "c1")
    claim = _taken(db, "event:Ev4")
    with db.session() as session:
        (second,) = outbox.write(
            session, [ANSWER], request=claim.record, claimant="x", claim=claim.token, now=NOW,
            made={first.id}, finishing=inbox.Finishing(claim, NOW),
        )  # fmt: skip
    assert second.claim == claim.token
    assert _record(db, claim)[0] == "done"
    assert _write(db, ANSWER, "c3").claim is None  # without `made`, the first still holds it
