"""`/policy mine`: an asker's own questions (masked, as the log keeps them), what the bot
answered, and where each question passed on to a role stands, with a link to the
conversation in their own DM with the bot; nobody else's questions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from bot.asking import question_log
from bot.storage.models.asking import AskedQuestion
from tests.driver import SlackDriver, add_sample_contacts
from tests.escalating import ask_by_dm, mark_answered, press_ask, role_post
from tests.seed import adopt

ERIK, EMMA = "UEMP0001", "UEMP0002"


def test_nothing_asked_yet(running: SlackDriver) -> None:
    running.command(EMMA, "mine")
    assert "You haven't asked me anything yet" in running.last_reply_text()
    running.command(ERIK, "mijn")
    assert "Je hebt me nog niets gevraagd" in running.last_reply_text()


def test_my_questions_masked_with_the_state_of_each_conversation(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    running.command(EMMA, "check Lost dog! Call the finder, Mrs Baker, at 06-12345678")
    running.command(EMMA, "who a journalist called about the new cycle path")
    running.command(ERIK, "check Iets van Erik zelf")  # someone else's
    waiting = ask_by_dm(running, EMMA, "Two reporters from the regional paper messaged me.")
    press_ask(running, waiting)
    replied = ask_by_dm(
        running, EMMA, "may I post this: Onder ons bericht staan tientallen klachten"
    )
    press_ask(running, replied)
    post = role_post(running, "C0WEBCARE")
    running.message("UCOMMS01", "C0WEBCARE", "Which complaints?", thread_ts=post.ts)

    running.command(EMMA, "mine")
    text = running.last_reply_text()
    assert "Your latest questions" in text and "Erik zelf" not in text
    assert "06-****5678" in text and "06-12345678" not in text
    assert "*forbidden* (R01)" in text and "*Persvoorlichting en woordvoering*" in text
    assert "passed on to *Persvoorlichting en woordvoering*: waiting for their answer" in text
    assert "passed on to *Webcareteam*: they replied" in text
    dm = running.fake.im_for(EMMA)
    assert f"archives/{dm}" in text  # links only into their own DM
    assert f"archives/{running.fake.im_for('U0PERS001')}" not in text

    mark_answered(running, "UCOMMS01", post)
    running.command(EMMA, "mine")
    assert "passed on to *Webcareteam*: answered (<@UCOMMS01>" in running.last_reply_text()


def test_in_dutch_with_older_questions_counted_and_purged_text_said(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    for n in range(12):
        running.command(ERIK, f"check Mooie foto van de markt, nummer {n}")
    with running.db.session() as session:  # the oldest one's text is past retention
        session.execute(
            update(AskedQuestion)
            .where(AskedQuestion.text.like("%nummer 0"))
            .values(asked_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        )
        question_log.purge_expired(session, dt.datetime.now(dt.UTC), 90)
        session.execute(  # and it is among the latest ten again
            update(AskedQuestion)
            .where(AskedQuestion.text.is_(None))
            .values(asked_at=dt.datetime.now(dt.UTC))
        )
    running.command(ERIK, "mijn")
    text = running.last_reply_text()
    assert "Je laatste vragen" in text and "_mag ik posten_" in text
    assert "…en nog 2 oudere vragen." in text
    assert "de tekst van de vraag wordt niet meer bewaard" in text
