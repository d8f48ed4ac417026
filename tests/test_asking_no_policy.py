"""Before any version is adopted, employees are told so and shown whom to ask."""

from __future__ import annotations

from sqlalchemy import select

from bot import people
from bot.storage.models.asking import AskedQuestion
from tests.driver import ADMIN, SlackDriver
from tests.payloads import text_of


def test_check_without_a_policy_names_the_admins(running: SlackDriver) -> None:
    running.command("UEMP0002", "check Proud of our team!")
    answer = running.last_reply()
    assert answer["response_type"] == "ephemeral"
    text = text_of(answer)
    assert "no adopted social media policy yet" in text
    assert f"<@{ADMIN}>" in text  # nobody is comms lead yet: the admins
    with running.db.session() as session:
        logged = session.scalars(select(AskedQuestion)).one()
    assert (logged.kind, logged.covered, logged.policy_version) == ("check", False, None)


def test_without_a_policy_the_comms_leads_are_named_in_the_askers_language(
    running: SlackDriver,
) -> None:
    with running.db.session() as session:
        people.grant(session, ADMIN, "UCOMMS01", people.COMMS_LEAD)
    running.command("UEMP0001", "who vragen van journalisten")  # erik reads Dutch
    text = running.last_reply_text()
    assert "nog geen vastgesteld social mediabeleid" in text
    assert "<@UCOMMS01>" in text and f"<@{ADMIN}>" not in text


def test_a_direct_message_without_a_policy_is_answered_too(running: SlackDriver) -> None:
    dm = running.fake.im_for("UEMP0002")
    running.message("UEMP0002", dm, "may I post this: we're hiring!")
    answer = running.fake.bot_messages(dm)[-1]
    assert "no adopted social media policy yet" in answer.text
