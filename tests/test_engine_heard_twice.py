"""Stricter rules heard in two ways at two places beside an allowing rule (policy-format.md,
"A rule matched on weak evidence only counts as review"; `decide._heard_twice`, round 25): an
`allowed` rule on strong evidence outweighs stricter rules heard only weakly, unless those
were heard through two kinds of evidence at places of the question that do not overlap (a
lexicon word and a concept term). Then the stricter rule decides as on weak evidence:
*review*, naming it, with the allowing rule listed as weaker. One word, or one word heard two
ways, stays outweighed as before, in English and Dutch."""

from __future__ import annotations

from typing import Any

from bot.answering.answers import STRONG, WEAK
from tests.samples import compiled

# A company's policy: pride may be shared, financial results only once they are published.
RULES: list[dict[str, Any]] = [
    {
        "id": "PRIDE",
        "verdict": "allowed",
        "role": "comms",
        "text": "Trots op je werk of je team? Dat mag je delen.",
        "keywords": ["trots", "proud", "trots op ons team"],
    },
    {
        "id": "RESULTS",
        "verdict": "forbidden",
        "role": "privacy",
        "text": "Deel nooit financiële resultaten voordat ze gepubliceerd zijn.",
        "keywords": ["kwartaalcijfers", "jaarcijfers"],
    },
]


def _answer(text: str) -> tuple[str, str, list[str], list[str], list[str]]:
    answer = compiled(RULES).check(text)
    return (
        answer.verdict,
        answer.certainty,
        [m.rule.id for m in answer.rules],
        [m.rule.id for m in answer.weaker],
        [m.rule.id for m in answer.noticed],
    )


def _heard(text: str) -> list[tuple[str, str, list[str]]]:
    """How each rule was heard: its id, strength and the kinds of its evidence."""
    matches = compiled(RULES).matches(text, ["all"])
    return [(m.rule.id, m.strength, sorted({e.kind for e in m.evidence})) for m in matches]


def test_a_stricter_rule_heard_two_ways_at_two_places_is_not_outweighed() -> None:
    for text in (
        "Proud of our team! Can I share the quarterly figures and the profit?",
        "Trots op ons team! Mag ik de omzetcijfers en de winst delen?",
    ):
        # The premise: the allowing rule strongly, the forbidding one weakly, in two ways.
        assert _heard(text) == [
            ("RESULTS", WEAK, ["concept", "lexicon"]),
            ("PRIDE", STRONG, ["keyword"]),
        ], text
        assert _answer(text) == ("review", WEAK, ["RESULTS"], ["PRIDE"], ["RESULTS"]), text


def test_one_word_beside_the_allowing_rule_is_still_outweighed() -> None:
    for text in (
        "Proud of our team! Can I share the financial results?",  # a lexicon word
        "Trots op ons team! Mag ik de winst van dit jaar delen?",  # a concept term
        # One word heard two ways ("revenue figures" and its "revenue"): one place.
        "Proud of the team! Can I share the revenue figures?",
    ):
        assert [strength for _, strength, _ in _heard(text)] == [WEAK, STRONG], text
        assert _answer(text) == ("allowed", STRONG, ["PRIDE"], [], ["RESULTS"]), text


def test_a_rule_heard_strongly_decides_as_before() -> None:
    text = "Trots op ons team! Mag ik de omzet en de winst van dit kwartaal delen?"
    assert _answer(text)[:3] == ("forbidden", STRONG, ["RESULTS"])
