"""A pattern is skipped only where it cannot match (`bot.answering.pattern_gates`).

The gates read the standard library's parsed form of a pattern (`re._parser`, private): the
first tests guard that reading on known patterns, so a Python whose parser has changed shows
here (its gates would open, and the patterns all run, never wrongly skip). The others compare
the gate with the search itself on the lexicon's and the readable policies' patterns and on
patterns with the parser's corners, over the sets' questions and random texts written to
come close: digits of other scripts, case variants outside ASCII (the Kelvin sign, the long
s), the needed words in every case."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml

from bot.answering.pattern_gates import OPEN, Gate, TextFacts, gate_of
from bot.answering.relevance import _ADDRESSES
from bot.answering.weighing import domain_index

ROOT = Path(__file__).resolve().parents[1]

CORNERS = [
    r"\d",
    r"x*",
    r"(?=\d)",
    r"(?!\d)a",
    r"(?<=\d)%",
    r"[^0-9]+",
    r"[0-9]{2}|abc",
    r"(?:ab|cd)?x",
    r"(?:ab|)x",
    r"a(?i:b)c",
    r"(?i)a(?-i:B)c",
    r"(?i)stra(?:ss|ß)e",
    r"(?i)kelvin|\bss\b",
    r"(?>ab|cd)\d+",
    r"(ab)\1",
    r"(?:ab){0}c",
    r"(?:ab)+?c",
    r"[kK]\d",
    r"€\s?\d",
    r"(?a)\d+[a-z]",
    r"\w+@\w+",
]


def _policy_patterns() -> list[str]:
    files = [*ROOT.glob("examples/*.policy.yml"), ROOT / "policy_content/standard_rules.yml"]
    for readable in ("devset", "blind", "blind3"):  # the check sets' files stay unread
        files += [*(ROOT / "benchmarks" / readable).glob("*.policy.yml")]
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "patterns" and isinstance(value, list):
                    found.extend(v for v in value if isinstance(v, str))
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in files:
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(set(found))


def _all_patterns() -> list[re.Pattern[str]]:
    patterns = [pattern for _, pattern, _ in domain_index().patterns]
    patterns.append(_ADDRESSES)
    patterns += [re.compile(p, re.IGNORECASE) for p in _policy_patterns()]
    patterns += [re.compile(p) for p in CORNERS]
    patterns += [re.compile(p, re.IGNORECASE) for p in CORNERS]
    return patterns


def test_the_parser_is_read_as_expected() -> None:
    """The guard of the private parser's reading: a known pattern's gate, piece by piece."""
    assert gate_of(re.compile(r"\b\d{1,2}\s?%\s?(?:off|korting)\b", re.I)) == Gate(
        True, (("off", "korting"), ("%",)), True
    )
    assert gate_of(re.compile(r"[0-9]+[$€]")) == Gate(True, (("$", "€"),), False)
    assert gate_of(re.compile(r"(?<![\d.])(?:\d{9}|\d{4}\.\d{2})")) == Gate(True, (), False)
    assert gate_of(re.compile(r"\b\w*(?:honderd|duizend)\s(?:euro|euros)\b")) == Gate(
        False, (("honderd", "duizend"), ("euro",)), False
    )
    assert gate_of(re.compile(r"(?=\w*\d)(?>ab|cd)")) == Gate(True, (("ab", "cd"),), False)
    # What needs nothing, or where a match may do without: open.
    for source in (r"x*", r"(?:ab|)x?", r"[^0-9]", r"(?!\d)", r"(ab)?\1", r"a(?i:b)?"):
        assert gate_of(re.compile(source)) in (OPEN, Gate(False, (("a",),), False)), source
    # Case-insensitive: only ASCII strings, lower-cased.
    assert gate_of(re.compile(r"Straße|STRASSE", re.I)) == Gate(False, (("s",),), True)
    assert gate_of(re.compile(r"PassWord", re.I)) == Gate(False, (("password",),), True)
    assert gate_of(re.compile(r"password", re.I | re.VERBOSE)) == OPEN


def test_the_lexicons_patterns_have_gates() -> None:
    """Most concept patterns need a digit or a word: the cut this module is for."""
    gates = [gate_of(pattern) for _, pattern, _ in domain_index().patterns]
    assert gates and sum(1 for g in gates if not g.opens_always) >= len(gates) - 1


def test_text_facts() -> None:
    assert TextFacts("bel 06 123").digit and TextFacts("٣ keer").digit
    assert not TextFacts("x² en ½").digit  # `\d` is a decimal digit, not any digit
    assert TextFacts("Hallo").lowered == "hallo"
    assert TextFacts("Ĳs").lowered is None


def _questions() -> list[str]:
    files = [*ROOT.glob("examples/*.questions.yml")]
    for readable in ("devset", "blind", "blind3"):
        files += [*(ROOT / "benchmarks" / readable).glob("*.questions.yml")]
    return [
        case["text"]
        for path in files
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if isinstance(case, dict) and isinstance(case.get("text"), str)
    ]


def _random_texts(patterns: list[re.Pattern[str]], count: int) -> list[str]:
    rng = random.Random(13)
    words: list[str] = []
    for pattern in patterns:
        for needed in gate_of(pattern).needs:
            words += needed
    words += [
        "http://",
        "HTTPS://x",
        "www.",
        "a@b",
        "euro",
        "EUR",
        "gave",
        "up",
        "by",
        "met",
        "ww",
        "pw",
        "AB",
        "cd",
        "x",
        "kelvin",
    ]
    pieces = [
        *words, " ", " ", "  ", "-", ".", ",", ":", "=", "%", "$", "€", "£", "@", "/", "ß",
        "ſ", "\u212a", "İ", "ı", "é", "Ĳ", "١٢", "٣", "０６", "²", "½",
        *[str(n) for n in (0, 1, 7, 12, 99, 123, 2024, 1234567, 123456789)],
    ]  # fmt: skip

    def variant(piece: str) -> str:
        roll = rng.random()
        if roll < 0.2:
            return piece.upper()
        if roll < 0.3:
            return piece.title()
        if roll < 0.35:
            return piece.replace("k", "\u212a").replace("s", "ſ")
        return piece

    return [
        "".join(variant(rng.choice(pieces)) for _ in range(rng.randint(1, 14)))
        for _ in range(count)
    ]


@pytest.mark.parametrize("source", ["questions", "random"])
def test_a_skipped_pattern_matches_nothing(source: str) -> None:
    patterns = _all_patterns()
    texts = _questions() if source == "questions" else _random_texts(patterns, 4000)
    assert len(texts) > 500
    gates = [gate_of(p) for p in patterns]
    skipped = 0
    for text in texts:
        facts = TextFacts(text)
        for pattern, gate in zip(patterns, gates, strict=True):
            if not gate.may_match(facts):
                skipped += 1
                assert next(pattern.finditer(text), None) is None, (pattern.pattern, text)
    assert skipped > len(texts)  # and the gates do skip: more than one pattern a text
