"""Where the route misses of labelled questions stand: counts only, per set and summed.

    python benchmarks/route_misses.py [--set NAME]... [--show]

A route miss is an answer that names another role than the label's. Each is put in one place
(benchmarks/devset/README.md, round 21): a check by whether its verdict was right, then by
where the expected role was among the rules the question matched (a rule that decided the
answer, another rule that matched, no rule of that role, or no rule at all), then whether
the expected role or the named one is the policy's default role; a "who handles this?"
question by where the expected role was among the matched rules. What can be fixed by how
the route is chosen is the first two places with the right verdict; the rest is recall (the
rule that applies was not heard) or a wrong verdict.

Sets as in `answer_quality.py`, by default every set; the check sets are summed. Counts only:
`--show` prints the misses of the open sets (development, smoke and study sets,
`answer_quality.shows_misses`), never a question of a check set.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.answer_quality import SETS, print_counts_by_set, shows_misses  # noqa: E402
from bot.answering import compile_policy  # noqa: E402
from bot.answering.engine import CompiledPolicy  # noqa: E402
from bot.policy.yaml_io import load_policy_yaml  # noqa: E402

ROUTE_RIGHT = "route right"


@dataclass(frozen=True)
class Placed:
    place: str  # ROUTE_RIGHT, or where the miss stands
    line: str  # the miss as --show prints it, "" when right


def where_expected(expected: str, deciding: set[str], matched: set[str]) -> str:
    """Where the expected role was among the roles of the rules the question matched."""
    if expected in deciding:
        return "expected role among the deciding rules'"
    if expected in matched:
        return "expected role among the matched rules'"
    return "expected role of no matched rule" if matched else "no rule matched"


def place(engine: CompiledPolicy, case: dict[str, Any], default: str) -> Placed:
    groups = ["all", *case.get("groups", [])]
    expected = case["expect"]["role"]
    text = case["text"]
    if case["kind"] == "check":
        answer = engine.check(text, groups)
        named = answer.role.id
        deciding = {m.rule.role or default for m in answer.rules}
        verdict = (
            "verdict right" if answer.verdict == case["expect"]["verdict"] else "verdict wrong"
        )
        kind = f"check, {verdict}"
    else:
        named, kind, deciding = engine.who(text, groups).role.id, "who", set()
    if named == expected:
        return Placed(f"{kind}: {ROUTE_RIGHT}", "")
    matched = {m.rule.role or default for m in engine.matches(text, groups)}
    where = where_expected(expected, deciding, matched)
    defaults = (
        ("expected the default" if expected == default else "expected another role")
        + ", "
        + ("named the default" if named == default else "named another role")
    )
    line = f"{case['id']} ({kind}) expected {expected}, named {named}: {' '.join(text.split())}"
    return Placed(f"{kind}: {where}; {defaults}", line)


def run_set(name: str, show: bool) -> Counter[str]:
    counts: Counter[str] = Counter()
    for base in SETS[name]:
        doc = load_policy_yaml(base.with_name(base.name + ".policy.yml").read_text("utf-8"))
        cases = yaml.safe_load(base.with_name(base.name + ".questions.yml").read_text("utf-8"))
        engine = compile_policy(doc, doc.version or "")
        for case in cases:
            placed = place(engine, case, doc.default.role)
            counts[placed.place] += 1
            if show and placed.line and shows_misses(name):
                print(f"    {name} {placed.line[:160]}")
    return counts


def print_counts(title: str, counts: Counter[str]) -> None:
    print(f"== {title}")
    for where, n in sorted(counts.items()):
        print(f"  {n:>5}  {where}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", choices=sorted(SETS), dest="sets")
    parser.add_argument("--show", action="store_true", help="the open sets' misses too")
    args = parser.parse_args(argv[1:])
    print_counts_by_set(
        args.sets or sorted(SETS), lambda name: run_set(name, args.show), print_counts
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
