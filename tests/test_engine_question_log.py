"""The question log is private: once a question is answered, no row of the database holds the
personal data it contained (every detector's values, and whatever the policy's own patterns
match), whichever way it was asked. Read straight from the tables."""

from __future__ import annotations

from sqlalchemy import text as sql

from bot.asking import conversation, escalations
from bot.asking.intents import CHECK, WHO
from bot.asking.service import ask
from bot.settings import Settings
from bot.storage import Database
from tests.driver import SlackDriver
from tests.seed import adopt

SECRETS = {
    "e-mail": "peter.jansen72@gmail.com",
    "phone": "06-12345678",
    "iban": "NL91ABNA0417164300",
    "bsn": "111222333",
    "card": "4111 1111 1111 1111",
    "address": "Dorpsstraat 12",
    "postcode": "6441 AB",
    "plate": "GX-412-K",
    "password (the policy's own pattern)": "ww: Zomer2026!",
}
QUESTION = "Mag ik dit posten over " + ", ".join(SECRETS.values()) + "?"


def every_stored_text(db: Database) -> str:
    """Every text column of every table, as one string."""
    found: list[str] = []
    with db.engine.connect() as connection:
        for table in ("asked_questions", "escalations", "second_opinions", "audit_log"):
            try:
                rows = connection.execute(sql(f"SELECT * FROM {table}")).all()  # noqa: S608
            except Exception:  # a table another capability may not have
                continue
            found += [str(value) for row in rows for value in row]
    return "\n".join(found)


def assert_nothing_personal(db: Database) -> None:
    stored = every_stored_text(db)
    for what, secret in SECRETS.items():
        assert secret not in stored, f"{what} stored unmasked"
    assert "Zomer2026" not in stored


def test_checks_and_who_questions_are_logged_masked(db: Database, settings: Settings) -> None:
    adopt(db)
    for kind in (CHECK, WHO):
        with db.session() as session:
            ask(session, settings, kind=kind, text=QUESTION, groups={"all"}, asker="U1",
                source="dm", language="nl")  # fmt: skip
    assert_nothing_personal(db)
    with db.engine.connect() as connection:
        texts = [r[0] for r in connection.execute(sql("SELECT text FROM asked_questions"))]
    assert len(texts) == 2 and all("p***@gmail.com" in t and "GX-***-*" in t for t in texts)


def test_questions_without_an_adopted_policy_are_logged_masked(
    db: Database, settings: Settings
) -> None:
    with db.session() as session:
        ask(session, settings, kind=CHECK, text=QUESTION, groups={"all"}, asker="U1",
            source="dm", language="nl")  # fmt: skip
    stored = every_stored_text(db)
    for what in ("e-mail", "phone", "iban", "bsn", "card", "address", "postcode", "plate"):
        assert SECRETS[what] not in stored, what


def test_escalations_keep_the_question_masked_and_no_reply(
    db: Database, settings: Settings
) -> None:
    adopt(db)
    with db.session() as session:
        result = ask(session, settings, kind=CHECK, text=QUESTION, groups={"all"}, asker="U1",
                     source="dm", language="nl")  # fmt: skip
    with db.engine.connect() as connection:
        logged = connection.execute(sql("SELECT text FROM asked_questions")).scalar_one()
    with db.session() as session:
        escalation = escalations.open_escalation(
            session, question_id=result.question_id, asker="U1", asker_language="nl",
            text=logged, kind=CHECK, verdict="forbidden", rule_ids=["R01"],
            policy_version="2026.1", role_id="privacy", role_name="Privacy",
            contact="privacy@gemeentevoorbeeld.nl",
        )  # fmt: skip
    with db.session() as session:  # a reply in the role's thread is relayed, never stored
        conversation.record_turn(
            session, escalation, side=escalations.ROLE, channel="C1", ts="1.1", author="UPRIV"
        )
    assert_nothing_personal(db)
    assert "06-87654321" not in every_stored_text(db)


def test_a_direct_message_in_slack_is_logged_masked(running: SlackDriver) -> None:
    adopt(running.db)
    channel = running.fake.im_for("UEMP0001")
    running.message("UEMP0001", channel, "mag ik dit posten: " + QUESTION)
    assert running.fake.bot_messages(channel), "the bot did not answer"
    assert_nothing_personal(running.db)


def test_the_command_line_logs_masked(db_url: str, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from runtime.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    database = Database(db_url)
    adopt(database)
    assert main(["check", "--json", QUESTION]) == 0
    assert_nothing_personal(database)
    database.dispose()
