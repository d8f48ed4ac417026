"""The "Check against policy" message shortcut, answered privately to whoever used it."""

from __future__ import annotations

from tests.driver import SlackDriver
from tests.payloads import blocks_text
from tests.seed import adopt


def test_the_shortcut_checks_the_message_and_answers_only_the_user(running: SlackDriver) -> None:
    adopt(running.db)
    ts = running.fake.post_user_message(
        "UEMP0001", "C0GENERAL", "Er is brand bij het afvalbedrijf, kijk mijn filmpje!"
    )
    message = {
        "type": "message",
        "user": "UEMP0001",
        "ts": ts,
        "text": "Er is brand bij het afvalbedrijf, de brandweer is er, kijk mijn filmpje!",
    }
    running.message_shortcut("UEMP0002", "check_against_policy", "C0GENERAL", message)

    private = running.fake.ephemerals_for("UEMP0002")
    assert len(private) == 1 and private[0].channel == "C0GENERAL"
    shown = private[0].text + blocks_text(private[0].blocks)
    assert "Don't post this" in shown and "R13" in shown  # emma reads English
    assert running.fake.ephemerals_for("UEMP0001") == []
    assert [m for m in running.fake.bot_messages("C0GENERAL")] == []  # nothing public


def test_a_message_without_text_gets_a_clear_answer(running: SlackDriver) -> None:
    adopt(running.db)
    ts = running.fake.post_user_message("UEMP0001", "C0GENERAL", "")
    message = {"type": "message", "user": "UEMP0001", "ts": ts, "text": ""}
    running.message_shortcut("UEMP0002", "check_against_policy", "C0GENERAL", message)
    private = running.fake.ephemerals_for("UEMP0002")
    assert private and "no text for me to check" in private[-1].text


def test_where_the_bot_cannot_answer_privately_it_sends_a_direct_message(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    # A channel the bot cannot post in: Slack refuses the ephemeral (channel_not_found).
    message = {"type": "message", "user": "UEMP0001", "ts": "1700000000.000100", "text": "Trots!"}
    running.message_shortcut("UEMP0002", "check_against_policy", "C0PRIVATE", message)
    assert running.fake.ephemerals_for("UEMP0002") == []
    dm = running.fake.bot_messages(running.fake.im_for("UEMP0002"))
    assert len(dm) == 1 and "R10" in dm[0].text + blocks_text(dm[0].blocks)
