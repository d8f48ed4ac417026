"""`check` latency and compile time on synthetic policies of 10, 100 and 1,000 rules.

    python benchmarks/bench_check.py

Each policy has realistic parts: keywords and phrases (some in both languages), unless
phrases, regular expressions, detectors and group-only rules. The questions are the sample
questions (examples/) and generated ones that hit the policy's words.
Prints figures; the target is a median under 2 ms at 1,000 rules (and, for a later issue,
about 1 ms at 10,000). Asserts nothing.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answering import compile_policy  # noqa: E402
from bot.policy.validation import parse_policy  # noqa: E402
from bot.policy.yaml_io import load_policy_yaml  # noqa: E402

SAMPLE_POLICY = ROOT / "examples" / "gemeente-voorbeeld.policy.yml"
SAMPLE_QUESTIONS = ROOT / "examples" / "gemeente-voorbeeld.questions.yml"
SIZES = (10, 100, 1000, 10000)
SYLLABLES = str.split("ka lo mi ne ru sa te vo bri dan gel hor jus kel mor pla sto tur wen zij")
FILLER = str.split(
    "mag ik dit posten op linkedin over ons project de gemeente heeft vandaag een nieuwe "
    "can i share this photo of our team at the event with my followers on instagram"
)
PATTERNS = (r"\b[a-z]{2}-\d{3}-[a-z]\b", r"\bww\s*[:=]\s*\S+", r"\bref\s*\d{6}\b")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def synthetic_policy(n_rules: int, rng: random.Random) -> tuple[dict[str, Any], list[str]]:
    """A valid policy as plain data, and the vocabulary its keywords use."""
    vocabulary = [_word(rng) for _ in range(max(200, n_rules * 4))]
    roles = [
        {
            "id": f"role{i}",
            "name": f"Role {i}",
            "contact": f"#role-{i}",
            "handles": "Things of role " + " ".join(rng.sample(vocabulary, 3)),
            "keywords": rng.sample(vocabulary, 4),
        }
        for i in range(20)
    ]
    groups = [{"id": f"group{i}", "name": f"Group {i}", "slack": f"@group{i}"} for i in range(5)]
    rules = []
    for i in range(n_rules):
        words = rng.sample(vocabulary, 8)
        keywords = words[:5] + [f"{words[5]} {words[6]}"]
        rule: dict[str, Any] = {
            "id": f"R{i:04d}",
            "verdict": rng.choice(("forbidden", "review", "allowed")),
            "text": "Rule about " + " ".join(words),
            "role": f"role{rng.randrange(20)}",
            "keywords": keywords,
        }
        if rng.random() < 0.1:
            rule["unless"] = [f"{words[0]} {words[7]}"]
        if rng.random() < 0.1:
            rule["patterns"] = [rng.choice(PATTERNS)]
        if rng.random() < 0.05:
            rule["detect"] = rng.sample(["email", "phone", "iban", "bsn", "card"], 2)
        if rng.random() < 0.1:
            rule["applies_to"] = [f"group{rng.randrange(5)}"]
        rules.append(rule)
    policy = {
        "format": "policybot/1",
        "organisation": "Bench",
        "language": "nl",
        "sections": [{"id": "purpose", "title": "Why", "text": "Guidance. " * 50}],
        "groups": groups,
        "roles": roles,
        "rules": rules,
        "default": {"verdict": "allowed", "role": "role0"},
    }
    return policy, vocabulary


def questions(vocabulary: list[str], rng: random.Random) -> list[str]:
    out = [c["text"] for c in yaml.safe_load(SAMPLE_QUESTIONS.read_text(encoding="utf-8"))]
    for _ in range(60):
        words = rng.sample(FILLER, 14) + rng.sample(vocabulary, 3)
        rng.shuffle(words)
        out.append(" ".join(words) + "?")
    return out


def _ms(seconds: list[float], q: float) -> float:
    ordered = sorted(seconds)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def sample_policy_figures() -> None:
    """The sample policy on its own questions: detectors and patterns on real texts."""
    doc = load_policy_yaml(SAMPLE_POLICY.read_text(encoding="utf-8"))
    start = time.perf_counter()
    engine = compile_policy(doc, doc.version or "")
    compiled_in = time.perf_counter() - start
    texts = [c["text"] for c in yaml.safe_load(SAMPLE_QUESTIONS.read_text(encoding="utf-8"))]
    for text in texts:
        engine.check(text)
    timings = []
    for _ in range(10):
        for text in texts:
            start = time.perf_counter()
            engine.check(text)
            timings.append(time.perf_counter() - start)
    print(
        f"sample policy ({len(doc.rules)} rules): compile {1000 * compiled_in:.1f}ms, "
        f"check median {1000 * statistics.median(timings):.2f}ms p95 {_ms(timings, 0.95):.2f}ms"
    )


def main() -> int:
    rng = random.Random(20260120)
    sample_policy_figures()
    print(f"{'rules':>6} {'compile':>10} {'median':>9} {'p95':>9} {'max':>9}  checks")
    for size in SIZES:
        data, vocabulary = synthetic_policy(size, rng)
        doc = parse_policy(data)
        compile_times = []
        for _ in range(3):
            start = time.perf_counter()
            engine = compile_policy(doc, "bench")
            compile_times.append(time.perf_counter() - start)
        texts = questions(vocabulary, rng)
        for text in texts:  # warm up: stem caches, regex caches
            engine.check(text, ("all", "group1"))
        timings = []
        for _ in range(5):
            for text in texts:
                start = time.perf_counter()
                engine.check(text, ("all", "group1"))
                timings.append(time.perf_counter() - start)
        # Cold: words never seen before, as a live bot sees them.
        cold = []
        for text in questions([_word(rng) + "x" for _ in range(300)], rng)[-40:]:
            start = time.perf_counter()
            engine.check(text)
            cold.append(time.perf_counter() - start)
        print(
            f"{size:>6} {1000 * statistics.median(compile_times):>8.1f}ms "
            f"{1000 * statistics.median(timings):>7.2f}ms {_ms(timings, 0.95):>7.2f}ms "
            f"{1000 * max(timings):>7.2f}ms  {len(timings)} warm; "
            f"cold median {1000 * statistics.median(cold):.2f}ms p95 {_ms(cold, 0.95):.2f}ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
