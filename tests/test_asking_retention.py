"""The text of a question is kept only POLICYBOT_RETENTION_DAYS; then only the verdict remains."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.asking import escalations, question_log
from bot.scheduling import chores
from bot.storage import Database, utcnow
from bot.storage.models.asking import Escalation, HousekeepingMark
from bot.storage.models.delivery import InboxRecord
from tests.driver import SlackDriver


def _log(db: Database, text: str, days_ago: int) -> int:
    with db.session() as session:
        return question_log.log_question(
            session,
            asker="UEMP0002",
            source="dm",
            kind="check",
            text=text,
            language="en",
            verdict="forbidden",
            rule_ids=["R01"],
            role_id="privacy",
            policy_version="2026.1",
            policy_number=1,
            covered=True,
            at=utcnow() - timedelta(days=days_ago),
        )


def _question(db: Database, question_id: int) -> question_log.LoggedQuestion | None:
    with db.session() as session:
        return question_log.get_question(session, question_id)


def _purge_if_due(db: Database, now: datetime, days: int) -> int | None:
    """The purge chore, as the scheduler's turn and start-up run it; None when not due."""
    return chores.run_due(db.session, now, days, only={question_log.PURGE_JOB}).get(
        question_log.PURGE_JOB
    )


def test_old_questions_keep_only_their_verdict(db: Database) -> None:
    old = _log(db, "Call Jan on 06-12345678", days_ago=91)
    recent = _log(db, "Proud of our team", days_ago=89)
    with db.session() as session:
        escalation = escalations.open_escalation(
            session,
            question_id=old,
            asker="UEMP0002",
            asker_language="en",
            text="Call Jan on 06-12345678",
            kind="check",
            verdict="forbidden",
            rule_ids=["R01"],
            policy_version="2026.1",
            role_id="privacy",
            role_name="Privacy",
            contact="privacy@example.org",
        )
    with db.session() as session:  # the escalation is as old as its question
        session.get(Escalation, escalation).created_at = utcnow() - timedelta(days=91)

    with db.session() as session:
        assert question_log.purge_expired(session, utcnow(), retention_days=90) == 1

    purged, kept = _question(db, old), _question(db, recent)
    assert purged is not None and kept is not None
    assert purged.text is None
    assert (purged.verdict, purged.rule_ids, purged.role_id, purged.policy_version) == (
        "forbidden",
        ["R01"],
        "privacy",
        "2026.1",
    )
    assert kept.text == "Proud of our team"
    with db.session() as session:
        assert escalations.list_escalations(session)[0].text is None


def _turn(running: SlackDriver) -> None:
    """One turn of the scheduler, as `serve` takes it every minute or `policybot tick` once."""
    running.app.background.scheduler.turn(force=True)
    running.wait()


def test_a_question_does_no_housekeeping(running: SlackDriver) -> None:
    _turn(running)  # the hourly purge has just run: nothing is due for an hour
    old = _log(running.db, "Our BSN list: 111222333", days_ago=120)
    with running.db.session() as session:
        session.delete(session.get(HousekeepingMark, question_log.PURGE_JOB))  # due now
    running.command("UEMP0002", "check Proud of our team!")  # a question does not purge
    assert _question(running.db, old).text == "Our BSN list: 111222333"  # type: ignore[union-attr]
    _turn(running)  # the scheduler's turn does
    assert _question(running.db, old).text is None  # type: ignore[union-attr]


def test_the_purge_is_the_schedulers_hourly_chore(running: SlackDriver) -> None:
    old = _log(running.db, "Our BSN list: 111222333", days_ago=120)
    _turn(running)
    assert _question(running.db, old).text is None  # type: ignore[union-attr]
    with running.db.session() as session:
        mark = session.get(HousekeepingMark, question_log.PURGE_JOB)
        assert mark is not None and mark.last_run_at == running.clock.now()
    later = _log(running.db, "Call Jan on 06-12345678", days_ago=120)
    running.clock.advance(30 * 60)
    _turn(running)  # half an hour on: not due yet
    assert _question(running.db, later).text == "Call Jan on 06-12345678"  # type: ignore[union-attr]
    running.clock.advance(31 * 60)
    _turn(running)
    assert _question(running.db, later).text is None  # type: ignore[union-attr]


def test_finished_requests_are_forgotten_on_the_schedule(running: SlackDriver) -> None:
    from bot import inbox

    running.command("UEMP0002", "check Proud of our team!")
    running.wait()
    with running.db.session() as session:
        assert session.scalar(select(func.count()).select_from(InboxRecord)) >= 1
    running.clock.advance(inbox.KEEP.total_seconds() + 3600)
    _turn(running)
    with running.db.session() as session:  # finished a day ago: their keys are not needed
        assert session.scalar(select(func.count()).select_from(InboxRecord)) == 0


def test_the_purge_runs_at_most_once_an_hour(db: Database) -> None:
    now = utcnow()
    assert _purge_if_due(db, now, 90) == 0
    _log(db, "old", days_ago=200)
    assert _purge_if_due(db, now + timedelta(minutes=30), 90) is None
    assert _purge_if_due(db, now + timedelta(minutes=61), 90) == 1
    with db.session() as session:
        mark = session.get(HousekeepingMark, question_log.PURGE_JOB)
        assert mark is not None and mark.last_run_at == now + timedelta(minutes=61)


def test_the_purge_itself_keeps_no_mark_the_chores_do(db: Database) -> None:
    """One due logic: the chores module decides when and writes the mark, once."""
    with db.session() as session:
        question_log.purge_expired(session, utcnow(), 90)
    with db.session() as session:
        assert session.get(HousekeepingMark, question_log.PURGE_JOB) is None


def test_starting_the_bot_purges_expired_texts(db: Database, settings) -> None:  # type: ignore[no-untyped-def]
    from runtime.startup import open_database

    old = _log(db, "Call Jan on 06-12345678", days_ago=91)
    started = open_database(settings)  # what `serve`, gunicorn and the shell do first
    try:
        purged = _question(db, old)
        assert purged is not None and purged.text is None and purged.verdict == "forbidden"
    finally:
        started.dispose()
