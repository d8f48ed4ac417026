"""How well the engine answers labelled questions: accuracy per verdict and per role, and
every miss with what was expected and what came out, for normal and `hard` cases apart.

    python benchmarks/answer_quality.py [POLICY] [QUESTIONS]

Defaults to the sample policy and questions in examples/. A check question is right
when verdict, deciding rules, role and covered all match; a who question when role and
covered match. Prints figures; asserts nothing (tests/test_engine_sample.py does that).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answering import compile_policy  # noqa: E402
from bot.answering.engine import CompiledPolicy  # noqa: E402
from bot.policy.yaml_io import load_policy_yaml  # noqa: E402

SAMPLES = ROOT / "examples"
DEFAULT_POLICY = SAMPLES / "gemeente-voorbeeld.policy.yml"
DEFAULT_QUESTIONS = SAMPLES / "gemeente-voorbeeld.questions.yml"


@dataclass
class Outcome:
    case: dict[str, Any]
    expected: dict[str, Any]
    got: dict[str, Any]

    @property
    def right(self) -> bool:
        return all(self.got.get(k) == v for k, v in self.expected.items())

    @property
    def hard(self) -> bool:
        return bool(self.case.get("hard"))


def expected_of(case: dict[str, Any]) -> dict[str, Any]:
    expect = case["expect"]
    out: dict[str, Any] = {"role": expect["role"], "covered": expect.get("covered", True)}
    if case["kind"] == "check":
        out["verdict"] = expect["verdict"]
        out["rules"] = sorted(expect.get("rules", []))
    return out


def answer(engine: CompiledPolicy, case: dict[str, Any]) -> dict[str, Any]:
    groups = ["all", *case.get("groups", [])]
    if case["kind"] == "check":
        check = engine.check(case["text"], groups)
        return {
            "verdict": check.verdict,
            "rules": sorted(m.rule.id for m in check.rules),
            "role": check.role.id,
            "covered": check.covered,
        }
    who = engine.who(case["text"], groups)
    return {"role": who.role.id, "covered": who.covered}


def _pct(right: int, total: int) -> str:
    return f"{right}/{total} ({100 * right / total:.0f}%)" if total else "-"


def report(title: str, outcomes: list[Outcome]) -> None:
    print(f"\n== {title}: {_pct(sum(o.right for o in outcomes), len(outcomes))} right")
    if not outcomes:
        return
    by_verdict: dict[str, list[Outcome]] = defaultdict(list)
    by_role: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        if "verdict" in o.expected:
            by_verdict[o.expected["verdict"]].append(o)
        by_role[o.expected["role"]].append(o)
    print("  per verdict (check)   verdict right    fully right")
    for verdict in ("forbidden", "review", "allowed"):
        group = by_verdict.get(verdict, [])
        if group:
            verdict_right = sum(o.got["verdict"] == verdict for o in group)
            print(
                f"    {verdict:<18}  {_pct(verdict_right, len(group)):<15}  "
                f"{_pct(sum(o.right for o in group), len(group))}"
            )
    print("  per role (check + who)   role right       fully right")
    for role in sorted(by_role):
        group = by_role[role]
        role_right = sum(o.got["role"] == role for o in group)
        print(
            f"    {role:<21}  {_pct(role_right, len(group)):<15}  "
            f"{_pct(sum(o.right for o in group), len(group))}"
        )
    misses = [o for o in outcomes if not o.right]
    print(f"  misses: {len(misses)}")
    for o in misses:
        case = o.case
        groups = f" groups={case['groups']}" if case.get("groups") else ""
        print(f"    {case['id']} ({case['kind']}{groups}): {' '.join(case['text'].split())[:110]}")
        print(f"      expected {o.expected}")
        print(f"      got      {o.got}")


def main(argv: list[str]) -> int:
    policy_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_POLICY
    questions_path = Path(argv[2]) if len(argv) > 2 else DEFAULT_QUESTIONS
    doc = load_policy_yaml(policy_path.read_text(encoding="utf-8"))
    cases = yaml.safe_load(questions_path.read_text(encoding="utf-8"))
    engine = compile_policy(doc, doc.version or "")
    outcomes = [Outcome(c, expected_of(c), answer(engine, c)) for c in cases]
    print(f"policy {policy_path.name} ({len(doc.rules)} rules, {len(doc.roles)} roles)")
    print(f"questions {questions_path.name} ({len(cases)})")
    report("normal", [o for o in outcomes if not o.hard])
    report("hard", [o for o in outcomes if o.hard])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
