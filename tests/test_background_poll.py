"""The background loop's poll first asks one cheap question per table, "may anything be due?"
(`outbox.anything_due`, the look in `inbox.claim_due`), and builds its claiming statements only
when the answer is yes. A no where work is due would leave it unsent: here every kind of row
the claims take makes the answer yes, and the rows nobody may take make it no.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot import inbox, outbox
from bot.outbox import Letter, Queued
from bot.storage import Database

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LETTER = Letter("post", "dm:U1", {"channel": "D1", "text": "hoi"})


def _write(db: Database, letter: Letter = LETTER) -> Queued:
    with db.session() as session:
        (row,) = outbox.write(session, [letter], request=None, claimant="here", claim="c1", now=NOW)
    return row


def _due(db: Database, now: datetime) -> tuple[bool, int, int]:
    """The poll's answer, and how many rows `take` and `hooks_due` would claim (rolled back)."""
    with Session(db.engine) as session:
        answer = outbox.anything_due(session, now)
        rows = outbox.take(session, claimant="there", claim="c2", now=now)
        steps = outbox.hooks_due(session, claimant="there", claim="c2", now=now)
        session.rollback()
    return answer, len(rows), len(steps)


def test_nothing_in_the_outbox_is_nothing_due(db: Database) -> None:
    assert _due(db, NOW) == (False, 0, 0)


def test_a_row_its_sender_holds_is_not_due_until_its_lease_runs_out(db: Database) -> None:
    _write(db)
    assert _due(db, NOW) == (False, 0, 0)
    assert _due(db, NOW + outbox.LEASE + timedelta(seconds=1)) == (True, 1, 0)


def test_a_row_slack_refused_for_now_is_due_after_its_wait(db: Database) -> None:
    row = _write(db)
    with db.session() as session:
        outbox.defer(session, row, NOW, 60, "ratelimited")
    assert _due(db, NOW + timedelta(seconds=30)) == (False, 0, 0)
    assert _due(db, NOW + timedelta(seconds=61)) == (True, 1, 0)


def test_a_completion_step_still_to_run_is_due(db: Database) -> None:
    row = _write(db, Letter("post", "C1", {"channel": "C1", "text": "x"}, hook="some:step"))
    with db.session() as session:
        outbox.await_hook(session, row, {"ok": True, "ts": "1.2"})
    assert _due(db, NOW) == (True, 0, 1)


def test_a_sent_row_is_not_due(db: Database) -> None:
    row = _write(db)
    with db.session() as session:
        outbox.sent(session, [row], NOW)
    assert _due(db, NOW + timedelta(days=1)) == (False, 0, 0)


def test_an_inbox_record_is_claimed_again_only_once_nobody_holds_it(db: Database) -> None:
    with db.session() as session:
        claim = inbox.take_in(session, "event:E1", "event", {}, {}, claimant="here", now=NOW)
    assert claim is not None
    with db.session() as session:
        assert inbox.claim_due(session, claimant="there", now=NOW) == []
    later = NOW + inbox.LEASE + timedelta(seconds=1)
    with db.session() as session:
        (taken,) = inbox.claim_due(session, claimant="there", now=later)
    assert taken.claim.record == claim.record
    with db.session() as session:
        inbox.finish(session, taken.claim, later)
    with db.session() as session:
        assert inbox.claim_due(session, claimant="there", now=later + inbox.LEASE * 2) == []
