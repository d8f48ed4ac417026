"""Whom a weak answer names (policy-format.md, "Evidence, weighed"): when only weak evidence
decides, the answer is *review*, and the rules whose own verdict is review come first and name
the role: the policy's route for a post to be checked, where a `forbidden` rule heard as weakly
only counts as review. A sure answer, and a weak answer with one rule, route as before."""

from __future__ import annotations

from bot.answering.answers import STRONG, WEAK
from tests.samples import compiled
from tests.test_engine_weighing import SOURCES

INCIDENTS = {
    "id": "C1",
    "verdict": "review",
    "role": "crisis",
    "text": "Ask the crisis team before posting about an incident at work.",
    "keywords": ["incident"],
}
RULES = [*SOURCES, INCIDENTS]  # the sources rule (N3, forbidden, press) and a review rule


def _answer(text: str) -> tuple[str, str, str, list[str], list[str]]:
    answer = compiled(RULES, language="en").check(text)
    return (
        answer.verdict,
        answer.certainty,
        answer.role.id,
        [m.rule.id for m in answer.rules],
        [m.rule.id for m in answer.noticed],
    )


def test_a_weak_review_rule_names_the_role_before_a_weak_forbidden_rule() -> None:
    # Both words alone are ambiguous ("source", "incident"): weak evidence for both rules.
    expected = ("review", WEAK, "crisis", ["C1", "N3"], ["C1", "N3"])
    assert _answer("I found a new source for the incident") == expected
    assert _answer("Ik heb een bron gevonden over het incident") == expected


def test_one_weak_rule_routes_to_its_own_role_whatever_its_verdict() -> None:
    # A colleague and the office: the post is about the work (else "A lone word, noticed").
    expected = ("review", WEAK, "press", ["N3"], ["N3"])
    assert _answer("Mijn collega heeft een nieuwe bron gevonden") == expected
    assert _answer("Er was een incident op kantoor") == ("review", WEAK, "crisis", ["C1"], ["C1"])


def test_a_lone_word_noticed_names_the_role_of_its_rule() -> None:
    # Allowed by the default, not covered, and still whom to ask about the word noticed.
    assert _answer("Ik heb een nieuwe bron gevonden") == ("allowed", WEAK, "press", [], ["N3"])
    assert _answer("Er was een incident") == ("allowed", WEAK, "crisis", [], ["C1"])


def test_a_sure_forbidden_match_still_decides_and_routes() -> None:
    # "anonymous" says which sense of "source" is meant: strong evidence, forbidden.
    verdict, certainty, role, rules, _ = _answer(
        "Can I name my anonymous source for the incident story?"
    )
    assert (verdict, certainty, role, rules) == ("forbidden", STRONG, "press", ["N3"])
