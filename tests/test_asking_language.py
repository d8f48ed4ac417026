"""An answer is in the language the person asked in, when their own words say which; their
Slack locale (Slack offers no Dutch interface, so a Dutch colleague's is most often `en-US`)
and then `POLICYBOT_LANGUAGE` only decide when the words do not. A post they want checked
says nothing of their language; the lead-in before it does. An escalation goes on in the
question's language."""

from __future__ import annotations

import pytest

from bot.asking.intents import recognise
from bot.asking.language import language_of_question
from tests.driver import EMMA, ERIK, SlackDriver, add_sample_contacts
from tests.escalating import ask_by_dm, in_thread, press_ask, role_post
from tests.payloads import text_of
from tests.seed import adopt

DUTCH = "Mag ik een foto van de nieuwe burgemeester op Instagram zetten?"
ENGLISH = "May I put a photo of the new mayor on Instagram?"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (DUTCH, "nl"),
        (ENGLISH, "en"),
        ("wie gaat over klachten op twitter?", "nl"),
        ("who handles complaints on twitter?", "en"),
        ("mag ik dit posten: Two reporters messaged me about the fire", "nl"),
        ("can I post this: Twee journalisten belden me over de brand", "en"),
        ("Two reporters messaged me about the fire", None),  # a post alone: not the asker's
        ("Facebook?", None),
        ("hulp", "nl"),
        ("Goedemorgen!", "nl"),
        ("hello", "en"),
        ("help", None),  # both languages' word
    ],
)
def test_the_askers_own_words_say_their_language(message: str, expected: str | None) -> None:
    assert language_of_question(recognise(message).asker_words) == expected


def test_an_english_locale_asking_in_dutch_is_answered_in_dutch(running: SlackDriver) -> None:
    adopt(running.db)
    answer = text_of(running.dm(EMMA, DUTCH))  # Emma's Slack is in English
    assert "Hoe zeker" in answer and "How sure" not in answer
    assert "How sure" in text_of(running.dm(EMMA, ENGLISH))


def test_a_dutch_locale_asking_in_english_is_answered_in_english(running: SlackDriver) -> None:
    adopt(running.db)
    answer = text_of(running.dm(ERIK, ENGLISH))  # Erik's Slack says nl-NL
    assert "How sure" in answer and "Hoe zeker" not in answer


def test_the_lead_in_decides_not_the_pasted_post(running: SlackDriver) -> None:
    adopt(running.db)
    asked = running.dm(EMMA, "mag ik dit posten: Two reporters from the paper messaged me")
    assert "Vraag het eerst aan" in text_of(asked)
    alone = running.dm(EMMA, "Two reporters from the paper messaged me")  # the post alone
    assert "Ask Persvoorlichting en woordvoering first" in text_of(alone)


def test_who_handles_this_in_dutch_from_an_english_locale(running: SlackDriver) -> None:
    adopt(running.db)
    running.command(EMMA, "who wie gaat over klachten op twitter?")
    answer = running.last_reply_text()
    assert "*Webcareteam* gaat hierover" in answer


def test_a_dutch_greeting_gets_dutch_help(running: SlackDriver) -> None:
    assert "Hoi!" in text_of(running.dm(EMMA, "hulp"))
    assert "Hi!" in text_of(running.dm(ERIK, "hello"))


def test_unclear_words_keep_the_locale(running: SlackDriver) -> None:
    adopt(running.db)
    answer = text_of(running.dm(EMMA, "Facebook?"))
    assert "How sure" in answer and "Hoe zeker" not in answer


def test_an_escalation_goes_on_in_the_questions_language(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    asked = ask_by_dm(
        running, EMMA, "mag ik dit posten: Onder ons bericht staan tientallen klachten"
    )
    assert "Vraag het Webcareteam" in asked.button["text"]["text"]
    press_ask(running, asked)
    told = running.last_reply_text()
    assert "doorgestuurd naar *Webcareteam*" in told  # the click's answer: Dutch
    post = role_post(running, "C0WEBCARE")
    running.message("UCOMMS01", "C0WEBCARE", "Welke klachten precies?", thread_ts=post.ts)
    relayed = [m.text for m in in_thread(running, asked.dm, asked.ts)][-1]
    assert "Welke klachten precies?" in relayed and "Reageer in deze thread" in relayed


def test_my_questions_are_listed_in_the_language_of_my_latest(running: SlackDriver) -> None:
    adopt(running.db)
    running.dm(EMMA, DUTCH)  # Emma's Slack is in English
    running.command(EMMA, "mine")
    assert "*Je laatste vragen*" in running.last_reply_text()
    running.dm(EMMA, ENGLISH)
    running.command(EMMA, "mine")
    assert "*Your latest questions*" in running.last_reply_text()
