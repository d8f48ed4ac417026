"""The answer benchmark keeps a held-out set held out: for it, only aggregate figures are
printed, never a question, its id or the engine's answer to it."""

from __future__ import annotations

import pytest

from benchmarks.answer_quality import Outcome, report


def outcomes() -> list[Outcome]:
    cases = [
        {"id": "X-01", "kind": "check", "text": "Secret question one", "tags": ["para", "en"],
         "expect": {"verdict": "forbidden", "role": "legal"}},
        {"id": "X-02", "kind": "check", "text": "Secret question two", "tags": ["look", "nl"],
         "expect": {"verdict": "allowed", "role": "comms"}},
        {"id": "X-03", "kind": "who", "text": "Secret question three", "tags": ["who"],
         "expect": {"role": "legal"}},
    ]  # fmt: skip
    return [
        Outcome("policy-a", cases[0], "allowed", "comms", "not_covered"),
        Outcome("policy-a", cases[1], "review", "comms", "weak"),
        Outcome("policy-b", cases[2], None, "legal", ""),
    ]


def test_a_held_out_set_prints_aggregates_only(capsys: pytest.CaptureFixture[str]) -> None:
    figures = report("blind", outcomes(), show_misses=False)
    printed = capsys.readouterr().out
    assert "X-0" not in printed and "Secret" not in printed
    assert "by tag" in printed and "policy-a" in printed
    assert figures["false reassurance"] == (1, 1)
    assert figures["false alarms"] == (1, 1)
    assert figures["routes right"] == (2, 3)


def test_a_development_set_prints_every_miss(capsys: pytest.CaptureFixture[str]) -> None:
    report("tuning", outcomes())
    printed = capsys.readouterr().out
    assert "X-01" in printed and "X-02" in printed and "X-03" not in printed
