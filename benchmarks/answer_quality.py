"""How well the engine answers labelled questions, per set of policies: accuracy of verdicts and
of routes (the role named), false alarms, false reassurance, personal data called allowed, and
every miss.

    python benchmarks/answer_quality.py [--set NAME]... [--llm]

Sets: `tuning` and `heldout` (benchmarks/devset/, see its README: together the development
set), `smoke` (the sample policy in examples/), `blind` (benchmarks/blind/, see its README),
`blind2` to `blind10` (benchmarks/blind2/ to blind10/), a second to tenth fully withheld set
that only the lead runs, each by name.
The check sets (`blind2`, `blind4`) and `blind5` to `blind10` are held out from development:
for them only aggregate figures are printed (per tag, per language, per policy, the confusion of
verdicts), never a question or its answer; the study sets (`blind`, `blind3`) print their misses
as the development set does (benchmarks/devset/README.md, "Study half, check half").
A check is right on its verdict when the verdict matches, on its route when the role matches;
a who question only has a route. False alarm: an allowed post called forbidden or
review. False reassurance: a forbidden or review post called allowed. With `--llm` the answers
go through the language model configured in POLICYBOT_LLM_URL (as `check` does); without it the
rules answer alone. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answering import compile_policy  # noqa: E402
from bot.answering.engine import CompiledPolicy  # noqa: E402
from bot.policy.yaml_io import load_policy_yaml  # noqa: E402

DEVSET = ROOT / "benchmarks" / "devset"
# The withheld sets are the folders `benchmarks/blind`, `blind2`, …, in their number's order:
# a set added later is known by its folder alone (and is aggregate-only, see `OPEN_SETS`).
WITHHELD = sorted(
    (folder for folder in (ROOT / "benchmarks").glob("blind*") if folder.is_dir()),
    key=lambda folder: int(folder.name.removeprefix("blind") or 1),
)


def _policies_in(folder: Path) -> list[Path]:
    return sorted(
        p.with_name(p.name.removesuffix(".policy.yml")) for p in folder.glob("*.policy.yml")
    )


SETS: dict[str, list[Path]] = {
    "tuning": [DEVSET / n for n in ("ziekenhuis", "gemeente-brunssum", "universiteit")],
    "heldout": [DEVSET / n for n in ("newsroom", "retailer", "defensie")],
    "fresh": [DEVSET / n for n in ("woningcorporatie", "charity", "bank")],
    "smoke": [ROOT / "examples" / "gemeente-voorbeeld"],
    # `blind2` and later are run by the lead only, once per round (see their READMEs): the
    # default run leaves them out.
    **{folder.name: _policies_in(folder) for folder in WITHHELD},
}
BLIND_SETS = frozenset(folder.name for folder in WITHHELD)
# Consulted withheld sets are split (devset/README.md, "Study half, check half"): the study
# sets' misses may be read and their causes fixed in general form; the check sets stay in
# aggregate figures only, and a change counts as good only when it helps them too.
STUDY_SETS = frozenset({"blind", "blind3"})
DEVELOPMENT = ("tuning", "heldout", "fresh")
# Only these print their misses; any other set (the check sets, and any withheld set added
# later) prints aggregate figures only.
OPEN_SETS = frozenset({*DEVELOPMENT, "smoke"}) | STUDY_SETS


def shows_misses(name: str) -> bool:
    return name in OPEN_SETS


Key = TypeVar("Key", bound=Hashable)


def print_counts_by_set(
    names: Iterable[str],
    run_set: Callable[[str], Counter[Key]],
    print_counts: Callable[[str, Counter[Key]], None],
) -> None:
    """Print each open set's counts on its own and the check sets' only summed together: a
    check set's own figure could point to one of its questions ("Study half, check half")."""
    checked: Counter[Key] = Counter()
    for name in names:
        counts = run_set(name)
        if shows_misses(name):
            print_counts(name, counts)
        else:
            checked.update(counts)
    if checked:
        print_counts("check sets summed", checked)


STRICT = ("forbidden", "review")


