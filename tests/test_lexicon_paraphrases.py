"""Paraphrases heard through the domain concepts (round 23): a post plainly under a rule that
shares no word with it still reaches the rule when it evokes the rule's concept in the words
people use, in either language; the look-alikes that only borrow a word do not."""

from __future__ import annotations

from typing import Any

import pytest

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
