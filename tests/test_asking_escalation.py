"""Escalation: "Ask <role>" posts the question, masked, to the role's contact (a channel, a
person's DM, a user group, the default role for an e-mail contact), with a *Mark answered*
button; tells the asker where it went; and opens the asker's side of the conversation in
their DM with the bot. Links go only where the reader can look."""

from __future__ import annotations

from handlers.kit.payloads import AskRole
from tests.driver import ADMIN, GENERAL, SlackDriver, add_sample_contacts
from tests.escalating import ask_by_dm, in_thread, press_ask, role_post
from tests.payloads import blocks_text, buttons, text_of
from tests.seed import adopt

POST = "mag ik dit posten: Onder ons bericht staan tientallen klachten <!channel>, ik reageer wel"


def test_the_question_reaches_the_roles_channel_masked_with_a_button(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    asked = ask_by_dm(running, "UEMP0001", POST + " Bel me: 06-12345678")
    assert "Webcareteam" in asked.button["text"]["text"]
    press_ask(running, asked)

    post = role_post(running, "C0WEBCARE")
    shown = text_of(post)
    assert "<@UEMP0001>" in shown and "R12" in shown and "tientallen klachten" in shown
    assert "<!channel>" not in shown and "klachten @channel" in shown  # inert
    assert "06-12345678" not in shown and "06-****5678" in shown  # masked
    assert "slack.com/archives/" not in shown  # asked in a DM: no link the role cannot open
    assert buttons(post.blocks, "asking_mark_answered")
    told = running.last_reply_text()
    assert "doorgestuurd naar *Webcareteam*" in told and "<#C0WEBCARE>" in told
    assert "thread van je vraag" in told
    # The asker's side: the thread of their question in the DM says where it went.
    (note,) = in_thread(running, asked.dm, asked.ts)
    assert "Webcareteam" in note.text and "<#C0WEBCARE>" in note.text


def test_a_second_click_does_not_post_again_and_the_lead_sees_it(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    asked = ask_by_dm(running, "UEMP0001", POST)
    press_ask(running, asked)
    press_ask(running, asked)
    assert len(running.fake.bot_messages("C0WEBCARE")) == 1
    assert "al naar gevraagd" in running.last_reply_text()
    running.command(ADMIN, "escalations")
    listing = running.last_reply_text()
    assert "Open (1)" in listing and "<@UEMP0001>" in listing and "0 replies" in listing
    assert "in <#C0WEBCARE>" in listing and "tientallen klachten" in listing


def test_a_person_contact_gets_a_direct_message_and_no_link_into_it(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    asked = ask_by_dm(
        running, "UEMP0002", "Two reporters from the regional paper messaged me. Can I answer?"
    )
    press_ask(running, asked)
    press_dm = running.fake.im_for("U0PERS001")
    post = role_post(running, press_dm)
    assert "<@UEMP0002>" in post.text
    told = running.last_reply_text()
    assert "direct message to <@U0PERS001>" in told and f"archives/{press_dm}" not in told
    running.command(ADMIN, "escalations")  # the lead reads where it went, not a DM link
    assert "a direct message to <@U0PERS001>" in running.last_reply_text()


def test_only_the_asker_can_pass_a_question_on(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    asked = ask_by_dm(running, "UEMP0001", POST)
    press_ask(running, asked, user="UEMP0002")
    assert running.fake.bot_messages("C0WEBCARE") == []
    assert "Only the person who asked" in running.last_reply_text()


def test_escalations_are_for_the_comms_lead(running: SlackDriver) -> None:
    running.command("UEMP0002", "escalations")
    assert "only someone with the role" in running.last_reply_text()


def test_the_role_comes_from_the_question_not_from_the_button(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    asked = ask_by_dm(running, "UEMP0001", POST)
    real = asked.button
    value = AskRole.decode(real["value"])
    assert isinstance(value.question, int) and (value.role, value.channel, value.ts) == (None,) * 3
    # A value naming another role is refused as forged, and nothing is passed on.
    forged = AskRole(value.question, "pers").encode()
    asked.button = real | {"value": forged}
    press_ask(running, asked)
    assert "out of date (or was not made by me)" in running.last_reply_text() or (
        "komt niet van mij" in running.last_reply_text()
    )
    assert running.fake.bot_messages(running.fake.im_for("U0PERS001")) == []
    assert running.fake.bot_messages("C0WEBCARE") == []
    asked.button = real  # the button as the bot made it: to the role the bot answered with
    press_ask(running, asked)
    assert len(running.fake.bot_messages("C0WEBCARE")) == 1
    assert "Webcareteam" in blocks_text([{"type": "x", "elements": [real]}])


def test_a_user_group_is_mentioned_in_the_default_roles_channel(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    running.fake.add_usergroup("S07SVCDESK", "servicedesk", ["UWG00002"])
    asked = ask_by_dm(
        running,
        "UEMP0002",
        'May I post this in the team app? "Account webcare: gv_webcare, ww: Zomer2026!"',
    )
    assert "Servicedesk" in asked.button["text"]["text"]
    press_ask(running, asked)

    post = role_post(running, "C0COMMS")
    assert "<!subteam^S07SVCDESK>" in post.text or "<!subteam^S07SVCDESK>" in text_of(post)
    assert "R09" in text_of(post) and "Zomer2026!" not in text_of(post)  # the password masked
    running.message("UWG00002", "C0COMMS", "Change that password now!", thread_ts=post.ts)
    relayed = in_thread(running, asked.dm, asked.ts)[-1]
    assert "Change that password now!" in relayed.text and "<@UWG00002>" in relayed.text


def test_an_email_contact_goes_to_the_default_roles_channel_with_a_note(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    asked = ask_by_dm(
        running, "UEMP0002", "May I post this: Mevrouw Jansen, BSN 111222333, heeft een klacht"
    )
    assert "Privacyteam" in asked.button["text"]["text"]
    press_ask(running, asked)
    post = role_post(running, "C0COMMS")
    assert "privacy@gemeentevoorbeeld.nl" in text_of(post) and "111222333" not in text_of(post)
    running.message("UCOMMS01", "C0COMMS", "Passed on to the privacy team.", thread_ts=post.ts)
    assert "Passed on to the privacy team." in in_thread(running, asked.dm, asked.ts)[-1].text


def test_asked_elsewhere_the_conversation_opens_in_the_askers_dm(running: SlackDriver) -> None:
    """Asked with the shortcut on a message in a public channel: the role gets a link to that
    message (they can open it); the asker gets a new DM message quoting the question, masked,
    and a link to it (their own DM)."""
    adopt(running.db)
    add_sample_contacts(running.fake)
    ts = running.fake.post_user_message(
        "UEMP0002", GENERAL, "Onder ons bericht staan tientallen klachten; mail me op jan@xs4all.nl"
    )
    running.message_shortcut(
        "UEMP0002",
        "check_against_policy",
        GENERAL,
        {"ts": ts, "text": "", "type": "message"}
        | {"text": "Onder ons bericht staan tientallen klachten; mail me op jan@xs4all.nl"},
    )
    answer = running.fake.ephemerals_for("UEMP0002")[-1]
    (button,) = buttons(answer.blocks, "asking_escalate")
    running.press("UEMP0002", button, channel=GENERAL)

    post = role_post(running, "C0WEBCARE")
    assert "slack.com/archives/C0GENERAL" in text_of(post)  # public: the role may look
    dm = running.fake.im_for("UEMP0002")
    (opening,) = [m for m in running.fake.bot_messages(dm) if not m.is_reply]
    assert "Webcareteam" in opening.text and "tientallen klachten" in opening.text
    assert "jan@xs4all.nl" not in opening.text
    told = running.last_reply_text()
    assert f"archives/{dm}" in told  # a link to their own DM, where the answers will come

    running.message("UCOMMS01", "C0WEBCARE", "We'll handle it.", thread_ts=post.ts)
    assert "We'll handle it." in in_thread(running, dm, opening.ts)[-1].text


def test_no_link_to_a_private_channel(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    running.fake.add_channel("C0SECRET", "geheim", ["UEMP0002"], private=True)
    text = "Onder ons bericht staan tientallen klachten, ik reageer wel"
    ts = running.fake.post_user_message("UEMP0002", "C0SECRET", text)
    message = {"ts": ts, "text": text, "type": "message"}
    running.message_shortcut("UEMP0002", "check_against_policy", "C0SECRET", message)
    answer = running.fake.ephemerals_for("UEMP0002")[-1]
    (button,) = buttons(answer.blocks, "asking_escalate")
    running.press("UEMP0002", button, channel="C0SECRET")
    assert "slack.com/archives/" not in text_of(role_post(running, "C0WEBCARE"))
