"""The sent marks of a batch (`outbox.sent`): each row still held by its claim marked sent
(its text forgotten), a row whose claim was lost left as it is, and the answer whether
pending rows wait behind them in their conversations, the same on both databases (on
PostgreSQL one statement, `bot.outbox_marks`, run in autocommit by the background loop as
`Database.one_statement` gives it; on SQLite the marks and the look in one transaction)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot import outbox
from bot.outbox import Letter, Queued
from bot.storage import Database
from bot.storage.models.delivery import OutboxRow

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _write(db: Database, conversation: str, claim: str) -> Queued:
    letter = Letter("post", conversation, {"channel": conversation, "text": "tekst"})
    with db.session() as session:
        (row,) = outbox.write(
            session, [letter], request=None, claimant="here", claim=claim, now=NOW
        )
    return row


def _states(db: Database) -> dict[int, tuple[str, object]]:
    with db.session() as session:
        rows = session.execute(select(OutboxRow.id, OutboxRow.state, OutboxRow.args)).all()
    return {row.id: (row.state, row.args) for row in rows}


def _mark(db: Database, rows: list[Queued]) -> bool:
    with db.one_statement() as connection:
        return outbox.sent(connection, rows, NOW)


def test_a_batch_is_marked_and_nothing_waits_behind_it(db: Database) -> None:
    one, two = _write(db, "dm:U1", "c1"), _write(db, "dm:U2", "c2")
    assert _mark(db, [one, two]) is False
    assert _states(db) == {one.id: ("sent", None), two.id: ("sent", None)}


def test_a_row_in_line_behind_a_marked_one_is_told(db: Database) -> None:
    first, other = _write(db, "dm:U1", "c1"), _write(db, "dm:U2", "c2")
    behind = _write(db, "dm:U1", "c3")
    assert behind.claim is None  # in line behind `first`
    assert _mark(db, [first, other]) is True
    states = _states(db)
    assert states[first.id] == ("sent", None) and states[other.id] == ("sent", None)
    assert states[behind.id][0] == "pending"


def test_a_row_whose_claim_was_lost_is_left_and_counts_as_waiting(db: Database) -> None:
    mine, lost = _write(db, "dm:U1", "c1"), _write(db, "dm:U2", "c2")
    taken_over = Queued(lost.id, lost.letter, "someone-elses", 0, NOW)
    assert _mark(db, [mine, taken_over]) is True  # still pending in its conversation
    states = _states(db)
    assert states[mine.id] == ("sent", None)
    assert states[lost.id][0] == "pending" and states[lost.id][1] is not None
    assert _mark(db, [lost]) is False  # its own claim marks it, and nothing is left
