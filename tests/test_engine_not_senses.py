"""A policy author's own "not in this phrase" (policy-format.md, "Helping the matcher"): a
rule's `not_examples` entry of two to four words that holds one of its keywords ("in a row"
beside `row`) says the keyword, inside that phrase, means something else. There the keyword is
no evidence, nor a word of the rule's text; elsewhere, and with other evidence, the rule still
matches. A longer entry stays a whole look-alike post."""

from __future__ import annotations

from bot.answering.not_senses import not_sense_spans, not_senses
from bot.policy.model import Rule
from bot.vocabulary import Verdict
from tests.samples import compiled

CAMPSITE = [
    {
        "id": "ROW",
        "verdict": "review",
        "role": "comms",
        "text": "Ask comms before you post about a row or a fight with guests.",
        "keywords": ["row", "ruzie"],
        "not_examples": ["in a row", "front row", "op een rij", "ruzie maken om niks"],
    },
    {
        "id": "ID",
        "verdict": "forbidden",
        "role": "comms",
        "text": "Never post a photo of a guest's passport.",
        "keywords": ["passport"],
    },
]


def _answer(text: str) -> tuple[str, list[str]]:
    answer = compiled(CAMPSITE).check(text)
    return answer.verdict, [m.rule.id for m in answer.rules]


def test_a_keyword_inside_its_rules_not_sense_phrase_is_no_evidence() -> None:
    sunshine = "Three days in a row of sunshine at the campsite!"
    # No rule is heard (what an uncovered post then answers is `unsure`'s, not this test's).
    assert _answer(sunshine)[1] == []
    # Without the author's not-sense the same post is heard as a row.
    plain = [{k: v for k, v in rule.items() if k != "not_examples"} for rule in CAMPSITE]
    assert [m.rule.id for m in compiled(plain).check(sunshine).rules] == ["ROW"]
    assert "ROW" not in _answer("Sat in the front row at the open-air concert with friends.")[1]


def test_the_keyword_outside_the_phrase_still_counts() -> None:
    assert _answer("Can I post about the row I had with a guest at reception?") == (
        "review",
        ["ROW"],
    )
    # The same word once inside the phrase and once outside it: the outside one counts.
    assert _answer("Second row in a row with the same guest. Can I post about it?")[1] == ["ROW"]


def test_the_not_sense_is_the_rules_own_and_leaves_other_rules_alone() -> None:
    # "in a row" speaks of `row` only: a passport found in a row of tents is still one.
    found = "Can I post a photo of the passport we found in a row of tents?"
    assert _answer(found) == ("forbidden", ["ID"])


def test_only_short_phrases_with_a_keyword_are_not_senses() -> None:
    rule = Rule(
        id="R",
        verdict=Verdict.REVIEW,
        text="Ask before you post about a row.",
        keywords=("row", "ruzie"),
        not_examples=(
            "in a row",  # a phrase with a keyword
            "a sunny day",  # no keyword: a look-alike, not a sense
            "Ruzie in de docentenkamer over wie de laatste koek krijgt",  # a whole post
        ),
    )
    assert len(not_senses(rule)) == 1
    phrases = not_senses(rule)
    text = "Drie dagen ruzie? No: three wins in a row."
    assert [text[s:e] for s, e in not_sense_spans(phrases, text)] == ["in a row"]
    assert not_sense_spans(phrases, "Two rows in rows") == []
