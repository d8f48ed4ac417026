"""Paraphrases heard through the domain concepts (round 23): a post plainly under a rule that
shares no word with it still reaches the rule when it evokes the rule's concept in the words
people use, in either language; the look-alikes that only borrow a word do not."""

from __future__ import annotations

from typing import Any

import pytest

from bot.answering.reading import _concept_compound_keys
from tests.samples import compiled

OTHER = {"id": "P1", "verdict": "forbidden", "keywords": ["wachtwoord", "password"]}


def _answer(rule: dict[str, Any], text: str, language: str) -> tuple[str, list[str], str]:
    data = compiled([rule, OTHER], language=language).check(text).to_json()
    return str(data["verdict"]), [r["id"] for r in data["rules"]], str(data.get("certainty"))


# -- people in photos: what of a person a picture still shows ----------------------------------
PHOTO_NL = {
    "id": "H1",
    "verdict": "forbidden",
    "keywords": ["herkenbaar"],
    "text": "Plaats geen foto's waarop een cliënt of arrestant herkenbaar is.",
}
PHOTO_EN = {
    "id": "H2",
    "verdict": "forbidden",
    "keywords": ["recognisable"],
    "text": "Never post photos in which a patient or a suspect is recognisable.",
}


@pytest.mark.parametrize(
    ("rule", "language", "question"),
    [
        (
            PHOTO_NL,
            "nl",
            "Mag ik de foto van de man die we net aanhielden posten? Je ziet alleen zijn rug.",
        ),
        (PHOTO_NL, "nl", "Mag dit filmpje op TikTok? Je ziet alleen hun handen en achterhoofd."),
        (
            PHOTO_EN,
            "en",
            "Can I post the picture from the ward? You only see the back of her head.",
        ),
        (PHOTO_EN, "en", "Can I share the video of the arrest? It's only a silhouette."),
    ],
)
def test_a_person_seen_only_in_part_is_still_a_person_in_the_picture(
    rule: dict[str, Any], language: str, question: str
) -> None:
    assert _answer(rule, question, language) == ("forbidden", [rule["id"]], "strong")


@pytest.mark.parametrize(
    ("rule", "language", "question"),
    [
        (PHOTO_NL, "nl", "Mag ik een foto van de zonsondergang boven de Maas posten?"),
        (PHOTO_EN, "en", "Can I post a photo of the new reception desk? It looks great."),
    ],
)
def test_a_picture_of_no_one_stays_unheard(
    rule: dict[str, Any], language: str, question: str
) -> None:
    assert rule["id"] not in _answer(rule, question, language)[1]


# -- befriending the people the work serves -----------------------------------------------------
FRIENDS_EN = {
    "id": "F1",
    "verdict": "forbidden",
    "keywords": ["friend request"],
    "text": "Do not become friends with pupils or their parents on social media, and do not "
    "follow them from your own account.",
}
FRIENDS_NL = {
    "id": "F2",
    "verdict": "forbidden",
    "keywords": ["vriendschapsverzoek"],
    "text": "Word geen vrienden op social media met cliënten of hun familie, en volg ze niet "
    "vanaf je eigen account.",
}


@pytest.mark.parametrize(
    ("rule", "language", "question"),
    [
        (
            FRIENDS_EN,
            "en",
            "The mother of a pupil wants to connect with me on Instagram. Fine to accept?",
        ),
        (FRIENDS_EN, "en", "One of my students started following me on TikTok, can I follow back?"),
        (
            FRIENDS_NL,
            "nl",
            "De moeder van een cliënt stuurde me een volgverzoek. Mag ik dat accepteren?",
        ),
        (FRIENDS_NL, "nl", "Een cliënt wil me toevoegen op Facebook, is dat goed?"),
    ],
)
def test_a_request_to_connect_reaches_the_rule_against_befriending(
    rule: dict[str, Any], language: str, question: str
) -> None:
    assert _answer(rule, question, language) == ("forbidden", [rule["id"]], "strong")


