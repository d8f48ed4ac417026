"""The count of strict answers resting on one one-word keyword
(benchmarks/lone_keyword_answers.py) takes only those answers, reads each post as the engine
does, and keeps the check sets in summed counts: no question of theirs is printed, `--show`
or not."""

from __future__ import annotations

import re

import pytest

from benchmarks.lone_keyword_answers import FALSE_ALARM, RIGHT, count, main
from tests.bench_rules import PATIENT_NAME
from tests.samples import compiled

RULES = [
    {
        "id": "Q1",
        "verdict": "review",
        "role": "press",
        "text": "Refer every question from the media to the press officer.",
        "keywords": ["journalist", "interview request"],
    },
    PATIENT_NAME,
]


def _case(text: str, verdict: str) -> dict[str, object]:
    return {"id": "T-01", "kind": "check", "text": text, "expect": {"verdict": verdict}}


def test_an_answer_on_one_keyword_is_counted_with_what_the_post_holds() -> None:
    engine = compiled(RULES, language="en")
    counted = count(engine, _case("A journalist messaged me. Can I reply?", "review"))
    assert counted is not None
    assert counted.outcome == RIGHT
    readings = dict(counted.readings)
    assert readings["rule"] == "review"
    assert readings["risk"] == "no"
    assert readings["zipf"] in {"< 4", "4 to 4.5", ">= 4.5"}
    assert "T-01 right: review on “journalist”" in counted.line
    alarm = count(engine, _case("A journalist messaged me. Can I reply?", "allowed"))
    assert alarm is not None and alarm.outcome == FALSE_ALARM


def test_an_answer_on_a_phrase_or_an_allowed_post_is_not_counted() -> None:
    engine = compiled(RULES, language="en")
    # A phrase of two words is strong evidence of its own, not one everyday word.
    assert count(engine, _case("Can I post the patient's name?", "forbidden")) is None
    assert count(engine, _case("Can I post a photo of the lake?", "allowed")) is None
    who = {"id": "T-02", "kind": "who", "text": "Who handles a journalist?", "expect": {}}
    assert count(engine, who) is None


def test_the_check_sets_print_summed_counts_only(capsys: pytest.CaptureFixture[str]) -> None:
    main(["lone_keyword_answers.py", "--set", "blind2", "--set", "blind4", "--show"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("  columns:")
    assert re.fullmatch(
        r"== check sets summed: false alarm \d+, right \d+, other strict verdict \d+", lines[1]
    )
    assert all(re.fullmatch(r"  [a-z]+ +[<>=\w. ]+? +\d+ +\d+ +\d+", line) for line in lines[2:])
