"""A row the fast path has sent is marked sent by the next transaction of this process that
writes outbox rows (an answer's), not by a transaction of the background loop's own; the
background loop marks what no such transaction took.

Each mark is recorded once: in the transaction that commits, or, when that one rolls back,
later by another. Until then the row is pending and this instance's: a crash in between is
the window `test_outbox_once.py` covers (the post is found, not made again).

The outbox here is the app's own class on the test's database and the stand-in Web API;
nothing rings a background loop (its `wake` does nothing), so the marks stay in memory until
a transaction here records them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot import outbox
from bot.clock import ManualClock
from bot.outbox import Letter, Queued
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.delivery import OutboxRow
from handlers.kit.outbox import Outbox, Stored
from runtime.fakeslack import FakeSlack
from runtime.slack_client import make_client
from tests.driver import EMMA, ERIK

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


class Broke(Exception):
    """The rest of a unit of work failed after its rows were written."""


@pytest.fixture
def box(settings: Settings, db: Database) -> Iterator[Outbox]:
    client = make_client(settings)
    yield Outbox(db, client, ManualClock(NOW), "here")


def _letter(fake: FakeSlack, user: str, text: str) -> Letter:
    channel = fake.im_for(user)
    return Letter("post", f"dm:{channel}", {"channel": channel, "text": text})


def _answer(box: Outbox, db: Database, letter: Letter, *, fail: bool = False) -> Stored:
    """A unit of work that writes `letter`, then the post right after its commit (or a
    failure after the write: rolled back)."""
    stored: Stored | None = None
    try:
        with db.session() as session:
            stored = box.store(session, [letter], request=None, claim="c-" + letter.args["text"])
            if fail:
                raise Broke
    except Broke:
        assert stored is not None
        box.marks_rolled_back(stored.marks)
        return stored
    assert stored is not None
    box.marks_committed(stored.marks)
    box.send(stored.queued)
    return stored


def _states(db: Database) -> dict[int, str]:
    with db.session() as session:
        return {
            row_id: state
            for row_id, state in session.execute(select(OutboxRow.id, OutboxRow.state))
        }


def test_the_next_answer_records_the_mark_of_the_one_before(
    box: Outbox, db: Database, fake_slack: FakeSlack
) -> None:
    first = _answer(box, db, _letter(fake_slack, EMMA, "one"))
    (row,) = first.queued
    assert _states(db) == {row.id: outbox.PENDING}  # posted; its mark waits in memory
    assert first.marks.rows == []

    second = _answer(box, db, _letter(fake_slack, ERIK, "two"))
    assert [marked.id for marked in second.marks.rows] == [row.id]
    (later,) = second.queued
    assert _states(db) == {row.id: outbox.SENT, later.id: outbox.PENDING}
    assert box.record_sent() is False  # the loop finds nothing more than the second's mark
    assert _states(db) == {row.id: outbox.SENT, later.id: outbox.SENT}
    assert len(fake_slack.bot_messages(fake_slack.im_for(EMMA))) == 1


def test_a_mark_carried_by_a_transaction_that_rolled_back_is_recorded_later_once(
    box: Outbox, db: Database, fake_slack: FakeSlack
) -> None:
    (row,) = _answer(box, db, _letter(fake_slack, EMMA, "one")).queued
    failed = _answer(box, db, _letter(fake_slack, ERIK, "two"), fail=True)
    assert [marked.id for marked in failed.marks.rows] == [row.id]
    assert _states(db) == {row.id: outbox.PENDING}  # the failed answer's row is gone too

    third = _answer(box, db, _letter(fake_slack, ERIK, "three"))
    assert [marked.id for marked in third.marks.rows] == [row.id]
    assert _states(db)[row.id] == outbox.SENT
    fourth = _answer(box, db, _letter(fake_slack, ERIK, "four"))
    assert [marked.id for marked in fourth.marks.rows] == [third.queued[0].id]
    assert [m.text for m in fake_slack.bot_messages(fake_slack.im_for(ERIK))] == ["three", "four"]


def test_an_answer_in_the_same_conversation_is_sent_at_once_not_left_in_line(
    box: Outbox, db: Database, fake_slack: FakeSlack
) -> None:
    """The earlier row is marked in the same transaction, before the new one is written: the
    new row does not wait behind a row Slack already has."""
    _answer(box, db, _letter(fake_slack, EMMA, "one"))
    second = _answer(box, db, _letter(fake_slack, EMMA, "two"))
    assert all(isinstance(row, Queued) and row.claim is not None for row in second.queued)
    assert [m.text for m in fake_slack.bot_messages(fake_slack.im_for(EMMA))] == ["one", "two"]


def test_a_row_another_instance_put_in_line_behind_a_carried_mark_is_sent_once_in_order(
    box: Outbox, db: Database, fake_slack: FakeSlack
) -> None:
    """Another instance wrote in the conversation while this one's row was pending: that row
    went in line. The answer that carries the mark does not look for it (the look would delay
    its own post); it is due at once, and the background sender's next poll sends it."""
    (row,) = _answer(box, db, _letter(fake_slack, EMMA, "one")).queued
    with db.session() as session:  # another instance's answer, in the same conversation
        (other,) = outbox.write(
            session,
            [_letter(fake_slack, EMMA, "from the other")],
            request=None,
            claimant="there",
            claim="c-there",
            now=NOW,
        )
    assert other.claim is None  # in line behind the row it does not know is made
    _answer(box, db, _letter(fake_slack, ERIK, "two"))
    assert _states(db)[row.id] == outbox.SENT
    with db.session() as session:  # the background sender's poll
        rows, steps = box.take(session)
    assert [taken.id for taken in rows] == [other.id]
    box.send_taken(rows, steps)
    texts = [m.text for m in fake_slack.bot_messages(fake_slack.im_for(EMMA))]
    assert texts == ["one", "from the other"]
