"""The bilingual domain lexicon (`policy_content/lexicon/translations.yml`).

- `synonyms`: groups of Dutch and English words and phrases that name the same thing,
  including derivations the stemmers do not join (`klagen` and `klacht`). When a keyword of a
  rule or role IS one of a group's terms (in any inflected form), the rule or role also matches
  the group's other terms, at a lower weight. A term marked `~` links a keyword to the group
  but is never added as an expansion (`~brand` would make "our brand" a fire).
- `translations`: single words that mean the same across the languages (`kamp`/`camp`,
  `eenheid`/`unit`): they let a rule's own text be heard in the other language
  (`relevance.py`), never make a keyword match.

`lexicon_file` is the one reader of the lexicon's YAML files (this one, `frames.yml`,
`unsure.yml`): each read once per process, however many modules compile cues from it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from bot import yaml_safe
from bot.answering.keywords import Phrase, compile_phrases, same_phrase
from bot.answering.stemming import word_keys
from bot.answering.text import fold


@cache
def lexicon_file(name: str) -> Mapping[str, Any]:
    """`policy_content/lexicon/<name>`'s top-level mapping, read once per process and shared
    by every reader (so not to be changed: the mapping is read-only, what it holds is for
    reading only too)."""
    path = resources.files("policy_content") / "lexicon" / name
    return MappingProxyType(dict(yaml_safe.load(path.read_text(encoding="utf-8")) or {}))


def _load() -> Mapping[str, Any]:
    return lexicon_file("translations.yml")


# -- compiled, once per process -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Term:
    phrase: Phrase
    expands: bool  # False for `~` terms: they link a keyword to the concept, nothing more


class CompiledLexicon:
    def __init__(self, concepts: tuple[tuple[str, ...], ...]) -> None:
        self.concepts: list[list[_Term]] = []
        self.index: dict[str, list[tuple[int, _Term]]] = defaultdict(list)
        for number, terms in enumerate(concepts):
            compiled: list[_Term] = []
            for term in terms:
                expands = not term.startswith("~")
                for phrase in compile_phrases(term.lstrip("~")):
                    entry = _Term(phrase, expands)
                    compiled.append(entry)
                    for key in phrase.words[0]:
                        self.index[key].append((number, entry))
            self.concepts.append(compiled)

    def expansions(self, phrase: Phrase) -> list[_Term]:
        """The other terms of every concept `phrase` is a term of."""
        concepts = {
            number
            for key in phrase.words[0]
            for number, term in self.index.get(key, ())
            if same_phrase(term.phrase, phrase)
        }
        return [
            term
            for number in sorted(concepts)
            for term in self.concepts[number]
            if term.expands and not same_phrase(term.phrase, phrase)
        ]

    def concepts_of_word(self, keys: Iterable[str]) -> frozenset[int]:
        """The concepts a single word (given by its match keys) is a one-word term of."""
        return frozenset(
            number
            for key in keys
            for number, term in self.index.get(key, ())
            if len(term.phrase.words) == 1 and key in term.phrase.words[0]
        )


@lru_cache(maxsize=1)
def compiled_lexicon() -> CompiledLexicon:
    groups = _load().get("synonyms") or []
    return CompiledLexicon(tuple(tuple(str(t) for t in group) for group in groups))


@lru_cache(maxsize=1)
def _translation_index() -> dict[str, frozenset[int]]:
    """Match key of a one-word translation → the groups it is in."""
    index: dict[str, set[int]] = defaultdict(set)
    for number, group in enumerate(_load().get("translations") or []):
        for term in group:
            word = fold(str(term))
            if word.isalpha():
                for key in word_keys(word):
                    index[key].add(number)
    return {key: frozenset(groups) for key, groups in index.items()}


@lru_cache(maxsize=1)
def _translation_members() -> tuple[tuple[str, ...], ...]:
    return tuple(
        tuple(fold(str(t)) for t in group if fold(str(t)).isalpha())
        for group in _load().get("translations") or []
    )


def translations(word: str) -> list[str]:
    """The other one-word members of the translation groups a folded word is in: a rule's
    keyword `vault` is heard as `kluis` too."""
    members = _translation_members()
    own = set(word_keys(word))
    return list(
        dict.fromkeys(
            other
            for group in sorted(translation_groups(word))
            for other in members[group]
            if own.isdisjoint(word_keys(other))
        )
    )


def translation_groups(word: str) -> frozenset[int]:
    """The translation groups a folded word is in, through any of its inflected forms. A
    stem key joins only words of the same language, as `word_keys` says, so `w:` keys (the
    word as written) and stem keys are looked up alike."""
    index = _translation_index()
    found: set[int] = set()
    for key in word_keys(word):
        found |= index.get(key, frozenset())
    return frozenset(found)
