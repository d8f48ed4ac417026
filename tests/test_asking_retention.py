"""The text of a question is kept only POLICYBOT_RETENTION_DAYS; then only the verdict remains."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.asking import escalations, question_log
from bot.storage import Database, utcnow
from bot.storage.models.asking import AskedQuestion, Escalation, HousekeepingMark
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
    with db.session() as session:
        return question_log.purge_if_due(session, now, days)


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


def test_the_purge_runs_by_itself_when_someone_asks(running: SlackDriver) -> None:
    old = _log(running.db, "Our BSN list: 111222333", days_ago=120)
    running.command("UEMP0002", "check Proud of our team!")  # any question will do
    assert _question(running.db, old).text is None  # type: ignore[union-attr]
    with running.db.session() as session:
        mark = session.get(HousekeepingMark, question_log.PURGE_JOB)
        assert mark is not None
        texts = session.scalars(select(AskedQuestion.text)).all()
    assert "Proud of our team!" in texts  # the new question is kept


def test_the_purge_runs_at_most_once_an_hour(db: Database) -> None:
    now = utcnow()
    assert _purge_if_due(db, now, 90) == 0
    _log(db, "old", days_ago=200)
    assert _purge_if_due(db, now + timedelta(minutes=30), 90) is None
    assert _purge_if_due(db, now + timedelta(minutes=61), 90) == 1


def test_starting_the_bot_purges_expired_texts(db: Database, settings) -> None:  # type: ignore[no-untyped-def]
    from runtime.startup import open_database

    old = _log(db, "Call Jan on 06-12345678", days_ago=91)
    started = open_database(settings)  # what `serve`, gunicorn and the shell do first
    try:
        purged = _question(db, old)
        assert purged is not None and purged.text is None and purged.verdict == "forbidden"
    finally:
        started.dispose()
