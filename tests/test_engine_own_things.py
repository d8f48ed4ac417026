"""The asker's own things or the work in the first person (policy-format.md, "A post no rule
covers and nothing shows to be fine"; `bot/answering/own_things.py`): a post no rule covers
that speaks of the asker's own bike, cat or brother stays *allowed*; one that says "my" of the
work ("my shift", "mijn collega's"), names someone else, or speaks of the organisation as
"us" after a preposition ("with us") is the honest "not sure; ask", in English and Dutch.
In Slack: test_asking_honesty."""

from __future__ import annotations

from bot.answering.answers import NOT_COVERED, WEAK
from bot.answering.unsure import UNSURE
from tests.samples import compiled

# A care home's policy: one rule on residents' files, one allowing the activities calendar.
CARE = [
    {
        "id": "D",
        "verdict": "forbidden",
        "role": "privacy",
        "text": "Never share anything from a resident's care file.",
        "keywords": ["zorgdossier", "care file"],
    },
    {
        "id": "A",
        "verdict": "allowed",
        "text": "You may share the published activities calendar.",
        "keywords": ["activiteitenkalender", "activities calendar"],
    },
]

NOT_SURE = ("review", WEAK, [], [(UNSURE, "")])
FINE = ("allowed", NOT_COVERED, [], [])


def _answer(text: str) -> tuple[str, str, list[str], list[tuple[str, str]]]:
    answer = compiled(CARE).check(text)
    return (
        answer.verdict,
        answer.certainty,
        [m.rule.id for m in answer.rules],
        [(c.source, c.text) for c in answer.cues],
    )


def test_the_askers_own_things_stay_allowed() -> None:
    for text in (
        "Can I post a photo of my new bike?",
        "Mag ik een foto van mijn kat in de vensterbank delen?",
        "Can I post a video of my own new kitchen?",  # past "own" and "new": the kitchen
        "Mag ik een foto van mijn broer en zijn nieuwe auto posten?",  # own family, "zijn"
        "Mag ik mijn mening over het nieuwe belastingplan op LinkedIn geven?",  # no person
        "Fijn die nieuwe printer, dat scheelt ons een hoop gedoe.",  # "ons": the asker
    ):
        assert _answer(text) == FINE, text


def test_my_said_of_the_work_is_not_sure() -> None:
    for text in (
        "Can I post a selfie from my shift last night?",
        "Mag ik een foto van mijn collega's bij de koffieautomaat delen?",
        "Mag ik iets posten over mijn afdeling en de nieuwe inrichting?",
        "Can I post a photo of my workplace after the renovation?",
    ):
        assert _answer(text) == NOT_SURE, text


def test_someone_else_in_a_post_with_my_is_not_sure() -> None:
    for text in (
        "Mag ik posten dat Wietske mijn fiets heeft gerepareerd?",  # a name
        "Can I post the drawing a neighbour made of my bike?",  # a person word
    ):
        assert _answer(text) == NOT_SURE, text


def test_us_after_a_preposition_is_the_organisation() -> None:
    assert _answer("They never did a case study with us, but can I name them?") == NOT_SURE
    assert _answer("Mag ik vertellen dat die leverancier nooit bij ons is geweest?") == NOT_SURE
    # Not after a preposition: the asker among those it happens to, as before.
    assert _answer("Dat scheelt ons een hoop gedoe, mag ik dat zeggen?") == FINE
    assert _answer("Can I ask everyone to tag us in their photos of the beach walk?") == FINE


def test_a_rule_still_decides_first() -> None:
    assert _answer("Mag ik de activiteitenkalender van mijn afdeling delen?")[:3] == (
        "allowed",
        "strong",
        ["A"],
    )


def test_the_askers_own_people_and_places_are_no_one_else() -> None:
    # Round 25: the asker's partner and friends after "my", and a place's name after "naar" or
    # "in", are nobody else in the post ("Spanje … had" is a country, not a person who had).
    for text in (
        "Mag ik een foto van mijn man en mijn nieuwe fiets posten?",
        "Can I post a photo of my friends at my birthday barbecue?",
        "Mijn vlucht naar Spanje had zes uur vertraging. Mag ik daarover iets posten?",
        "Can I post a photo of my bike on my holiday in Crete?",
    ):
        assert _answer(text) == FINE, text


def test_a_person_beside_own_people_and_places_is_still_someone_else() -> None:
    for text in (
        "Can I post a photo of my friend Wietske and her new bike?",  # a name after "friend"
        "Mag ik een foto van mijn fiets met Wietske posten?",  # "met": people follow it
        "Mag ik een foto van mijn fiets naar klanten sturen?",  # a person word after "naar"
    ):
        assert _answer(text) == NOT_SURE, text
