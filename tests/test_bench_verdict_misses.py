"""The verdict-miss count (benchmarks/verdict_misses.py) puts each miss in one kind by what
decided it and where the labelled rule stood, and keeps the check sets in summed counts: no
question of theirs is printed, `--show` or not."""

from __future__ import annotations

import re

import pytest

from benchmarks.verdict_misses import kind_of, main
from tests.bench_rules import CONFIDENTIAL_SOURCE
from tests.samples import compiled

RULES = [
    CONFIDENTIAL_SOURCE,
    {
        "id": "R1",
        "verdict": "review",
        "role": "comms",
        "text": "Ask Communications before answering a journalist.",
        "keywords": ["journalist"],
    },
]


def _kind(text: str, expected: str, named: list[str]) -> str:
    engine = compiled(RULES, language="en")
    return kind_of(engine.check(text), engine.matches(text), expected, named)


def test_a_stricter_rule_deciding_over_the_labelled_one_is_too_strict() -> None:
    text = "A journalist asks about my confidential source. Can I answer?"
    assert _kind(text, "review", ["R1"]) == (
        "too strict: a forbidden rule decided (strong); the labelled rule heard strongly, "
        "not deciding"
    )


def test_a_milder_rule_deciding_where_the_labelled_one_was_not_heard_is_too_lenient() -> None:
    assert _kind("A journalist called me. Can I answer?", "forbidden", ["N1"]) == (
        "too lenient: a review rule decided (strong); the labelled rule not heard"
    )


def test_no_rule_deciding_is_its_own_kind() -> None:
    kind = _kind("Can I post a photo of my cat?", "review", [])
    assert kind.startswith("too lenient: no rule decided (the default")


def test_the_check_sets_print_summed_counts_only(capsys: pytest.CaptureFixture[str]) -> None:
    main(["verdict_misses.py", "--set", "blind2", "--set", "blind4", "--show"])
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"== check sets summed: \d+ verdict misses", lines[0])
    assert all(
        re.fullmatch(r" +\d+  too (lenient|strict): [a-z ,;()_]+", line) for line in lines[1:]
    )
