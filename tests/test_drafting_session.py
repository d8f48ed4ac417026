"""A whole guided session, from `/policy draft` to the summary, through signed requests."""

from __future__ import annotations

import datetime as dt

from bot.storage.models.policy import PolicyVersion
from tests.driver import DRAFT_CHANNEL, EMMA, WENDY, WILLEM, SlackDriver
from tests.payloads import text_of
from tests.seed import contributions, session_row, working_group


def test_a_whole_section_from_start_to_summary(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    fake, slack = running.fake, running
    root = running.start_draft(WENDY, "identity")  # wendy's Slack speaks English

    session_message = fake.message(DRAFT_CHANNEL, root)
    assert "Drafting: " in text_of(session_message)
    first = running.last_post(root)
    assert "Question 1 of 6" in text_of(first)
    assert "mission" in text_of(first).lower()

    # Two members answer the first question; each reply is confirmed with a reaction only.
    a1 = slack.message(WILLEM, DRAFT_CHANNEL, "Wij maken zorg dichtbij.", thread_ts=root)
    a2 = slack.message(WENDY, DRAFT_CHANNEL, "Care close to home, online too.", thread_ts=root)
    assert fake.reactions_on(DRAFT_CHANNEL, a1) == {"white_check_mark": [fake.bot_user_id]}
    assert fake.reactions_on(DRAFT_CHANNEL, a2) == {"white_check_mark": [fake.bot_user_id]}
    assert len(running.thread(root)) == 1  # no message for a recorded answer

    # Dutch word moves on; the choice question is answered by a button.
    slack.message(WILLEM, DRAFT_CHANNEL, "volgende", thread_ts=root)
    second = running.last_post(root)
    assert "Question 2 of 6" in text_of(second)
    running.click(WILLEM, second, "drafting_pick_1")  # "interacting"

    # English button to skip, then back, then skip again with the Dutch word.
    running.click(WENDY, second, "drafting_nav_skip")
    assert "Question 3 of 6" in text_of(running.last_post(root))
    slack.message(WENDY, DRAFT_CHANNEL, "Back", thread_ts=root)
    assert "Question 2 of 6" in text_of(running.last_post(root))
    slack.message(WILLEM, DRAFT_CHANNEL, "Overslaan!", thread_ts=root)
    third = running.last_post(root)
    assert "Question 3 of 6" in text_of(third)
    slack.message(WENDY, DRAFT_CHANNEL, "skip", thread_ts=root)
    slack.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)
    assert "Question 5 of 6" in text_of(running.last_post(root))
    slack.message(WILLEM, DRAFT_CHANNEL, "klaar", thread_ts=root)

    summary = text_of(running.last_post(root))
    assert "Summary: " in summary  # in the language of whoever started the session
    assert "2 contributions by <@UWG00001>, <@UWG00002>" in summary
    assert "1 contribution by <@UWG00001>" in summary  # the pick on question 2
    assert "skipped" in summary
    assert "Who took part:* <@UWG00001>, <@UWG00002>" in summary
    assert session_row(running.db, root).status == "done"

    recorded = contributions(running.db)
    assert [(c.question_id, c.author) for c in recorded] == [
        ("identity.mission", WILLEM),
        ("identity.mission", WENDY),
        ("identity.interaction", WILLEM),
    ]
    first_answer = recorded[0]
    assert first_answer.text == "Wij maken zorg dichtbij."
    assert first_answer.channel == DRAFT_CHANNEL and first_answer.message_ts == a1
    assert first_answer.permalink and a1.replace(".", "") in first_answer.permalink
    assert first_answer.section_id == "identity" and first_answer.created_at is not None
    assert recorded[2].structured["options"] == ["interacting"]


def test_bare_draft_offers_the_sections_and_where_each_stands(running: SlackDriver) -> None:
    working_group(running.db, WILLEM)
    root = running.start_draft(WILLEM, "purpose")
    running.message(WILLEM, DRAFT_CHANNEL, "Houvast, geen regels.", thread_ts=root)

    running.command(WILLEM, "draft", DRAFT_CHANNEL)  # willem reads Dutch
    offer = running.fake.last("response_url").args
    blocks = offer["blocks"]
    assert "Aan welk onderdeel gaan we werken?" in offer["text"]
    rows = [b for b in blocks if b.get("accessory")]
    assert len(rows) == 8
    purpose = next(b for b in rows if "Waarom" in b["text"]["text"])
    assert "`▰▱▱▱` 1/4 vragen beantwoord" in purpose["text"]["text"]
    # The section names it answers to, in Willem's language, and its number.
    assert "`purpose` · `doel` · `waarom` · `3`" in purpose["text"]["text"]
    # It has an open session: its button opens that thread instead of starting another.
    assert purpose["accessory"]["text"]["text"] == "Verder in het draadje"
    assert root.replace(".", "") in purpose["accessory"]["url"]

    # A section without a session starts right there, where it stands.
    identity = next(b for b in rows if "identiteit" in b["text"]["text"])
    action = {
        "action_id": identity["accessory"]["action_id"],
        "value": identity["accessory"]["value"],
    }
    before = len(running.fake.bot_messages(DRAFT_CHANNEL))
    running.block_action(WILLEM, action, channel=DRAFT_CHANNEL)
    posted = running.fake.bot_messages(DRAFT_CHANNEL)[before:]
    assert any("Samen schrijven: Onze online identiteit" in text_of(m) for m in posted)


def test_status_and_who_may_draft(running: SlackDriver) -> None:
    working_group(running.db, WILLEM)
    running.command(EMMA, "draft identity", DRAFT_CHANNEL)
    assert "only someone with the role *working group*" in running.last_reply_text()
    assert running.fake.bot_messages(DRAFT_CHANNEL) == []

    root = running.start_draft(WILLEM, "identity")
    running.message(WILLEM, DRAFT_CHANNEL, "Open en nieuwsgierig.", thread_ts=root)
    running.command(WILLEM, "status", DRAFT_CHANNEL)
    status = running.last_reply_text()
    assert "Hoe het concept ervoor staat" in status
    assert "`▰▱▱▱▱▱` 1/6 vragen beantwoord" in status
    assert "bijdragers: <@UWG00001>" in status
    assert "Er is nog geen versie van het beleid vastgesteld." in status

    with running.db.session() as session:  # management adopted a first version meanwhile
        session.add(
            PolicyVersion(
                number=1,
                label="2026.1",
                document={},
                approved_by="Directie",
                approved_on=dt.date(2026, 11, 20),
                recorded_by=WILLEM,
            )
        )
    running.command(WILLEM, "status", DRAFT_CHANNEL)
    assert "Vastgestelde versie: *1* (2026.1), goedgekeurd door Directie op <!date^" in (
        running.last_reply_text()
    )

    running.command(WILLEM, "draft nonsense", DRAFT_CHANNEL)
    assert "Er is geen onderdeel `nonsense`." in running.last_reply_text()
