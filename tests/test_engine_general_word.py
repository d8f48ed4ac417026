"""A forbidding rule heard through a word the policy uses for several subjects (policy-format.md,
"A word the policy says of several subjects"): a `forbidden` rule heard strongly through one
keyword of one word that another rule of the policy uses too, beside a milder rule heard
strongly with a higher score, counts as weak: the milder rule, which the question says more of,
decides, and the forbidding rule is noticed. A word only that rule uses, a second piece of its
evidence, or no milder rule saying more, and it decides as before. Each policy is the test's
own, in English and in Dutch."""

from __future__ import annotations

from typing import Any

from bot.answering.answers import STRONG
from tests.samples import compiled

AIRLINE = [
    {
        "id": "PD",
        "verdict": "forbidden",
        "role": "privacy",
        "text": "Never post a customer's name, booking or photo, nor a passenger manifest.",
        "keywords": ["customer", "manifest"],
    },
    {
        "id": "CC",
        "verdict": "review",
        "role": "press",
        "text": "Ask customer care before you answer a complaint about lost luggage or a delay.",
        "keywords": ["lost luggage", "delayed"],
    },
    {
        "id": "TH",
        "verdict": "allowed",
        "role": "comms",
        "text": "You may thank a customer who praised our crew.",
        "keywords": ["praised our crew"],
    },
]
AIRLINE_NL = [
    {
        "id": "PD",
        "verdict": "forbidden",
        "role": "privacy",
        "text": "Plaats nooit de naam, boeking of foto van een klant, noch een passagierslijst.",
        "keywords": ["klant", "passagierslijst"],
    },
    {
        "id": "CC",
        "verdict": "review",
        "role": "press",
        "text": "Vraag klantenservice voor je een klacht over zoekgeraakte bagage of een "
        "vertraging beantwoordt. Een klant verdient een zorgvuldig antwoord.",
        "keywords": ["zoekgeraakte bagage", "vertraagd"],
    },
    {
        "id": "TH",
        "verdict": "allowed",
        "role": "comms",
        "text": "Je mag een klant bedanken die onze bemanning prees.",
        "keywords": ["onze bemanning prees"],
    },
]


def _answer(rules: list[dict[str, Any]], language: str, text: str) -> tuple[Any, ...]:
    answer = compiled(rules, language=language).check(text)
    return (
        answer.verdict,
        answer.certainty,
        [m.rule.id for m in answer.rules],
        [m.rule.id for m in answer.noticed],
    )


def test_the_review_rule_the_question_says_more_of_decides_english() -> None:
    text = "A customer tweeted that her flight was delayed and her lost luggage is still gone."
    assert _answer(AIRLINE, "en", text + " Can I reply?") == ("review", STRONG, ["CC"], ["PD"])


def test_the_review_rule_the_question_says_more_of_decides_dutch() -> None:
    text = "Een klant twittert dat haar vlucht vertraagd was en haar zoekgeraakte bagage weg is."
    assert _answer(AIRLINE_NL, "nl", text + " Mag ik reageren?") == (
        "review",
        STRONG,
        ["CC"],
        ["PD"],
    )


def test_an_allowed_rule_the_question_says_more_of_decides() -> None:
    text = "A customer praised our crew for the cake on board. Can I thank her?"
    assert _answer(AIRLINE, "en", text) == ("allowed", STRONG, ["TH"], ["PD"])
    text = "Een klant zegt dat onze bemanning prees verdiende. Mag ik haar bedanken?"
    verdict, certainty, rules, _ = _answer(AIRLINE_NL, "nl", text)
    assert (verdict, certainty, rules) == ("allowed", STRONG, ["TH"])


def test_the_general_word_alone_still_decides() -> None:
    # No milder rule says more of the question: the one verdict the policy gives.
    assert _answer(AIRLINE, "en", "Can I post a photo of a customer?")[:3] == (
        "forbidden",
        STRONG,
        ["PD"],
    )
    assert _answer(AIRLINE_NL, "nl", "Mag ik een foto van een klant posten?")[:3] == (
        "forbidden",
        STRONG,
        ["PD"],
    )


def test_a_word_only_the_forbidding_rule_uses_still_decides() -> None:
    # "manifest" / "passagierslijst" is no other rule's word: it says which subject this is.
    text = "My flight was delayed and my lost luggage is gone; can I post the manifest?"
    assert _answer(AIRLINE, "en", text)[:3] == ("forbidden", STRONG, ["PD"])
    text = "Mijn vlucht was vertraagd en mijn zoekgeraakte bagage is weg; "
    text += "mag ik de passagierslijst posten?"
    assert _answer(AIRLINE_NL, "nl", text)[:3] == ("forbidden", STRONG, ["PD"])
