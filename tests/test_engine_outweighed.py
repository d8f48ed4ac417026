"""Two strict rules on the same words (policy-format.md, "Evidence, weighed"): a `forbidden`
rule whose every piece of strong evidence a `review` rule matched on too, with more of its own
words in the question, is outweighed; the review rule decides and the answer names the other.
A forbidding rule with evidence of its own, a detector's match, or as much evidence as the
review rule still decides."""

from __future__ import annotations

from bot.answering.answers import STRONG
from tests.samples import compiled

SHOP = [
    {
        "id": "PH",
        "verdict": "forbidden",
        "role": "privacy",
        "text": "Never post photos or videos in which a customer can be recognised, nor their "
        "wound or medical file.",
        "keywords": ["customer", "wound"],
        "detect": ["phone"],
    },
    {
        "id": "CO",
        "verdict": "review",
        "role": "press",
        "text": "Do not answer a customer complaint or review online yourself; the press office "
        "replies to complaints about waiting times, bills or treatment.",
        "keywords": ["customer", "complaint"],
    },
]


def _answer(text: str) -> tuple[str, list[str], list[str], str]:
    answer = compiled(SHOP, language="en").check(text)
    return (
        answer.verdict,
        [m.rule.id for m in answer.rules],
        [m.rule.id for m in answer.outweighed],
        answer.role.id,
    )


def test_a_forbidden_rule_on_the_review_rules_words_alone_is_outweighed() -> None:
    text = "A customer complained on Facebook about her waiting time. Can I reply to her complaint?"
    assert _answer(text) == ("review", ["CO"], ["PH"], "press")
    answer = compiled(SHOP, language="en").check(text)
    assert answer.certainty == STRONG  # the review rule matched on strong evidence
    assert answer.to_json()["outweighed"] == [
        {"id": "PH", "verdict": "forbidden", "role": "privacy", "evidence": ["customer"]}
    ]
    assert "PH" not in [m.rule.id for m in answer.noticed]  # named once, as outweighed


def test_a_forbidden_rule_with_evidence_of_its_own_still_decides() -> None:
    assert _answer("Can I post a photo of a customer's wound?") == (
        "forbidden",
        ["PH"],
        [],
        "privacy",
    )
    # The review rule scores as much, but "wound" is the forbidding rule's alone.
    text = "A customer complained about her bill; can I reply with a photo of her wound?"
    assert _answer(text) == ("forbidden", ["PH"], [], "privacy")


def test_personal_data_is_never_outweighed() -> None:
    text = "A customer complained about her bill. Can I reply with her number 06-12345678?"
    assert _answer(text) == ("forbidden", ["PH"], [], "privacy")


def test_as_much_evidence_leaves_the_stricter_rule_deciding() -> None:
    # The same one word for both rules, and nothing more of either: the stricter verdict.
    assert _answer("Can I post a photo of a customer?") == ("forbidden", ["PH"], [], "privacy")


def test_an_answer_with_nothing_outweighed_has_no_such_key() -> None:
    answer = compiled(SHOP, language="en").check("Can I post a photo of a customer's wound?")
    assert answer.outweighed == () and "outweighed" not in answer.to_json()
