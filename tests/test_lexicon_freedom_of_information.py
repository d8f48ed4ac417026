"""Freedom-of-information requests (the Dutch Woo, formerly Wob; an FOI or public records
request) are a concept of the bot's lexicon: a rule about them is heard in the words employees
use, in either language, though the rule lists none of them; a request in all but name is only
noticed (weak evidence), and everyday talk of documents is no request."""

from __future__ import annotations

from typing import Any

import pytest

from tests.samples import compiled

DUTCH_RULE = {
    "id": "O1",
    "verdict": "review",
    "keywords": ["openbaarmaking"],
    "text": "Verzoeken om openbaarmaking van documenten gaan naar het juridisch loket.",
}
ENGLISH_RULE = {
    "id": "O2",
    "verdict": "review",
    "keywords": ["public records"],
    "text": "Requests for public records go to the records officer the same day.",
}
OTHER = {"id": "P1", "verdict": "forbidden", "keywords": ["wachtwoord", "password"]}
LANGUAGE = {"O1": "nl", "O2": "en"}
EITHER_RULE = pytest.mark.parametrize("rule", [DUTCH_RULE, ENGLISH_RULE], ids=["nl", "en"])


def _answer(rule: dict[str, Any], text: str) -> tuple[str, list[str], str]:
    data = compiled([rule, OTHER], language=LANGUAGE[rule["id"]]).check(text).to_json()
    return str(data["verdict"]), [r["id"] for r in data["rules"]], str(data.get("certainty"))


@EITHER_RULE
@pytest.mark.parametrize(
    "question",
    [
        "Iemand diende onder ons bericht een Woo-verzoek in. Wat nu?",
        "Een journalist stuurde een informatieverzoek via LinkedIn.",
        "Een burger vraagt op grond van de Wob om alle stukken.",
        "Someone filed an FOI request under our post.",
        "A resident made a public records request in the comments.",
    ],
)
def test_a_request_by_any_of_its_names_reaches_the_rule(
    rule: dict[str, Any], question: str
) -> None:
    assert _answer(rule, question) == ("review", [rule["id"]], "strong")


@EITHER_RULE
def test_a_request_in_all_but_name_is_noticed_not_decided(rule: dict[str, Any]) -> None:
    for question in (
        "Someone in the comments wants copies of all internal emails about the pool.",
        "Iemand wil alle interne e-mails over het zwembad.",
    ):
        assert _answer(rule, question) == ("review", [rule["id"]], "weak"), question


@EITHER_RULE
@pytest.mark.parametrize(
    "question",
    [
        "Mag ik een foto van de kerstborrel posten?",
        "Can I share the minutes of our football club on my own account?",
        "Ik deel een informatief filmpje over ons werk, mag dat?",
    ],
)
def test_everyday_talk_is_no_request(rule: dict[str, Any], question: str) -> None:
    assert rule["id"] not in _answer(rule, question)[1]