@dataclass
class Outcome:
    policy: str
    case: dict[str, Any]
    verdict: str | None  # None for who questions
    role: str
    certainty: str

    @property
    def expected_verdict(self) -> str | None:
        return self.case["expect"].get("verdict") if self.case["kind"] == "check" else None

    @property
    def verdict_right(self) -> bool:
        return self.verdict == self.expected_verdict

    @property
    def route_right(self) -> bool:
        return self.role == self.case["expect"]["role"]

    @property
    def false_alarm(self) -> bool:
        return self.expected_verdict == "allowed" and self.verdict in STRICT

    @property
    def false_reassurance(self) -> bool:
        return self.expected_verdict in STRICT and self.verdict == "allowed"

    @property
    def personal_data_allowed(self) -> bool:
        return "pd" in (self.case.get("tags") or []) and self.verdict == "allowed"


def _answer(engine: CompiledPolicy, case: dict[str, Any], opinion: Any) -> tuple[Any, ...]:
    groups = ["all", *case.get("groups", [])]
    if case["kind"] == "check":
        if opinion is not None:
            answer = opinion(engine, case["text"], groups)
        else:
            answer = engine.check(case["text"], groups)
        return answer.verdict, answer.role.id, getattr(answer, "certainty", "")
    who = engine.who(case["text"], groups)
    return None, who.role.id, ""


def run_policy(base: Path, opinion: Any) -> list[Outcome]:
    policy_path = base.with_name(base.name + ".policy.yml")
    doc = load_policy_yaml(policy_path.read_text(encoding="utf-8"))
    cases = yaml.safe_load(base.with_name(base.name + ".questions.yml").read_text("utf-8"))
    engine = compile_policy(doc, doc.version or "")
    return [Outcome(base.name, c, *_answer(engine, c, opinion)) for c in cases]


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "-"


