"""Free questions: the policy passages most relevant to them, and how alike two questions are.

Unlike rule matching, this is about recall: a question no rule covers should still lead to
the paragraph that talks about it, and "TikTok account for the library?" should be grouped
with "Can we start a TikTok?". So words are compared through every stem they have: the full
Snowball stemmers (which also strip derivations), the inflection stemmers, and the concepts
of the domain lexicon (so `klachten` and `complaints` meet).
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from bot.answering.lexicon import compiled_lexicon
from bot.answering.stemming import dutch_stem, english_stem, word_keys
from bot.answering.text import STOPWORDS, tokenize
from bot.policy.model import PolicyDocument

# BM25's usual constants: how fast repeated words stop adding, how much length counts.
_K1 = 1.2
_B = 0.75

_stemmer_lock = threading.Lock()  # Snowball stemmer objects keep state between calls
_SNOWBALL_NL = snowballstemmer.stemmer("dutch")
_SNOWBALL_EN = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Passage:
    kind: str  # "section" (a paragraph of a section) or "rule"
    section_id: str | None  # the section it is in (a rule's own section)
    rule_id: str | None  # for a rule
    title: str  # the section's title
    text: str
    score: float = 0.0


# -- words → terms --------------------------------------------------------------------------
def _content_word(word: str) -> bool:
    return word not in STOPWORDS and (len(word) >= 3 or word.isdigit())


@lru_cache(maxsize=100_000)
def search_terms(word: str) -> frozenset[str]:
    """Every term a folded word can meet another on (empty for a stopword)."""
    if not _content_word(word):
        return frozenset()
    keys = word_keys(word)
    terms = set(keys)
    if word.isalpha():
        with _stemmer_lock:
            full = (_SNOWBALL_NL.stemWord(word), _SNOWBALL_EN.stemWord(word))
        terms.update(f"s:{stem}" for stem in full if len(stem) >= 4)
    terms.update(f"c:{n}" for n in compiled_lexicon().concepts_of_word(keys))
    return frozenset(terms)


@lru_cache(maxsize=100_000)
def canonical_term(word: str) -> str | None:
    """One term per word, the same for its inflections and, through the lexicon, its
    translations: the concept if it has one, else its shortest stem."""
    if not _content_word(word):
        return None
    concepts = compiled_lexicon().concepts_of_word(word_keys(word))
    if concepts:
        return f"c:{min(concepts)}"
    if not word.isalpha():
        return word
    with _stemmer_lock:
        stems = [_SNOWBALL_NL.stemWord(word), _SNOWBALL_EN.stemWord(word)]
    stems += [dutch_stem(word), english_stem(word)]
    usable = [s for s in stems if len(s) >= 3] or [word]
    return min(usable, key=lambda s: (len(s), s))


def _terms_of_text(text: str) -> list[frozenset[str]]:
    return [t for t in (search_terms(tok.text) for tok in tokenize(text)) if t]


def term_set(text: str) -> frozenset[str]:
    terms = (canonical_term(tok.text) for tok in tokenize(text))
    return frozenset(t for t in terms if t)


# -- similarity and grouping ----------------------------------------------------------------
def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def group_similar(texts: Sequence[str], threshold: float) -> list[list[int]]:
    """Indices of `texts` in groups of texts at least `threshold` alike (linked in a chain),
    every index in exactly one group, groups in order of their first text."""
    sets = [term_set(t) for t in texts]
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only pairs that share a term can be alike: find them through an inverted index.
    by_term: dict[str, list[int]] = {}
    for i, terms in enumerate(sets):
        for term in terms:
            by_term.setdefault(term, []).append(i)
    for i, terms in enumerate(sets):
        others = {j for term in terms for j in by_term[term] if j > i}
        for j in sorted(others):
            if root(i) != root(j) and _jaccard(terms, sets[j]) >= threshold:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


# -- passages -------------------------------------------------------------------------------
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _paragraphs(text: str) -> list[str]:
    """A section's text in paragraphs; list items count as paragraphs of their own."""
    pieces: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        current: list[str] = []
        for line in block.splitlines():
            if _LIST_ITEM.match(line) and current:
                pieces.append("\n".join(current))
                current = []
            if line.strip():
                current.append(line)
        if current:
            pieces.append("\n".join(current))
    return [p.strip() for p in pieces if p.strip()]


class _PassageIndex:
    def __init__(self, doc: PolicyDocument) -> None:
        titles = {s.id: s.title for s in doc.sections}
        self.passages: list[Passage] = []
        self.terms: list[Counter[str]] = []
        for section in doc.sections:
            for paragraph in _paragraphs(section.text):
                self._add(
                    Passage("section", section.id, None, section.title, paragraph),
                    f"{section.title}\n{paragraph}",
                )
        for rule in doc.rules:
            title = titles.get(rule.section or "", "")
            self._add(
                Passage("rule", rule.section, rule.id, title, rule.text),
                " ".join([rule.text, *rule.keywords]),
            )
        self.lengths = [sum(c.values()) for c in self.terms]
        self.average = (sum(self.lengths) / len(self.lengths)) if self.lengths else 1.0
        df: Counter[str] = Counter()
        for counts in self.terms:
            df.update(counts.keys())
        n = len(self.terms)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def _add(self, passage: Passage, indexed_text: str) -> None:
        counts: Counter[str] = Counter()
        for terms in _terms_of_text(indexed_text):
            counts.update(terms)
        self.passages.append(passage)
        self.terms.append(counts)

    def search(self, text: str, limit: int) -> list[Passage]:
        query = list(dict.fromkeys(_terms_of_text(text)))  # each distinct word once
        scored: list[tuple[float, int]] = []
        for i, counts in enumerate(self.terms):
            norm = _K1 * (1 - _B + _B * self.lengths[i] / self.average)
            score = 0.0
            for terms in query:
                best = 0.0
                for term in terms:
                    tf = counts.get(term)
                    if tf:
                        best = max(best, self.idf[term] * tf * (_K1 + 1) / (tf + norm))
                score += best
            if score > 0:
                scored.append((score, i))
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [_with_score(self.passages[i], round(score, 4)) for score, i in scored[:limit]]


def _with_score(passage: Passage, score: float) -> Passage:
    return Passage(
        passage.kind, passage.section_id, passage.rule_id, passage.title, passage.text, score
    )


_index_lock = threading.Lock()
_indexes: dict[int, tuple[PolicyDocument, _PassageIndex]] = {}
_MAX_INDEXES = 8


def _index_for(doc: PolicyDocument) -> _PassageIndex:
    """The passage index of a document, built once while the document object lives on."""
    with _index_lock:
        hit = _indexes.get(id(doc))
        if hit is not None and hit[0] is doc:
            return hit[1]
    index = _PassageIndex(doc)
    with _index_lock:
        if len(_indexes) >= _MAX_INDEXES:
            _indexes.pop(next(iter(_indexes)))
        _indexes[id(doc)] = (doc, index)
    return index


def relevant_passages(doc: PolicyDocument, text: str, limit: int = 3) -> list[Passage]:
    """The `limit` section paragraphs and rule texts most relevant to `text`, best first;
    fewer (or none) when fewer share a word with it."""
    if limit <= 0 or not text.strip():
        return []
    return _index_for(doc).search(text, limit)
