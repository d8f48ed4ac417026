"""The answer benchmark keeps a held-out set held out: for it, only aggregate figures are
printed, never a question, its id or the engine's answer to it; a study set prints its misses."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.answer_quality import SETS, Outcome, print_counts_by_set, report, shows_misses
from benchmarks.check_labels import check


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


def test_only_the_study_sets_of_the_withheld_ones_print_their_misses() -> None:
    """Study half, check half (benchmarks/devset/README.md): `blind` and `blind3` may be read,
    `blind2`, `blind4` and any withheld set added later stay in aggregate figures."""
    assert shows_misses("blind") and shows_misses("blind3") and shows_misses("tuning")
    assert not shows_misses("blind2") and not shows_misses("blind4")
    assert not shows_misses("blind5") and not shows_misses("blind6")
    assert not shows_misses("blind7") and not shows_misses("blind8")
    assert not shows_misses("blind9") and not shows_misses("blind10")


def test_a_study_set_prints_its_misses_and_its_aggregates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    report("blind", outcomes(), show_misses=True, aggregates=True)
    printed = capsys.readouterr().out
    assert "X-01" in printed and "by tag" in printed


@pytest.mark.parametrize("name", ["blind6", "blind7", "blind8", "blind9", "blind10"])
def test_a_recent_withheld_set_is_run_by_name_and_its_labels_agree_with_its_policies(
    name: str,
) -> None:
    """blind6's to blind10's labels are checked against their own policy files (YAML only,
    never the engine); nothing of them is printed."""
    assert len(SETS[name]) == 4
    for base in SETS[name]:
        errors, _tags, cases = check(base, verbose=False)
        # Counts only, so that a failure prints no question of the withheld set.
        error_count, case_count = len(errors), len(cases)
        assert error_count == 0, f"run benchmarks/check_labels.py on {base.parent}"
        assert case_count >= 35


def test_open_sets_print_alone_and_check_sets_only_summed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    counts = {"blind": Counter(a=1), "blind2": Counter(a=2, b=1), "blind4": Counter(a=3)}
    print_counts_by_set(
        ["blind", "blind2", "blind4"],
        lambda name: counts[name],
        lambda title, c: print(title, sorted(c.items())),
    )
    assert capsys.readouterr().out.splitlines() == [
        "blind [('a', 1)]",
        "check sets summed [('a', 5), ('b', 1)]",
    ]