@pytest.mark.parametrize(
    ("rule", "language", "question"),
    [
        (
            FRIENDS_EN,
            "en",
            "Our school wants to connect with local businesses, can I share the post?",
        ),
        (FRIENDS_EN, "en", "Can I post that I finally connected my new printer?"),
        (FRIENDS_NL, "nl", "Mag ik een foto van mijn hond posten?"),
    ],
)
def test_connecting_things_or_organisations_is_no_befriending(
    rule: dict[str, Any], language: str, question: str
) -> None:
    assert rule["id"] not in _answer(rule, question, language)[1]


# -- a concept term as the head of a Dutch compound ---------------------------------------------
HEALTH_NL = {
    "id": "G1",
    "verdict": "forbidden",
    "keywords": ["gezondheid"],
    "text": "Deel niets over de gezondheid of een ziekte van een collega of een cliënt.",
}
REORG_NL = {
    "id": "R1",
    "verdict": "forbidden",
    "keywords": ["reorganisatie"],
    "text": "Zwijg over een reorganisatie tot het personeel is ingelicht.",
}


def test_a_compound_whose_head_is_a_concept_term_is_that_concept() -> None:
    # A "longkanker" is a "kanker": health data of the colleague named.
    question = "Mijn collega Petra heeft longkanker, mag ik een steunbericht posten?"
    assert _answer(HEALTH_NL, question, "nl") == ("forbidden", ["G1"], "strong")


def test_a_compound_head_alone_is_noticed_not_decided() -> None:
    # Inside a compound the term is one step from what was written: weak unless corroborated.
    # A "filiaalsluiting" is a "sluiting": the rule is asked, weakly.
    question = "Mag ik iets posten over de filiaalsluiting?"
    assert _answer(REORG_NL, question, "nl")[1:] == (["R1"], "weak")


def test_a_particle_belongs_to_the_head_and_english_is_not_split() -> None:
    # "musical|voor|stelling" is a performance, not the military "stellingen" (positions);
    # "bestseller" is English and holds no seller. The splitter is read directly: a rule's
    # own word is heard inside compounds by the keyword path too, which this is not about.
    assert _concept_compound_keys("musicalvoorstelling") == ()
    assert _concept_compound_keys("longkanker") == ("n:kanker",)
    assert _answer(REORG_NL, "Can I post that my book is a bestseller?", "en")[1] == []


# -- an occurrence told by what happened; posting in the middle of the job ----------------------
OCCURRENCE_EN = {
    "id": "S1",
    "verdict": "forbidden",
    "keywords": ["incident", "emergency landing"],
    "text": "Never post about safety occurrences, technical faults or emergencies on our trains "
    "and aircraft; report them instead.",
}
ON_DUTY_EN = {
    "id": "D2",
    "verdict": "forbidden",
    "keywords": ["on duty", "during service"],
    "text": "Do not post or film while you are professionally engaged: serving customers, "
    "driving or flying. Wait for your break.",
}


@pytest.mark.parametrize(
    "question",
    [
        "We had to turn back to the airport because of smoke in the cabin. Can I post an update?",
        "The train had an engine failure outside Utrecht, can I tweet about it?",
    ],
)
def test_what_went_wrong_told_in_other_words_is_an_occurrence(question: str) -> None:
    assert _answer(OCCURRENCE_EN, question, "en") == ("forbidden", ["S1"], "strong")


@pytest.mark.parametrize(
    "question",
    [
        "Mid-service right now, can I quickly put a story up of the carts all lined up?",
        "Still on shift but it's quiet, can I post a selfie in the break room?",
    ],
)
def test_in_the_middle_of_the_job_is_on_duty(question: str) -> None:
    assert _answer(ON_DUTY_EN, question, "en")[:2] == ("forbidden", ["D2"])


@pytest.mark.parametrize(
    "question",
    [
        "Can I post a photo of the smoke from the barbecue at our team party?",
        "Can I post that I finally have a day off after a long week?",
    ],
)
def test_look_alikes_stay_clear_of_occurrences_and_duty(question: str) -> None:
    for rule in (OCCURRENCE_EN, ON_DUTY_EN):
        assert rule["id"] not in _answer(rule, question, "en")[1], question
