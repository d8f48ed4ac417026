"""Where the verdict misses of labelled checks stand: counts only, per set and summed.

    python benchmarks/verdict_misses.py [--set NAME]... [--show]

A verdict miss is a check answered with another verdict than its label's. Each is put in one
kind (benchmarks/devset/README.md, round 24): too lenient or too strict; whether a rule
decided it or no rule did (the default, or a sign no rule decided on); and, where a rule did,
where the rule the label names (`decided_by`) stood among the matches: heard only weakly, heard
strongly but not deciding, or not heard. Sets without `decided_by` (the development set) get
the coarser kinds. A rule that decided a miss on strong evidence is a rule that decided wrong;
one heard only weakly is a question of evidence, a rule not heard one of recall.

Sets as in `answer_quality.py`, by default every set; the check sets are summed. Counts only:
`--show` prints the misses of the open sets (development, smoke and study sets,
`answer_quality.shows_misses`) with their matches, never a question of a check set.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.answer_quality import SETS, print_counts_by_set, shows_misses  # noqa: E402
from bot.answering import compile_policy  # noqa: E402
from bot.answering.answers import WEAK, CheckAnswer, RuleMatch  # noqa: E402
from bot.answering.engine import CompiledPolicy  # noqa: E402
from bot.policy.yaml_io import load_policy_yaml  # noqa: E402
from bot.vocabulary import strictness  # noqa: E402


def kind_of(answer: CheckAnswer, matches: list[RuleMatch], expected: str, named: list[str]) -> str:
    """The kind of one verdict miss (see the module)."""
    lenient = strictness(answer.verdict) > strictness(expected)
    side = "too lenient" if lenient else "too strict"
    if not answer.covered:
        how = "a sign no rule decided on" if answer.cues else "the default"
        return f"{side}: no rule decided ({how}, {answer.certainty})"
    if answer.verdict == "allowed":
        return f"{side}: an allowed rule decided"
    verdicts = {m.rule.verdict for m in matches}
    if lenient and verdicts == {"forbidden"} and all(m.strength == WEAK for m in matches):
        return f"{side}: only forbidden rules heard, all weakly"
    if not named:
        return f"{side}: a {answer.verdict} rule decided ({answer.certainty}; no decided_by)"
    heard = [m for m in matches if m.rule.id in named]
    if not heard:
        where = "not heard"
    elif all(m.strength == WEAK for m in heard):
        where = "heard only weakly"
    else:
        where = "heard strongly, not deciding"
    decided = f"a {answer.verdict} rule decided ({answer.certainty})"
    return f"{side}: {decided}; the labelled rule {where}"


def misses(engine: CompiledPolicy, cases: list[dict[str, Any]], show: bool) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for case in cases:
        if case["kind"] != "check":
            continue
        groups = ["all", *case.get("groups", [])]
        answer = engine.check(case["text"], groups)
        expected = case["expect"]["verdict"]
        if answer.verdict == expected:
            continue
        matches = engine.matches(case["text"], groups)
        kind = kind_of(answer, matches, expected, list(case.get("decided_by") or []))
        kinds[kind] += 1
        if show:
            text = " ".join(case["text"].split())[:120]
            print(f"    {case['id']} [{kind}] expected {expected}, got {answer.verdict}: {text}")
            for m in matches:
                evidence = ", ".join(f"{e.kind}:{e.text}" for e in m.evidence)
                print(f"      {m.rule.id} {m.rule.verdict} {m.strength} {m.score:.2f} [{evidence}]")
    return kinds


def _run_set(name: str, show: bool) -> Counter[str]:
    show = show and shows_misses(name)
    if show:
        print(f"== {name}: misses")
    counts: Counter[str] = Counter()
    for base in SETS[name]:
        doc = load_policy_yaml(base.with_name(base.name + ".policy.yml").read_text("utf-8"))
        questions = base.with_name(base.name + ".questions.yml").read_text("utf-8")
        engine = compile_policy(doc, doc.version or "")
        counts += misses(engine, yaml.safe_load(questions), show)
    return counts


def _print_counts(name: str, counts: Counter[str]) -> None:
    print(f"== {name}: {sum(counts.values())} verdict misses")
    for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:4d}  {kind}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", choices=sorted(SETS), dest="sets")
    parser.add_argument("--show", action="store_true", help="print the open sets' misses")
    args = parser.parse_args(argv[1:])
    names = args.sets or list(SETS)
    print_counts_by_set(names, lambda name: _run_set(name, args.show), _print_counts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
