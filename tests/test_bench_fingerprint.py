"""The answer fingerprint (`benchmarks/answer_fingerprint.py`) shows that a change changes no
answer: the same answers give the same hash, any difference in an answer (down to a score's
last bit) gives another, and it prints nothing of a set's questions, so it may run on the
check sets."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from benchmarks.answer_fingerprint import check_answer_text, main
from benchmarks.answer_quality import SETS
from bot.answering import compile_policy
from bot.policy.validation import parse_policy
from tests.samples import sample_policy_data


def test_it_prints_one_hash_per_set_and_no_question(capsys: pytest.CaptureFixture[str]) -> None:
    main(["answer_fingerprint", "--set", "smoke", "--set", "smoke"])
    printed = capsys.readouterr().out
    first, second = printed.splitlines()
    assert first == second and first.startswith("smoke") and "40 questions" in first
    (base,) = SETS["smoke"]
    cases = yaml.safe_load(base.with_name(base.name + ".questions.yml").read_text("utf-8"))
    for case in cases:
        assert case["text"][:20] not in printed


def test_any_difference_in_an_answer_shows() -> None:
    engine = compile_policy(parse_policy(sample_policy_data()), "v")
    answer = engine.check("Mag ik een foto van een collega op Instagram zetten?")
    assert answer.rules
    match = answer.rules[0]
    nudged = dataclasses.replace(match, score=match.score + 1e-12)
    changed = dataclasses.replace(answer, rules=(nudged, *answer.rules[1:]))
    assert check_answer_text(answer) == check_answer_text(dataclasses.replace(answer))
    assert check_answer_text(changed) != check_answer_text(answer)
