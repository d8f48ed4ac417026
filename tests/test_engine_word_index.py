"""The indexes that remember what each word finds (`bot/answering/word_index.py`) select
exactly what the plain indexes select: the same keyword hits in the same order, the same
words heard for each rule and role, and so the same answers, on the sample policy, on every
development-set policy and on a synthetic policy of many rules that share their words."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarks.bench_check import questions as synthetic_questions
from benchmarks.bench_check import synthetic_policy
from bot.answering import compile_policy
from bot.answering.engine import CompiledPolicy
from bot.answering.keywords import KeywordIndex
from bot.answering.text import Folded, hyphen_joined, tokenize
from bot.answering.weighing import domain_index
from bot.answering.word_index import WordKeywordIndex
from bot.policy.model import PolicyDocument
from bot.policy.validation import parse_policy
from bot.policy.yaml_io import load_policy_yaml

ROOT = Path(__file__).resolve().parents[1]
POLICIES = [ROOT / "examples" / "gemeente-voorbeeld"] + sorted(
    p.with_name(p.name.removesuffix(".policy.yml"))
    for p in (ROOT / "benchmarks" / "devset").glob("*.policy.yml")
)


def _variants(text: str) -> list[str]:
    """The question, and forms of it that take other paths: shouting, words joined with
    hyphens, a word said twice, the question asked again (now from what was remembered)."""
    words = text.split()
    joined = "-".join(words[1:3]) if len(words) > 3 else text
    return [
        text,
        text.upper(),
        " ".join([words[0], joined, *words[3:]]) if len(words) > 3 else text,
        f"{text} {words[-1]} {words[0]}",
        text,
    ]


def _both(doc: PolicyDocument) -> tuple[CompiledPolicy, CompiledPolicy]:
    return compile_policy(doc, "v"), CompiledPolicy(doc, "v", remember_words=False)


def _groups(doc: PolicyDocument) -> list[tuple[str, ...]]:
    return [("all",), *(("all", g.id) for g in doc.groups)]


def _same_answers(doc: PolicyDocument, texts: list[str]) -> int:
    remembering, plain = _both(doc)
    compared = 0
    for text in texts:
        for variant in _variants(text):
            for groups in _groups(doc):
                assert remembering.matches(variant, groups) == plain.matches(variant, groups)
                assert remembering.check(variant, groups) == plain.check(variant, groups)
                assert remembering.who(variant, groups) == plain.who(variant, groups)
                compared += 1
    return compared


@pytest.mark.parametrize("base", POLICIES, ids=lambda p: p.name)
def test_answers_are_the_same_with_and_without_remembered_words(base: Path) -> None:
    doc = load_policy_yaml(base.with_name(base.name + ".policy.yml").read_text("utf-8"))
    cases: list[dict[str, Any]] = yaml.safe_load(
        base.with_name(base.name + ".questions.yml").read_text("utf-8")
    )
    texts = [c["text"] for c in cases]
    assert _same_answers(doc, texts) >= 5 * len(texts)


def test_answers_are_the_same_at_hundreds_of_rules_sharing_their_words() -> None:
    """Many rules per word, phrases, unless phrases, patterns, detectors and Dutch compounds
    of the policy's own words: the cases where remembering skips the most work."""
    rng = random.Random(20260120)
    data, vocabulary = synthetic_policy(300, rng)
    texts = synthetic_questions(vocabulary, rng)[-30:]
    texts += ["Mag ik GX-412-K en ww: geheim123 delen? Bel 06-12345678 of mail a.b@example.com"]
    assert _same_answers(parse_policy(data), texts) > 0


def test_the_domain_lexicon_finds_the_same_terms_and_cues() -> None:
    index = domain_index().index
    assert isinstance(index, WordKeywordIndex)
    found = 0
    for base in POLICIES:
        cases = yaml.safe_load(base.with_name(base.name + ".questions.yml").read_text("utf-8"))
        for case in cases:
            for variant in _variants(case["text"]):
                tokens = tokenize(Folded(variant))
                joined = hyphen_joined(tokens)
                hits = index.find(tokens, joined, None)
                assert hits == KeywordIndex.find(index, tokens, joined, None)
                found += len(hits)
    assert found > 0