def summary(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    checks = [o for o in outcomes if o.case["kind"] == "check"]
    allowed = [o for o in checks if o.expected_verdict == "allowed"]
    strict = [o for o in checks if o.expected_verdict in STRICT]
    personal = [o for o in checks if "pd" in (o.case.get("tags") or [])]
    return {
        "verdicts right": (sum(o.verdict_right for o in checks), len(checks)),
        "routes right": (sum(o.route_right for o in outcomes), len(outcomes)),
        "false alarms": (sum(o.false_alarm for o in allowed), len(allowed)),
        "false reassurance": (sum(o.false_reassurance for o in strict), len(strict)),
        "personal data called allowed": (
            sum(o.personal_data_allowed for o in personal),
            len(personal),
        ),
    }


def _tagged(outcomes: list[Outcome], tag: str) -> list[Outcome]:
    return [o for o in outcomes if tag in (o.case.get("tags") or [])]


def _aggregates(outcomes: list[Outcome]) -> None:
    """Figures by tag, language, policy and verdict, with no question named."""
    tags = sorted({t for o in outcomes for t in o.case.get("tags") or ()})
    print("  by tag (verdicts right of checks; routes right of all):")
    for tag in tags:
        tagged = _tagged(outcomes, tag)
        checks = [o for o in tagged if o.expected_verdict]
        verdicts = _pct(sum(o.verdict_right for o in checks), len(checks))
        routes = _pct(sum(o.route_right for o in tagged), len(tagged))
        print(f"    {tag:<9} verdicts {verdicts:<18} routes {routes}")
    print("  by policy:")
    for policy in sorted({o.policy for o in outcomes}):
        mine = [o for o in outcomes if o.policy == policy]
        checks = [o for o in mine if o.expected_verdict]
        verdicts = _pct(sum(o.verdict_right for o in checks), len(checks))
        routes = _pct(sum(o.route_right for o in mine), len(mine))
        print(f"    {policy:<26} verdicts {verdicts:<18} routes {routes}")
    print("  verdicts, expected (rows) → answered (columns):")
    order = ("forbidden", "review", "allowed")
    print("    " + " " * 10 + "".join(f"{v:>10}" for v in order))
    checks = [o for o in outcomes if o.expected_verdict]
    for expected in order:
        row = [
            sum(o.expected_verdict == expected and o.verdict == v for o in checks) for v in order
        ]
        print(f"    {expected:<10}" + "".join(f"{n:>10}" for n in row))
    certainties: dict[str, list[Outcome]] = {}
    for o in checks:
        certainties.setdefault(o.certainty, []).append(o)
    print("  answers to allowed posts by verdict and certainty:")
    kinds: dict[tuple[str | None, str], int] = {}
    for o in checks:
        if o.expected_verdict == "allowed":
            kinds[(o.verdict, o.certainty)] = kinds.get((o.verdict, o.certainty), 0) + 1
    for (verdict, certainty), n in sorted(kinds.items(), key=lambda kv: str(kv[0])):
        print(f"    {verdict} ({certainty}): {n}")
    # Why a forbidden or review post was called allowed, in aggregate: not covered (no rule
    # matched, the default answered) or an allowed rule's match (devset README, "False
    # reassurance").
    print("  false reassurance by certainty:")
    reassured: dict[str, int] = {}
    for o in checks:
        if o.false_reassurance:
            reassured[o.certainty] = reassured.get(o.certainty, 0) + 1
    for certainty, n in sorted(reassured.items()):
        print(f"    allowed ({certainty}): {n}")
    print("  verdicts right by certainty:")
    for certainty, these in sorted(certainties.items()):
        print(f"    {certainty:<12} {_pct(sum(o.verdict_right for o in these), len(these))}")


def report(
    name: str,
    outcomes: list[Outcome],
    *,
    show_misses: bool = True,
    aggregates: bool | None = None,
) -> dict[str, tuple[int, int]]:
    """Print a set's figures; `aggregates` (by default when its misses are not shown): by tag,
    policy and verdict too."""
    figures = summary(outcomes)
    policies = sorted({o.policy for o in outcomes})
    print(f"\n== {name}: {len(outcomes)} questions on {', '.join(policies)}")
    for label, (part, whole) in figures.items():
        print(f"  {label:<30} {_pct(part, whole)}")
    if not show_misses if aggregates is None else aggregates:
        _aggregates(outcomes)
    if not show_misses:
        return figures
    for tag in ("direct", "para", "look", "default"):
        tagged = [o for o in _tagged(outcomes, tag) if o.expected_verdict]
        if tagged:
            right = sum(o.verdict_right for o in tagged)
            print(f"  verdicts right, tagged {tag:<7} {_pct(right, len(tagged))}")
    misses = [
        o for o in outcomes if not (o.route_right and (o.verdict_right or not o.expected_verdict))
    ]
    print(f"  misses: {len(misses)}")
    for o in misses:
        text = " ".join(o.case["text"].split())[:120]
        tags = f" [{','.join(o.case['tags'])}]" if o.case.get("tags") else ""
        print(f"    {o.case['id']} ({o.case['kind']}{tags}): {text}")
        expected = f"{o.expected_verdict or '-'} / {o.case['expect']['role']}"
        got = f"{o.verdict or '-'} / {o.role}" + (f" ({o.certainty})" if o.certainty else "")
        print(f"      expected {expected:<30} got {got}")
    return figures


def _accuracy(figures: dict[str, tuple[int, int]]) -> float:
    part, whole = figures["verdicts right"]
    return 100 * part / whole if whole else 0.0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", choices=sorted(SETS), dest="sets")
    parser.add_argument("--llm", action="store_true", help="ask the configured language model too")
    args = parser.parse_args(argv[1:])
    opinion = None
    if args.llm:
        from benchmarks.llm_opinion import configured_opinion

        opinion = configured_opinion()
    figures = {}
    every: dict[str, list[Outcome]] = {}
    for name in args.sets or ["tuning", "heldout", "fresh", "smoke", "blind"]:
        if not SETS[name]:
            print(f"\n== {name}: no policies found")
            continue
        outcomes = [o for base in SETS[name] for o in run_policy(base, opinion)]
        every[name] = outcomes
        figures[name] = report(
            name,
            outcomes,
            show_misses=shows_misses(name),
            aggregates=name not in OPEN_SETS or name in STUDY_SETS,
        )
    if all(name in every for name in DEVELOPMENT):
        development = summary([o for name in DEVELOPMENT for o in every[name]])
        accuracy = _accuracy(development)
        print(f"\ndevelopment set ({' + '.join(DEVELOPMENT)}), verdicts right: {accuracy:.1f}%")
        for blind in sorted(BLIND_SETS & figures.keys()):
            gap = accuracy - _accuracy(figures[blind])
            print(f"development minus {blind}, verdict accuracy: {gap:+.1f} points (target <= 5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
