"""Forbidding rules alone (policy-format.md, "Evidence, weighed"): when every rule a question
reaches is `forbidden`, all on weak evidence, and one of them was heard in its own words (its
text accounts for part of the question), they decide as on strong evidence: nothing points to
a milder rule. A rule heard through one keyword alone, a milder rule heard beside it, or an
allowed one, and the answer stays the weak *review* it was. Each policy is the test's own, in
English and in Dutch."""

from __future__ import annotations

from typing import Any

from bot.answering.answers import STRONG, WEAK
from tests.samples import compiled

REMAINS = {
    "id": "RM",
    "verdict": "forbidden",
    "role": "privacy",
    "text": "Never post images or descriptions of human remains, burials or sacred objects held "
    "in the stores.",
    "keywords": ["skeleton"],
}
CODES = {
    "id": "PW",
    "verdict": "forbidden",
    "role": "crisis",
    "text": "Never share passwords or login codes.",
    "keywords": ["code"],
}
LOANS = {
    "id": "RV",
    "verdict": "review",
    "role": "press",
    "text": "Ask the registrar before you share any description of loans, or of remains going "
    "home.",
    "keywords": ["registrar"],
}
EVENTS = {
    "id": "AL",
    "verdict": "allowed",
    "role": "comms",
    "text": "You may share our public events.",
    "keywords": ["story"],
}

RESTEN = {
    "id": "RM",
    "verdict": "forbidden",
    "role": "privacy",
    "text": "Plaats geen beelden of beschrijvingen van menselijke resten, begravingen of heilige "
    "voorwerpen uit het depot.",
    "keywords": ["skelet"],
}
CODES_NL = {
    "id": "PW",
    "verdict": "forbidden",
    "role": "crisis",
    "text": "Deel nooit wachtwoorden of inlogcodes.",
    "keywords": ["code"],
}
BRUIKLEEN = {
    "id": "RV",
    "verdict": "review",
    "role": "press",
    "text": "Vraag de registrator voor je iets plaatst over bruiklenen of de teruggave van resten "
    "aan hun gemeenschap.",
    "keywords": ["registrator"],
}
EVENEMENTEN = {
    "id": "AL",
    "verdict": "allowed",
    "role": "comms",
    "text": "Je mag onze openbare evenementen delen.",
    "keywords": ["verhaal"],
}


def _answer(rules: list[dict[str, Any]], language: str, text: str) -> tuple[str, str, list[str]]:
    answer = compiled(rules, language=language).check(text)
    return answer.verdict, answer.certainty, [m.rule.id for m in answer.rules]


def _strengths(rules: list[dict[str, Any]], language: str, text: str) -> dict[str, str]:
    """How each rule was heard, before the answer is decided."""
    return {m.rule.id: m.strength for m in compiled(rules, language=language).matches(text)}


def test_a_forbidding_rule_heard_in_its_own_words_alone_decides() -> None:
    english = "Can I share a description of the remains?"
    # The rule's words are heard weakly (a few of them, no keyword) ...
    assert _strengths([REMAINS, CODES], "en", english) == {"RM": WEAK}
    # ... and no milder rule is heard: the policy's one verdict for it, said plainly.
    assert _answer([REMAINS, CODES], "en", english) == ("forbidden", STRONG, ["RM"])
    dutch = "Mag ik iets over de resten posten?"
    assert _strengths([RESTEN, CODES_NL], "nl", dutch) == {"RM": WEAK}
    assert _answer([RESTEN, CODES_NL], "nl", dutch) == ("forbidden", STRONG, ["RM"])


def test_the_role_is_the_deciding_rules() -> None:
    answer = compiled([REMAINS], language="en").check("Can I share a description of the remains?")
    assert answer.role.id == "privacy" and answer.covered and answer.noticed == ()


def test_one_keyword_alone_stays_weak() -> None:
    # An ambiguous keyword with nothing of its rule around it is never a confident forbidden.
    assert _answer([CODES], "en", "Can I post the code my colleague gave me?") == (
        "review",
        WEAK,
        ["PW"],
    )
    assert _answer([CODES_NL], "nl", "Mag ik de code van mijn collega posten?") == (
        "review",
        WEAK,
        ["PW"],
    )


def test_a_keyword_beside_another_forbidding_rules_own_words_decides_with_it() -> None:
    english = "Can I post the remains with the code my colleague gave me?"
    assert _strengths([REMAINS, CODES], "en", english) == {"RM": WEAK, "PW": WEAK}
    assert _answer([REMAINS, CODES], "en", english) == ("forbidden", STRONG, ["RM", "PW"])
    dutch = "Mag ik iets over de resten posten, met de code van mijn collega?"
    assert _answer([RESTEN, CODES_NL], "nl", dutch) == ("forbidden", STRONG, ["RM", "PW"])


def test_a_milder_rule_heard_too_leaves_the_answer_weak() -> None:
    # The review rule's words are there as well: the question may be about either; ask.
    english = "Can I share a description of the remains?"
    assert _strengths([REMAINS, LOANS], "en", english) == {"RM": WEAK, "RV": WEAK}
    assert _answer([REMAINS, LOANS], "en", english) == ("review", WEAK, ["RV", "RM"])
    dutch = "Mag ik iets over de resten posten?"
    assert _answer([RESTEN, BRUIKLEEN], "nl", dutch) == ("review", WEAK, ["RV", "RM"])


def test_an_allowed_rule_heard_too_leaves_the_answer_weak() -> None:
    english = "Can I share the story of the remains?"
    assert _strengths([REMAINS, EVENTS], "en", english) == {"RM": WEAK, "AL": WEAK}
    assert _answer([REMAINS, EVENTS], "en", english) == ("review", WEAK, ["RM"])
    dutch = "Mag ik het verhaal over de resten posten?"
    assert _answer([RESTEN, EVENEMENTEN], "nl", dutch) == ("review", WEAK, ["RM"])


def test_a_rule_heard_strongly_is_decided_as_before() -> None:
    # Enough of its words: strong evidence of its own, nothing for this rule to change.
    text = "Can I post about the sacred objects?"
    assert _strengths([REMAINS], "en", text) == {"RM": STRONG}
    assert _answer([REMAINS], "en", text) == ("forbidden", STRONG, ["RM"])
