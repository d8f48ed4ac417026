"""Escalation round trip: "Ask <role>" posts the question to the role's contact, tells the
asker where it went, and relays the role's first reply in that thread back, once."""

from __future__ import annotations

from handlers.kit.payloads import AskRole
from tests.driver import ADMIN, SlackDriver, add_sample_contacts
from tests.payloads import blocks_text, buttons
from tests.seed import adopt

POST = "mag ik dit posten: Onder ons bericht staan tientallen klachten <!channel>, ik reageer wel"


def _ask_by_dm(running: SlackDriver, user: str, text: str) -> tuple[str, dict]:
    channel = running.fake.im_for(user)
    running.message(user, channel, text)
    answer = running.fake.bot_messages(channel)[-1]
    found = buttons(answer.blocks, "asking_escalate")
    assert found, "the answer offers no 'Ask <role>' button"
    return channel, {"answer": answer, "button": found[0]}


def _click(running: SlackDriver, user: str, channel: str, asked: dict) -> None:
    answer, button = asked["answer"], asked["button"]
    running.block_action(
        user,
        {"action_id": "asking_escalate", "block_id": "asking_escalate", "value": button["value"]},
        channel=channel,
        message={"ts": answer.ts, "text": answer.text, "blocks": answer.blocks},
    )


def test_round_trip_through_the_roles_channel(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    dm, asked = _ask_by_dm(running, "UEMP0001", POST)
    assert "Webcareteam" in asked["button"]["text"]["text"]

    _click(running, "UEMP0001", dm, asked)

    posts = running.fake.bot_messages("C0WEBCARE")
    assert len(posts) == 1
    post = posts[0]
    assert "<@UEMP0001>" in post.text and "R12" in post.text
    assert "tientallen klachten" in post.text
    assert "<!channel>" not in post.text and "klachten @channel" in post.text  # inert
    assert "slack.com/archives/" in post.text  # a link to where it was asked
    told = running.last_reply_text()
    assert "doorgestuurd naar *Webcareteam*" in told and "<#C0WEBCARE>" in told

    # The role answers in the thread; the asker gets it once, by direct message.
    running.message("UCOMMS01", "C0WEBCARE", "Laat maar aan ons over!", thread_ts=post.ts)
    relayed = [m for m in running.fake.bot_messages(dm) if "beantwoord" in m.text]
    assert len(relayed) == 1
    assert "Laat maar aan ons over!" in relayed[0].text and "<@UCOMMS01>" in relayed[0].text
    running.message("UWG00002", "C0WEBCARE", "And another thing", thread_ts=post.ts)
    assert len([m for m in running.fake.bot_messages(dm) if "beantwoord" in m.text]) == 1

    # Listed for the comms lead; a second click does not post again.
    running.command(ADMIN, "escalations")
    listing = running.last_reply_text()
    assert "Answered (1)" in listing and "<@UEMP0001>" in listing and "<@UCOMMS01>" in listing
    _click(running, "UEMP0001", dm, asked)
    assert len(running.fake.bot_messages("C0WEBCARE")) == 1
    assert "al naar gevraagd" in running.last_reply_text()


def test_a_person_contact_gets_a_direct_message(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    dm, asked = _ask_by_dm(
        running, "UEMP0002", "Two reporters from the regional paper messaged me. Can I answer?"
    )
    _click(running, "UEMP0002", dm, asked)
    press_dm = running.fake.im_for("U0PERS001")
    posts = running.fake.bot_messages(press_dm)
    assert len(posts) == 1 and "<@UEMP0002>" in posts[0].text
    assert "direct message to <@U0PERS001>" in running.last_reply_text()

    running.message("U0PERS001", press_dm, "I'll call them, thanks", thread_ts=posts[0].ts)
    relayed = [m for m in running.fake.bot_messages(dm) if "answered your question" in m.text]
    assert len(relayed) == 1 and "call them" in relayed[0].text
    # The reply in the press officer's DM thread was not taken for a new question.
    assert len(running.fake.bot_messages(press_dm)) == 1


def test_only_the_asker_can_pass_a_question_on(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    dm, asked = _ask_by_dm(running, "UEMP0001", POST)
    _click(running, "UEMP0002", dm, asked)
    assert running.fake.bot_messages("C0WEBCARE") == []
    assert "Only the person who asked" in running.last_reply_text()


def test_escalations_are_for_the_comms_lead(running: SlackDriver) -> None:
    running.command("UEMP0002", "escalations")
    assert "only someone with the role" in running.last_reply_text()


def test_button_value_names_only_the_question(running: SlackDriver) -> None:
    adopt(running.db)
    _, asked = _ask_by_dm(running, "UEMP0001", POST)
    value = AskRole.decode(asked["button"]["value"])
    assert isinstance(value.question, int) and (value.role, value.channel, value.ts) == (None,) * 3
    assert "Webcareteam" in blocks_text([{"type": "x", "elements": [asked["button"]]}])


def test_a_user_group_is_mentioned_in_the_default_roles_channel(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    running.fake.add_usergroup("S07SVCDESK", "servicedesk", ["UWG00002"])
    dm, asked = _ask_by_dm(
        running,
        "UEMP0002",
        'May I post this in the team app? "Account webcare: gv_webcare, ww: Zomer2026!"',
    )
    assert "Servicedesk" in asked["button"]["text"]["text"]
    _click(running, "UEMP0002", dm, asked)

    posts = running.fake.bot_messages("C0COMMS")
    assert len(posts) == 1
    assert "<!subteam^S07SVCDESK>" in posts[0].text and "R09" in posts[0].text
    assert "Zomer2026!" not in posts[0].text  # the password is masked
    running.message("UWG00002", "C0COMMS", "Change that password now!", thread_ts=posts[0].ts)
    relayed = [m for m in running.fake.bot_messages(dm) if "answered your question" in m.text]
    assert len(relayed) == 1 and "Change that password now!" in relayed[0].text
