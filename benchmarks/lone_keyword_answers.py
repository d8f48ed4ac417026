"""Strict answers that rest on one keyword of one word taken as strong evidence: counts only,
per outcome and per what else the post holds.

    python benchmarks/lone_keyword_answers.py [--set NAME]... [--show]

An answer counts when it is *forbidden* or *review* on strong evidence and every rule that
decided it was heard through one keyword of one word as its author wrote it, and nothing else:
no phrase, compound, lexicon word, translation, concept, detector, pattern, text or example
(benchmarks/devset/README.md, rounds 19 and 22: the largest cause of false alarms). Each is
counted by its outcome (a false alarm on an allowed post, the right verdict, or another strict
verdict than the label's) under each of a few readings of the post, to see which of them
separate the false alarms from the right answers before any change is built:

- `zipf`: how common the word is (below 4, 4 to 4.5, 4.5 and above);
- `rule`: the deciding rule's own verdict;
- `around`: points of the rule's own other words heard in the post (`relevance.Heard`, as
  `weighing.keyword_item` counts the corroboration of an ambiguous word): none, under 0.3, more;
- `person`: a third person, only the asker's own family, or nobody (`weighing.Reading`);
- `frame`: the asker's private life or not (`frame.py`);
- `nobody`: a post that names no one and says nothing of the work (`lone_word.about_nobody`);
- `we`: the work's "we" (`risk.our_work_cue`); `risk`: a sign of risk (`risk.risk_cues`).

Sets as in `answer_quality.py`, by default every set; the check sets are summed. Counts only:
`--show` prints the counted answers of the open sets (development, smoke and study sets,
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
from bot.answering.answers import STRONG, CheckAnswer  # noqa: E402
from bot.answering.engine import CompiledPolicy  # noqa: E402
from bot.answering.frequency import zipf  # noqa: E402
from bot.answering.keywords import KEYWORD  # noqa: E402
from bot.answering.lone_word import about_nobody  # noqa: E402
from bot.answering.relevance import NOTHING  # noqa: E402
from bot.answering.risk import our_work_cue, risk_cues  # noqa: E402
from bot.answering.text import fold  # noqa: E402
from bot.policy.yaml_io import load_policy_yaml  # noqa: E402

FALSE_ALARM, RIGHT, WRONG = "false alarm", "right", "other strict verdict"
OUTCOMES = (FALSE_ALARM, RIGHT, WRONG)


@dataclass(frozen=True)
class Counted:
    outcome: str
    readings: tuple[tuple[str, str], ...]  # (reading, value), in the docstring's order
    line: str  # the answer as --show prints it


def lone_keyword_answer(answer: CheckAnswer) -> bool:
    """Whether a strict answer rests, strongly, on one one-word keyword per deciding rule."""
    if answer.verdict == "allowed" or answer.certainty != STRONG or not answer.rules:
        return False
    return all(
        match.strength == STRONG
        and len(match.evidence) == 1
        and match.evidence[0].kind == KEYWORD
        and len(match.evidence[0].source.split()) == 1
        for match in answer.rules
    )


def _band(value: float, low: float, high: float, names: tuple[str, str, str]) -> str:
    return names[0] if value < low else names[1] if value < high else names[2]


def readings(engine: CompiledPolicy, text: str, answer: CheckAnswer) -> tuple[tuple[str, str], ...]:
    """What the post holds besides the keyword of the first deciding rule."""
    match = answer.rules[0]
    evidence = match.evidence[0]
    word = fold(text[evidence.start : evidence.end])
    # The engine's own reading of the question: what a change to the weighing would see.
    analysis = engine._analyse(text)
    heard = analysis.heard.get(engine.rule_order(match.rule.id), NOTHING)
    around = heard.points_outside([(evidence.start, evidence.end)], (word, fold(evidence.source)))
    reading = analysis.reading
    person = "third person" if reading.third_person else "own family" if reading.person else "none"
    return (
        ("zipf", _band(zipf(word), 4.0, 4.5, ("< 4", "4 to 4.5", ">= 4.5"))),
        ("rule", str(match.rule.verdict)),
        ("around", "none" if around == 0 else "< 0.3" if around < 0.3 else ">= 0.3"),
        ("person", person),
        ("frame", "private" if reading.private else "not private"),
        ("nobody", "yes" if about_nobody(text, engine.frame) else "no"),
        ("we", "yes" if our_work_cue(text, engine.frame) else "no"),
        ("risk", "yes" if risk_cues(text) else "no"),
    )


def count(engine: CompiledPolicy, case: dict[str, Any]) -> Counted | None:
    """The answer to `case` counted, or None when it is no check or rests on more."""
    if case["kind"] != "check":
        return None
    text = case["text"]
    answer = engine.check(text, ["all", *case.get("groups", [])])
    if not lone_keyword_answer(answer):
        return None
    expected = case["expect"]["verdict"]
    outcome = (
        FALSE_ALARM if expected == "allowed" else RIGHT if expected == answer.verdict else WRONG
    )
    found = readings(engine, text, answer)
    word = answer.rules[0].evidence[0].text
    shown = " ".join(f"{name}={value}" for name, value in found)
    line = (
        f"{case['id']} {outcome}: {answer.verdict} on “{word}” ({shown}): {' '.join(text.split())}"
    )
    return Counted(outcome, found, line)


def run_set(name: str, show: bool) -> Counter[tuple[str, str, str]]:
    """(reading, value, outcome) → answers; ("all", "", outcome) counts every one once."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for base in SETS[name]:
        doc = load_policy_yaml(base.with_name(base.name + ".policy.yml").read_text("utf-8"))
        cases = yaml.safe_load(base.with_name(base.name + ".questions.yml").read_text("utf-8"))
        engine = compile_policy(doc, doc.version or "")
        for case in cases:
            counted = count(engine, case)
            if counted is None:
                continue
            counts[("all", "", counted.outcome)] += 1
            for reading, value in counted.readings:
                counts[(reading, value, counted.outcome)] += 1
            if show and shows_misses(name):
                print(f"    {name} {counted.line[:200]}")
    return counts


def print_counts(title: str, counts: Counter[tuple[str, str, str]]) -> None:
    print(f"== {title}: " + ", ".join(f"{o} {counts[('all', '', o)]}" for o in OUTCOMES))
    for reading, value in sorted({(r, v) for r, v, _ in counts if r != "all"}):
        figures = "  ".join(f"{counts[(reading, value, o)]:>4}" for o in OUTCOMES)
        print(f"  {reading:<7} {value:<12} {figures}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", choices=sorted(SETS), dest="sets")
    parser.add_argument("--show", action="store_true", help="the open sets' answers too")
    args = parser.parse_args(argv[1:])
    print(f"  columns: {', '.join(OUTCOMES)}")
    print_counts_by_set(
        args.sets or sorted(SETS), lambda name: run_set(name, args.show), print_counts
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
