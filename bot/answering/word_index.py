"""What each word of a question finds in one policy version, worked out once per word.

At ten thousand rules a word such as `foto` is a keyword of dozens of rules and a word of the
text of hundreds: `KeywordIndex.find` then walks the same matchers once per match key of the
word (as written, stem, English stem, plural: four times) and `TextIndex.hear` scores the same
postings again for every question. What a word finds depends on the word alone, so these
indexes remember it per word (a bounded LRU, kept with the compiled version, so a new version
starts afresh):

- `WordKeywordIndex`: per word, the matchers its keys reach, each once, in the order the
  plain index meets them; one-word matchers are hits outright (whether the word is written
  as the keyword is known from the word), phrases are still checked against the words
  around them: first the word on either side of the anchor (most phrases a word reaches,
  nearly all of them the lexicon's, fail there), then the whole phrase. The same for the
  keys a Dutch compound holds.
- `WordTextIndex`: per word, each owner its text accounts for and the points it earns.

The engine's keyword and text indexes and the domain lexicon's index are of these kinds;
`CompiledPolicy(..., remember_words=False)` builds the plain ones. The hits and the words
heard are exactly those of the plain indexes, in the same order
(`tests/test_engine_word_index.py` compares the answers of both on the sample, the
development-set policies and a synthetic one of hundreds of rules, and what each rule's text
hears, words and points): an answer does not depend on which index found it. Memory: at
most `WORDS_REMEMBERED` words per index, each with an entry per rule (or role) it reaches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache, partial
from typing import Any

from bot.answering.keywords import (
    COMPOUND,
    KEYWORD,
    UNLESS,
    Hit,
    KeywordIndex,
    Matcher,
    as_written,
)
from bot.answering.relevance import Heard, HeardWord, TextIndex, heard_tokens, rarity, word_terms
from bot.answering.stemming import keyword_reach_keys
from bot.answering.text import Token

WORDS_REMEMBERED = 20_000  # per index: the words an organisation asks with in a season

# A phrase's words beside its anchor, each as (offset from the anchor, the keys it accepts,
# the separator before the later of the two words): a question whose neighbouring word
# offers none of those keys, or has another separator, cannot match the phrase there.
_Neighbours = tuple[tuple[int, frozenset[str], str], ...]
# Per word: (matcher, anchor, exact, neighbours) in the order the plain index meets them;
# `exact` is None for a phrase of several words, which still has to be checked in its
# context (after its `neighbours` and the words it needs after the anchor, `tail`).
_Reached = tuple[tuple[Matcher, int, bool | None, _Neighbours, int], ...]


_Entries = dict[str, list[tuple[Matcher, int]]]


def _reached_by(index: _Entries, word: str) -> _Reached:
    seen: set[int] = set()
    reached: list[tuple[Matcher, int, bool | None, _Neighbours, int]] = []
    for key in keyword_reach_keys(word):
        for m, anchor in index.get(key, ()):
            if id(m) in seen:
                continue
            seen.add(id(m))
            words, gaps = m.phrase.words, m.phrase.gaps
            if len(words) == 1:
                reached.append((m, anchor, "w:" + word in words[0], (), 1))
                continue
            near: list[tuple[int, frozenset[str], str]] = []
            if anchor > 0:
                near.append((-1, words[anchor - 1], gaps[anchor - 1]))
            if anchor + 1 < len(words):
                near.append((1, words[anchor + 1], gaps[anchor]))
            reached.append((m, anchor, None, tuple(near), len(words) - anchor))
    return tuple(reached)


def _in_compound_of(
    index: _Entries, reached: Callable[[str], _Reached], word: str, keys: tuple[str, ...]
) -> tuple[Matcher, ...]:
    # A one-word keyword the word matched on its own keys is not found again inside it.
    seen = {id(m) for m, _, exact, _, _ in reached(word) if exact is not None}
    found = []
    for key in keys:
        for m, _ in index.get(key, ()):
            # Only the policy's own words: a lexicon term inside a compound is too far from
            # what the author wrote.
            if (
                len(m.phrase.words) == 1
                and m.kind != UNLESS
                and m.via == KEYWORD
                and id(m) not in seen
            ):
                seen.add(id(m))
                found.append(m)
    return tuple(found)


class WordKeywordIndex(KeywordIndex):
    """`KeywordIndex` with what each word reaches remembered."""

    def __init__(self, matchers: Iterable[Matcher], words: int = WORDS_REMEMBERED) -> None:
        super().__init__(matchers)
        # Functions of the index's data, not methods: a cache holding a bound method would
        # make a cycle that keeps a replaced policy version alive until a full collection.
        self._reached = lru_cache(maxsize=words)(partial(_reached_by, self._index))
        self._in_compound = lru_cache(maxsize=words)(
            partial(_in_compound_of, self._index, self._reached)
        )

    def find(
        self,
        tokens: list[Token],
        joined: list[Token],
        compound_keys: list[tuple[str, ...]] | None,
    ) -> list[Hit]:
        hits: list[Hit] = []
        keys_of: list[tuple[str, ...]] | None = None  # only a phrase needs its neighbours' keys
        count = len(tokens)
        for i, token in enumerate(tokens):
            word, ostart, oend = token.text, token.ostart, token.oend
            for m, anchor, exact, near, tail in self._reached(word):
                if exact is not None:
                    hits.append(Hit(m, ostart, oend, m.via, exact, word))
                    continue
                start = i - anchor
                if start < 0 or i + tail > count:
                    continue
                if keys_of is None:
                    keys_of = [keyword_reach_keys(t.text) for t in tokens]
                # The words next to the anchor first: most phrases a word reaches fail there,
                # where `_phrase_end` would say None too.
                for offset, keys, gap in near:
                    if tokens[i + (offset > 0)].gap != gap or keys.isdisjoint(keys_of[i + offset]):
                        break
                else:
                    end = self._phrase_end(m.phrase, tokens, keys_of, start)
                    if end is not None:
                        first = tokens[start]
                        written = as_written(m.phrase, tokens[start : end + 1])
                        word_hit = first.text if end == start else ""
                        hits.append(
                            Hit(m, first.ostart, tokens[end].oend, m.via, written, word_hit)
                        )
            if compound_keys is not None and compound_keys[i]:
                for m in self._in_compound(word, compound_keys[i]):
                    hits.append(Hit(m, ostart, oend, COMPOUND, False, word))
        hits += self.joined_hits(joined)
        return hits


class WordTextIndex(TextIndex):
    """`TextIndex` with what each word earns each owner remembered."""

    def __init__(
        self, texts: Sequence[Sequence[tuple[str, float]]], words: int = WORDS_REMEMBERED
    ) -> None:
        super().__init__(texts)
        self._earned = lru_cache(maxsize=words)(partial(_earned_by, self._postings))

    def hear(self, tokens: Sequence[Token], original: str) -> dict[int, Heard]:
        heard: dict[int, Heard] = {}
        for token in heard_tokens(tokens, original):
            word, ostart, oend = token.text, token.ostart, token.oend
            for owner, points in self._earned(word):
                found = HeardWord(ostart, oend, word, points)
                so_far = heard.get(owner)
                if so_far is None:  # most owners: one word of the question
                    heard[owner] = Heard((found,), points)
                else:  # `Heard.of` the words so far: their points summed in the same order
                    so_far.words += (found,)
                    so_far.points += points
        return heard


def _earned_by(postings: Mapping[str, Sequence[Any]], word: str) -> tuple[tuple[int, float], ...]:
    """(owner, points) for every owner the word meets, in the order it first meets them."""
    rare = rarity(word)
    if rare <= 0.0:
        return ()
    best: dict[int, float] = {}
    for term, sureness in word_terms(word):
        for posting in postings.get(term, ()):
            points = posting.weight * sureness * min(rare, posting.rarity)
            if points > best.get(posting.owner, -1.0):
                best[posting.owner] = points
    return tuple(best.items())


def keyword_index(matchers: Iterable[Matcher], remember_words: bool = True) -> KeywordIndex:
    return WordKeywordIndex(matchers) if remember_words else KeywordIndex(matchers)


def text_index(
    texts: Sequence[Sequence[tuple[str, float]]], remember_words: bool = True
) -> TextIndex:
    return WordTextIndex(texts) if remember_words else TextIndex(texts)
