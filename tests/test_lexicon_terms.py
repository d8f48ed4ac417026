"""The lexicon's terms are heard as words: a character the tokenizer drops must not be what
tells a term apart ("did $" would be heard as the bare word "did"). Amounts and percentages
belong in a concept's `patterns`."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import yaml

from tests.samples import compiled

# Letters, digits, spaces, hyphens and apostrophes are kept or are separators; `&` only joins
# letters of an abbreviation ("b&w", "p&o"), which the question's text splits the same way.
_DROPPED = re.compile(r"[^\w\s\-'’&]")


def _terms(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [t for key, value in node.items() if key != "patterns" for t in _terms(value)]
    if isinstance(node, list):
        return [t for value in node for t in _terms(value)]
    return [node] if isinstance(node, str) else []


def test_no_term_rests_on_a_character_the_tokenizer_drops() -> None:
    folder = resources.files("policy_content") / "lexicon"
    offending = [
        (entry.name, term)
        for entry in folder.iterdir()
        if entry.name.endswith(".yml")
        for term in _terms(yaml.safe_load(entry.read_text(encoding="utf-8")))
        if _DROPPED.search(term.lstrip("~"))
    ]
    assert offending == []


def test_everyday_verbs_are_no_money_and_amounts_still_are() -> None:
    engine = compiled(
        [
            {
                "id": "F",
                "verdict": "forbidden",
                "text": "Do not share financial figures such as revenue before they are published.",
                "keywords": ["revenue"],
            },
            {
                "id": "D",
                "verdict": "forbidden",
                "text": "Never name a donor or what a donor gave without consent.",
                "keywords": ["donor"],
            },
            {
                "id": "P",
                "verdict": "review",
                "text": "Promotions and discounts are announced by marketing.",
                "keywords": ["discount"],
            },
        ]
    )
    for harmless in (
        "What did you think of our new logo? I made it myself",
        "She gave me a lift and did the shopping",
        "Taking a day off tomorrow",
    ):
        assert engine.check(harmless).covered is False, harmless
    assert engine.check("Store did $40k today!").covered is True
    assert "D" in {
        r["id"] for r in engine.check("Mrs Smith gave £500, may I thank her?").to_json()["rules"]
    }
    assert engine.check("Everything 30% off this weekend!").covered is True
