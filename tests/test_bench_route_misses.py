"""The route-miss count (benchmarks/route_misses.py) puts each miss where the expected role
stood among the matched rules, and keeps the check sets in summed counts: no question of
theirs is printed, `--show` or not."""

from __future__ import annotations

import re

import pytest

from benchmarks.route_misses import Placed, main, place, where_expected
from tests.bench_rules import CONFIDENTIAL_SOURCE, PATIENT_NAME
from tests.samples import compiled

RULES = [CONFIDENTIAL_SOURCE, PATIENT_NAME]


def test_the_expected_role_is_placed_by_the_rules_that_matched() -> None:
    assert where_expected("press", {"press"}, {"press", "privacy"}).endswith("deciding rules'")
    assert where_expected("privacy", {"press"}, {"press", "privacy"}).endswith("matched rules'")
    assert where_expected("crisis", {"press"}, {"press"}) == "expected role of no matched rule"
    assert where_expected("crisis", set(), set()) == "no rule matched"


def test_a_right_verdict_naming_another_deciding_rules_role_is_placed_there() -> None:
    engine = compiled(RULES, language="en")
    text = "Can I post the patient's name and my confidential source?"
    named = engine.check(text).role.id
    other = "privacy" if named == "press" else "press"
    case = {
        "id": "T-01",
        "kind": "check",
        "text": text,
        "expect": {"verdict": "forbidden", "role": other},
    }
    placed = place(engine, case, "comms")
    assert placed.place == (
        "check, verdict right: expected role among the deciding rules'; "
        "expected another role, named another role"
    )
    assert "T-01" in placed.line and f"named {named}" in placed.line
    right = place(engine, {**case, "expect": {"verdict": "forbidden", "role": named}}, "comms")
    assert right == Placed("check, verdict right: route right", "")


def test_a_who_question_that_no_rule_matches_is_placed_with_the_default_named() -> None:
    engine = compiled(RULES, language="en")
    case = {
        "id": "T-02",
        "kind": "who",
        "text": "Who orders the cake?",
        "expect": {"role": "crisis"},
    }
    placed = place(engine, case, "comms")
    assert placed.place == "who: no rule matched; expected another role, named the default"


def test_the_check_sets_print_summed_counts_only(capsys: pytest.CaptureFixture[str]) -> None:
    main(["route_misses.py", "--set", "blind2", "--set", "blind4", "--show"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "== check sets summed"
    assert all(re.fullmatch(r" +\d+  (check|who)[^:]*: [a-z ,;']+", line) for line in lines[1:])
