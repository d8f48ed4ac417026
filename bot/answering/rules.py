"""A policy's rules and keywords compiled for the engine: the keyword matchers a rule or role
brings (with the lexicon terms they expand to), a rule's groups, detectors (its own and those
its text implies) and regular expressions, and the policy's own vocabulary (for judging Dutch
compound splits)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.answering.detectors import detect_all
from bot.answering.keywords import (
    KEYWORD,
    LEXICON,
    TRANSLATED,
    Matcher,
    compile_phrases,
    same_phrase,
)
from bot.answering.lexicon import compiled_lexicon, translations
from bot.answering.stemming import dutch_stem
from bot.answering.text import STOPWORDS, fold, tokenize
from bot.answering.weighing import RuleProfile
from bot.policy.model import EVERYONE, PolicyDocument, Rule


def keyword_matchers(kind: str, owner: int, keywords: Iterable[str]) -> list[Matcher]:
    """A rule's or role's keywords, and the lexicon terms they bring along."""
    own: list[Matcher] = []
    for keyword in keywords:
        own += [Matcher(kind, owner, keyword, KEYWORD, p) for p in compile_phrases(keyword)]
    expanded: list[Matcher] = []
    added: set[int] = set()
    for matcher in own:
        for term in compiled_lexicon().expansions(matcher.phrase):
            if id(term) in added or any(same_phrase(term.phrase, m.phrase) for m in own):
                continue
            added.add(id(term))
            expanded.append(Matcher(kind, owner, matcher.source, LEXICON, term.phrase))
    # A one-word keyword is heard in the other language too, as its translations (`vault` as
    # `kluis`).
    seen = {p for m in own + expanded for p in m.phrase.words[0]}
    for matcher in own:
        if len(matcher.phrase.words) != 1:
            continue
        word = "".join(t.text for t in tokenize(matcher.source))
        for other in translations(word):
            for phrase in compile_phrases(other):
                if seen.isdisjoint(phrase.words[0]):
                    seen.update(phrase.words[0])
                    expanded.append(Matcher(kind, owner, matcher.source, TRANSLATED, phrase))
    return own + expanded


# -- compiled rules -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: Rule
    order: int
    groups: frozenset[str] | None  # None: everyone
    detect: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    unless_values: frozenset[str]  # detector values its unless texts name (`email:info@…`)

    def applies(self, groups: frozenset[str]) -> bool:
        return self.groups is None or not self.groups.isdisjoint(groups)


def compile_rule(order: int, rule: Rule, about: RuleProfile) -> CompiledRule:
    groups = frozenset(rule.applies_to) if rule.applies_to else None
    if groups is not None and EVERYONE in groups:
        groups = None
    # A rule that names addresses or health data hears the detectors for them too.
    detect = frozenset(rule.detect) | about.detectors
    unless_values = frozenset(
        d.key for text in rule.unless for d in detect_all(text) if d.kind in detect
    )
    return CompiledRule(
        rule=rule,
        order=order,
        groups=groups,
        detect=detect,
        patterns=tuple(re.compile(p, re.IGNORECASE) for p in rule.patterns),
        unless_values=unless_values,
    )


def vocabulary(doc: PolicyDocument) -> set[str]:
    """Dutch stems of the words the policy itself uses (for judging compound splits)."""
    texts = [s.text for s in doc.sections] + [s.title for s in doc.sections]
    for rule in doc.rules:
        texts += [rule.text, *rule.keywords]
    for role in doc.roles:
        texts += [role.name, role.handles, *role.keywords]
    words = set(re.findall(r"[^\W\d_]{3,}", fold(" ".join(texts))))
    return {dutch_stem(w) for w in words - STOPWORDS}
