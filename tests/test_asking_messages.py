"""Direct messages and mentions: "mag ik dit posten / may I post", "wie gaat over / who
handles", and anything else, in Dutch and English."""

from __future__ import annotations

from tests.driver import SlackDriver
from tests.payloads import blocks_text, buttons, text_of
from tests.seed import adopt


def test_dutch_check_with_a_pasted_post(running: SlackDriver) -> None:
    adopt(running.db)
    shown = text_of(
        running.dm(
            "UEMP0001",
            "mag ik dit posten: Onder ons bericht staan tientallen klachten, ik reageer wel even",
        )
    )
    assert "Vraag het eerst aan" in shown and "R12" in shown


def test_english_check_phrase(running: SlackDriver) -> None:
    adopt(running.db)
    shown = text_of(
        running.dm("UEMP0002", "Can I post that I'm campaigning in the municipal elections?")
    )
    assert "Ask" in shown and "R06" in shown


def test_dutch_who_question(running: SlackDriver) -> None:
    adopt(running.db)
    shown = text_of(running.dm("UEMP0001", "Wie gaat over vragen van een verslaggever?"))
    assert "Persvoorlichting en woordvoering" in shown and "gaat hierover" in shown
    assert "<@U0PERS001>" in shown


def test_english_who_question_about_a_dutch_policy(running: SlackDriver) -> None:
    adopt(running.db)
    shown = text_of(running.dm("UEMP0002", "My Instagram account got hacked. Who do I contact?"))
    assert "Servicedesk ICT" in shown and "<!subteam^S07SVCDESK>" in shown


def test_anything_else_gets_passages_and_an_offer_to_ask_the_comms_team(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    channel = running.fake.im_for("UEMP0002")
    running.message("UEMP0002", channel, "What does the policy say about webcare?")
    answer = running.fake.bot_messages(channel)[-1]
    shown = answer.text + blocks_text(answer.blocks)
    assert "Afdeling Communicatie" in shown
    assert buttons(answer.blocks, "asking_escalate")


def test_the_bot_does_not_answer_itself_or_edits(running: SlackDriver) -> None:
    adopt(running.db)
    channel = running.fake.im_for("UEMP0002")
    running.event(
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": channel,
            "channel_type": "im",
            "message": {"user": "UEMP0002", "text": "may I post this?", "ts": "1.000001"},
            "ts": "1.000002",
        }
    )
    running.event(
        {
            "type": "message",
            "channel": channel,
            "channel_type": "im",
            "user": running.fake.bot_user_id,
            "bot_id": running.fake.bot_id,
            "text": "may I post this?",
            "ts": "1.000003",
        }
    )
    assert running.fake.bot_messages(channel) == []


def test_a_mention_is_answered_privately_in_the_askers_language(running: SlackDriver) -> None:
    adopt(running.db)
    bot = running.fake.bot_user_id
    text = f"<@{bot}> mag ik dit delen? Het collegevoorstel over de sporthal is klaar"
    ts = running.fake.post_user_message("UEMP0001", "C0GENERAL", text)
    running.event(
        {
            "type": "app_mention",
            "user": "UEMP0001",
            "text": text,
            "ts": ts,
            "channel": "C0GENERAL",
            "event_ts": ts,
        }
    )
    private = running.fake.ephemerals_for("UEMP0001")
    assert len(private) == 1
    shown = private[0].text + blocks_text(private[0].blocks)
    assert "Niet posten" in shown and "R03" in shown
    assert running.fake.bot_messages("C0GENERAL") == []
