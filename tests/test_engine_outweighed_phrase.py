"""Two strict rules on the same word, one of them through a phrase around it (policy-format.md,
"Evidence, weighed"): a `forbidden` rule heard through "our logo", where a `review` rule with
more of its own words in the question was heard on "logo", is outweighed as on the very same
span: "our"/"ons" says nothing of a subject. A phrase whose other word is a word of a subject
("logo redesign", "logo-ontwerp") is the forbidding rule's own evidence, and it still decides;
so it does when the review rule says no more of the question. Each policy is the test's own,
in English and in Dutch."""

from __future__ import annotations

from typing import Any

from bot.answering.answers import STRONG
from tests.samples import compiled

LOGO = [
    {
        "id": "LG",
        "verdict": "forbidden",
        "role": "comms",
        "text": "Never alter, stretch or recolour our logo.",
        "keywords": ["our logo", "logo redesign"],
    },
    {
        "id": "BN",
        "verdict": "review",
        "role": "press",
        "text": "Ask the press office before you put a logo on a banner with a partner.",
        "keywords": ["logo", "banner"],
    },
]
LOGO_NL = [
    {
        "id": "LG",
        "verdict": "forbidden",
        "role": "comms",
        "text": "Verander, rek of kleur ons logo nooit.",
        "keywords": ["ons logo", "logo-ontwerp"],
    },
    {
        "id": "BN",
        "verdict": "review",
        "role": "press",
        "text": "Vraag de persdienst voor je een logo op een spandoek met een partner zet.",
        "keywords": ["logo", "spandoek"],
    },
]


def _answer(rules: list[dict[str, Any]], language: str, text: str) -> tuple[Any, ...]:
    answer = compiled(rules, language=language).check(text)
    return (
        answer.verdict,
        answer.certainty,
        [m.rule.id for m in answer.rules],
        [m.rule.id for m in answer.outweighed],
        answer.role.id,
    )


def test_a_phrase_around_the_review_rules_word_is_outweighed_english() -> None:
    text = "Can I put our logo on a banner for the fair with our partner?"
    assert _answer(LOGO, "en", text) == ("review", STRONG, ["BN"], ["LG"], "press")


def test_a_phrase_around_the_review_rules_word_is_outweighed_dutch() -> None:
    text = "Mag ik ons logo op een spandoek voor de beurs zetten?"
    assert _answer(LOGO_NL, "nl", text) == ("review", STRONG, ["BN"], ["LG"], "press")


def test_a_phrase_with_a_word_of_its_own_still_decides() -> None:
    # "redesign" / "ontwerp" is the forbidding rule's own: not the review rule's word alone.
    text = "Can I share a logo redesign on a banner for the fair?"
    assert _answer(LOGO, "en", text) == ("forbidden", STRONG, ["LG"], [], "comms")
    text = "Mag ik een logo-ontwerp op een spandoek voor de beurs delen?"
    assert _answer(LOGO_NL, "nl", text) == ("forbidden", STRONG, ["LG"], [], "comms")


def test_the_review_rule_saying_no_more_leaves_the_forbidding_rule_deciding() -> None:
    # Only the shared word: the review rule scores less, nothing outweighs the stricter rule.
    assert _answer(LOGO, "en", "Can I post our logo?") == ("forbidden", STRONG, ["LG"], [], "comms")
    assert _answer(LOGO_NL, "nl", "Mag ik ons logo posten?") == (
        "forbidden",
        STRONG,
        ["LG"],
        [],
        "comms",
    )
