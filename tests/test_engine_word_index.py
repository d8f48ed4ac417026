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
from bot.answering.relevance import TextIndex, rule_texts
from bot.answering.text import Folded, hyphen_joined, tokenize
from bot.answering.weighing import domain_index
from bot.answering.word_index import WordKeywordIndex, WordTextIndex
from bot.policy.model import PolicyDocument
from bot.policy.validation import parse_policy
from bot.policy.yaml_io import load_policy_yaml
from bot.vocabulary import strictness

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


def _rule_text_indexes(doc: PolicyDocument) -> tuple[TextIndex, WordTextIndex]:
    texts = [rule_texts(r.text, r.keywords, r.examples, r.context) for r in doc.rules]
    return TextIndex(texts), WordTextIndex(texts)


def test_each_rule_hears_the_same_words_and_points_from_the_remembering_text_index() -> None:
    """`WordTextIndex.hear` gathers a rule's words as they come, adding their points as it
    goes; the plain index gathers them first and sums them after (`Heard.of`): the same words
    in the same order, and the same points to the last bit, also for a rule that hears
    several words of the question."""
    rng = random.Random(20260121)
    data, vocabulary = synthetic_policy(300, rng)
    doc = parse_policy(data)
    # A rule's own words in another order, with words of other rules around them.
    texts = [
        " ".join(rng.sample(r.text.split()[2:], 5) + rng.sample(vocabulary, 3))
        for r in doc.rules[:40]
    ]
    texts += synthetic_questions(vocabulary, rng)[-20:]
    plain, remembering = _rule_text_indexes(doc)
    several = 0
    for text in texts:
        tokens = tokenize(Folded(text))
        expected = plain.hear(tokens, text)
        assert remembering.hear(tokens, text) == expected
        assert remembering.hear(tokens, text) == expected  # now from what was remembered
        several += sum(len(h.words) > 1 for h in expected.values())
    assert several > 40


def test_matches_are_ordered_strictest_first_then_by_score_then_in_rule_order() -> None:
    """`CompiledPolicy.matches` orders by two stable sorts instead of a key per match: the
    order is still strictest verdict first, the higher score first within a verdict, and
    rules with the same verdict and score in the order the policy lists them."""
    rng = random.Random(20260122)
    data, vocabulary = synthetic_policy(300, rng)
    doc = parse_policy(data)
    engine = compile_policy(doc, "v")
    position = {r.id: i for i, r in enumerate(doc.rules)}
    ties = compared = 0
    for text in synthetic_questions(vocabulary, rng):
        found = engine.matches(text, ("all", "group1"))
        keys = [(strictness(m.rule.verdict), -m.score, position[m.rule.id]) for m in found]
        assert keys == sorted(keys)
        ties += sum(a[:2] == b[:2] for a, b in zip(keys, keys[1:], strict=False))
        compared += len(keys)
    assert ties > 10 and compared > 200
