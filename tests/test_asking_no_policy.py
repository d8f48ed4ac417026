"""Before any version is adopted, employees are told so and shown whom to ask."""

from __future__ import annotations

from sqlalchemy import select

from bot import people
from bot.storage.models.asking import AskedQuestion
from tests.asking_support import last_reply, reply_text
from tests.conftest import ADMIN, RunningApp


def test_check_without_a_policy_names_the_admins(running: RunningApp) -> None:
    running.slack.command("UEMP0002", "check Proud of our team!")
    answer = last_reply(running)
    assert answer["response_type"] == "ephemeral"
    text = reply_text(answer)
    assert "no adopted social media policy yet" in text
    assert f"<@{ADMIN}>" in text  # nobody is comms lead yet: the admins
    with running.db.session() as session:
        logged = session.scalars(select(AskedQuestion)).one()
    assert (logged.kind, logged.covered, logged.policy_version) == ("check", False, None)


def test_without_a_policy_the_comms_leads_are_named_in_the_askers_language(
    running: RunningApp,
) -> None:
    with running.db.session() as session:
        people.grant(session, ADMIN, "UCOMMS01", people.COMMS_LEAD)
    running.slack.command("UEMP0001", "who vragen van journalisten")  # erik reads Dutch
    text = reply_text(last_reply(running))
    assert "nog geen vastgesteld social mediabeleid" in text
    assert "<@UCOMMS01>" in text and f"<@{ADMIN}>" not in text


def test_a_direct_message_without_a_policy_is_answered_too(running: RunningApp) -> None:
    dm = running.fake.im_for("UEMP0002")
    running.slack.message("UEMP0002", dm, "may I post this: we're hiring!")
    answer = running.fake.bot_messages(dm)[-1]
    assert "no adopted social media policy yet" in answer.text
