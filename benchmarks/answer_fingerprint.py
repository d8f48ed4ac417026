"""A fingerprint of every answer the engine gives, per set, to show that a change (for speed)
changes no answer: run it before and after, in two checkouts, and `diff` the outputs.

    python benchmarks/answer_fingerprint.py [--set NAME]...

For every question of a set (`answer_quality.SETS`: the development sets, the sample, the
study and check sets) and of the synthetic policies of `bench_check.py` (their warm and cold
questions), both `check` and `who` are asked and their answers hashed in full: verdict,
certainty, whether covered, role, every rule match (rule, exact score, strength, each piece
of evidence with its span, kind and source), the weaker and the noticed ones, and the signs
of risk noticed (when there are any); for `who` the
role, its rules, its evidence and score. It prints one hash per set and nothing of its
questions or answers, so it may be run on the check sets too (aggregate figures only:
`benchmarks/devset/README.md`). `answer_quality.py` prints accuracy figures, which a change
can leave equal while it moves scores or evidence; this does not.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.answer_quality import SETS  # noqa: E402
from benchmarks.bench_check import SIZES, questions, synthetic_policy  # noqa: E402
from benchmarks.bench_check import _word as synthetic_word  # noqa: E402
from bot.answering import CheckAnswer, RuleMatch, WhoAnswer, compile_policy  # noqa: E402
from bot.answering.answers import Evidence  # noqa: E402
from bot.answering.engine import CompiledPolicy  # noqa: E402
from bot.policy.validation import parse_policy  # noqa: E402
from bot.policy.yaml_io import load_policy_yaml  # noqa: E402

SYNTHETIC = "synthetic"


def _evidence(e: Evidence) -> tuple[object, ...]:
    return (e.text, e.start, e.end, e.kind, e.source)


def _match(m: RuleMatch) -> tuple[object, ...]:
    return (m.rule.id, repr(m.score), m.strength, tuple(_evidence(e) for e in m.evidence))


def check_answer_text(a: CheckAnswer) -> str:
    """A check answer in full, as text: equal texts, equal answers."""
    return repr(
        (
            str(a.verdict),
            a.certainty,
            a.covered,
            a.role.id,
            a.policy_version,
            tuple(_match(m) for m in a.rules),
            tuple(_match(m) for m in a.weaker),
            tuple(_match(m) for m in a.noticed),
        )
        # The signs of risk, only where there are any: answers without keep their old text.
        + ((tuple(_evidence(e) for e in a.cues),) if a.cues else ())
    )


def who_answer_text(a: WhoAnswer) -> str:
    return repr(
        (
            a.role.id,
            a.covered,
            tuple(_match(m) for m in a.rules),
            tuple(_evidence(e) for e in a.evidence),
            repr(a.score),
        )
    )


def fingerprint(
    engine: CompiledPolicy,
    texts: Sequence[str],
    groups: Sequence[Iterable[str]],
    update: Callable[[bytes], object],
) -> None:
    """Feed every answer to `texts` (each asked by `groups[i]`) to `update` (a hash's)."""
    for text, asking in zip(texts, groups, strict=True):
        update(check_answer_text(engine.check(text, tuple(asking))).encode())
        update(who_answer_text(engine.who(text, tuple(asking))).encode())


def _set_hash(name: str) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for base in SETS[name]:
        doc = load_policy_yaml(base.with_name(base.name + ".policy.yml").read_text("utf-8"))
        cases = yaml.safe_load(base.with_name(base.name + ".questions.yml").read_text("utf-8"))
        texts = [c["text"] for c in cases]
        fingerprint(
            compile_policy(doc, doc.version or ""),
            texts,
            [("all", *c.get("groups", [])) for c in cases],
            digest.update,
        )
        count += len(texts)
    return count, digest.hexdigest()[:24]


def _synthetic_hashes() -> list[tuple[str, int, str]]:
    rng = random.Random(20260120)  # the policies and questions of bench_check.py
    out = []
    for size in SIZES:
        data, vocabulary = synthetic_policy(size, rng)
        engine = compile_policy(parse_policy(data), "bench")
        texts = questions(vocabulary, rng)
        texts += questions([synthetic_word(rng) + "x" for _ in range(300)], rng)[-40:]
        digest = hashlib.sha256()
        fingerprint(engine, texts, [("all", "group1")] * len(texts), digest.update)
        out.append((f"{SYNTHETIC}-{size}", len(texts), digest.hexdigest()[:24]))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", choices=[*sorted(SETS), SYNTHETIC], dest="sets")
    args = parser.parse_args(argv[1:])
    for name in args.sets or [*SETS, SYNTHETIC]:
        if name == SYNTHETIC:
            for label, count, digest in _synthetic_hashes():
                print(f"{label:<16} {count:>5} questions  {digest}")
        elif SETS[name]:
            count, digest = _set_hash(name)
            print(f"{name:<16} {count:>5} questions  {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
