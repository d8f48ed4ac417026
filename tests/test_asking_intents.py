"""Recognising "may I post this?", "who handles this?" and the rest, in Dutch and English."""

from __future__ import annotations

import pytest

from bot.asking.intents import CHECK, HELP, SEARCH, WHO, recognise
from tests.samples import sample_questions


@pytest.mark.parametrize(
    "text",
    [
        "Mag ik dit posten: Trots op ons team!",
        "mag ik dit delen? We zoeken collega's",
        "Kan ik dit delen op LinkedIn?",
        "Mág ik een foto van de notitie in de groepsapp zetten?",
        "May I post this: We're hiring!",
        "Can I share this on Facebook?",
        "Is this OK to post? Our new skatepark is open",
        "Okay for my Insta? Selfie in uniform",
        "Two reporters messaged me on LinkedIn. Can I answer them?",
    ],
)
def test_check_phrases_in_both_languages(text: str) -> None:
    assert recognise(text).kind == CHECK


@pytest.mark.parametrize(
    "text",
    [
        "Wie gaat over vragen van journalisten?",
        "wie beantwoordt vragen van een verslaggever?",
        "Bij wie moet ik zijn met een Woo-verzoek?",
        "Bij wie kan ik terecht als een inwoner klaagt?",
        "Wie moet ik waarschuwen bij een datalek?",
        "Who handles FOI requests?",
        "My Instagram account got hacked. Who do I contact?",
        "Who do I ask about the dress code?",
        "who should they talk to?",
    ],
)
def test_who_phrases_in_both_languages(text: str) -> None:
    assert recognise(text).kind == WHO


def test_a_pasted_post_after_a_lead_in_is_what_gets_checked() -> None:
    intent = recognise("mag ik dit posten:\nTrots op ons team! <!channel>")
    assert intent.kind == CHECK
    assert intent.post == "Trots op ons team! <!channel>"
    assert intent.text == intent.post
    english = recognise("May I post this: Proud of our team!")
    assert (english.kind, english.post) == (CHECK, "Proud of our team!")


def test_a_bare_post_is_checked_and_a_question_about_the_policy_is_a_search() -> None:
    assert recognise("Proud of our team: 200 new park benches arrived!").kind == CHECK
    assert recognise("What does the policy say about LinkedIn?").kind == SEARCH
    assert recognise("Wat zegt het beleid over TikTok?").kind == SEARCH
    assert recognise("Hoe werkt webcare bij ons?").kind == SEARCH


@pytest.mark.parametrize("text", ["help", "Hallo!", "hi", "?"])
def test_greetings_get_help(text: str) -> None:
    assert recognise(text).kind == HELP


def test_every_sample_question_is_recognised_as_its_kind() -> None:
    """The labelled questions of examples/, typed as a DM: check or who."""
    questions = sample_questions()
    wrong = [(q["id"], q["kind"], recognise(q["text"]).kind) for q in questions]
    assert [w for w in wrong if w[1] != w[2]] == []
