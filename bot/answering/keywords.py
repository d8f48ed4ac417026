"""Keyword and phrase matching against an index built once per policy version.

A phrase (a keyword, an `unless` phrase, a lexicon term) is compiled into the match keys each
of its words accepts (`stemming.keyword_word_keys`) and the separators between them. The
index maps every key a phrase's first word accepts to the phrase, so finding all matches in
a question costs a few dictionary lookups per word, however many rules the policy has.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from bot.answering.stemming import keyword_reach_keys, keyword_word_keys
from bot.answering.text import Folded, Token, hyphen_joined, tokenize

RULE = "rule"  # owner kinds: a rule's keyword, a rule's unless phrase, a role's keyword
UNLESS = "unless"
ROLE = "role"

KEYWORD = "keyword"  # how a match was made: as written (in any inflection) …
LEXICON = "lexicon"  # … through a lexicon concept …
TRANSLATED = "translation"  # … as its translation in the other language …
COMPOUND = "compound"  # … or inside a Dutch compound word

_WEIGHTS = {KEYWORD: 1.0, COMPOUND: 0.7, LEXICON: 0.6, TRANSLATED: 0.6}
INFLECTED = 0.9


@dataclass(frozen=True, slots=True)
class Phrase:
    words: tuple[frozenset[str], ...]  # the keys each word accepts
    gaps: tuple[str, ...]  # the separator before words[1:] ("" = space or hyphen)


@dataclass(frozen=True, slots=True, eq=False)
class Matcher:
    kind: str  # RULE, UNLESS or ROLE
    owner: int  # index of the rule or role in the document
    source: str  # the keyword as the policy writes it
    via: str  # KEYWORD or LEXICON
    phrase: Phrase


@dataclass(slots=True)  # not frozen: made by the hundred per question, 4× faster
class Hit:
    matcher: Matcher
    start: int  # span in the original text
    end: int
    how: str  # KEYWORD, LEXICON or COMPOUND
    exact: bool  # every word as written (not only through a stem)
    word: str  # the folded text of a one-word hit ("" for phrases)

    @property
    def weight(self) -> float:
        # A longer phrase says more than a single word; the word as written more than its stem.
        base = _WEIGHTS[self.how] * (1.0 if self.exact else INFLECTED)
        return base * (1.0 + 0.5 * (len(self.matcher.phrase.words) - 1))


# In a phrase of several words one article stands for any other ("block a user" matches
# "block the user", "een nieuw account" matches "het nieuwe account").
ARTICLES = frozenset({"a", "an", "the", "de", "het", "een"})
# Words too common to look a phrase up by (the anchor is the phrase's first other word).
_FUNCTION_WORDS = ARTICLES | frozenset(
    str.split(
        """in op van voor met aan bij naar over uit te en of is zijn was er dat die dit deze
        ik je we wij ze zij hij het ons onze mijn de to of on in at for with by from and or
        is are was be i you we they he she it my our your their this that not niet no geen"""
    )
)
_ANY_ARTICLE = frozenset("w:" + a for a in ARTICLES)


def _word_keys_in_phrase(word: str, size: int) -> frozenset[str]:
    if size > 1 and word in ARTICLES:
        return _ANY_ARTICLE
    return keyword_word_keys(word)


def compile_phrases(text: str) -> list[Phrase]:
    """The phrase for a keyword as written, plus its one-word form when it is hyphenated
    (`nep-account` also matches `nepaccount`)."""
    tokens = tokenize(Folded(text))
    if not tokens:
        return []
    phrases = [
        Phrase(
            tuple(_word_keys_in_phrase(t.text, len(tokens)) for t in tokens),
            tuple(t.gap for t in tokens[1:]),
        )
    ]
    for joined in hyphen_joined(tokens):
        if joined.start == tokens[0].start and joined.end == tokens[-1].end:
            phrases.append(Phrase((keyword_word_keys(joined.text),), ()))
    return phrases


def same_phrase(a: Phrase, b: Phrase) -> bool:
    """Whether two phrases name the same words (in any inflection)."""
    return (
        len(a.words) == len(b.words)
        and a.gaps == b.gaps
        and all(not x.isdisjoint(y) for x, y in zip(a.words, b.words, strict=True))
    )


def as_written(phrase: Phrase, tokens: list[Token]) -> bool:
    return all("w:" + t.text in keys for t, keys in zip(tokens, phrase.words, strict=True))


def _anchor(phrase: Phrase) -> int:
    """The word a phrase is looked up by: its first word that is not a function word, so a
    question's "de" or "the" does not try every phrase that starts with an article."""
    for position, keys in enumerate(phrase.words):
        if any(k.partition(":")[2] not in _FUNCTION_WORDS for k in keys):
            return position
    return 0


class KeywordIndex:
    def __init__(self, matchers: Iterable[Matcher]) -> None:
        index: dict[str, list[tuple[Matcher, int]]] = defaultdict(list)
        for matcher in matchers:
            anchor = _anchor(matcher.phrase)
            for key in matcher.phrase.words[anchor]:
                index[key].append((matcher, anchor))
        self._index = dict(index)

    def single_word(self) -> list[Matcher]:
        """Every one-word matcher of a rule or role keyword (for compound splitting)."""
        seen: dict[int, Matcher] = {}
        for matchers in self._index.values():
            for m, _ in matchers:
                if len(m.phrase.words) == 1 and m.kind != UNLESS:
                    seen[id(m)] = m
        return list(seen.values())

    def find(
        self,
        tokens: list[Token],
        joined: list[Token],
        compound_keys: list[tuple[str, ...]] | None,
    ) -> list[Hit]:
        """Every match in a tokenised text. `compound_keys[i]` are extra keys for tokens[i]
        found inside a Dutch compound (None: the text is not Dutch)."""
        hits: list[Hit] = []
        seen: set[tuple[int, int]] = set()
        index = self._index
        keys_of = [keyword_reach_keys(t.text) for t in tokens]
        for i, token in enumerate(tokens):
            for key in keys_of[i]:
                for m, anchor in index.get(key, ()):
                    start = i - anchor
                    if start < 0 or (id(m), start) in seen:
                        continue
                    end = self._phrase_end(m.phrase, tokens, keys_of, start)
                    if end is not None:
                        seen.add((id(m), start))
                        first = tokens[start]
                        exact = as_written(m.phrase, tokens[start : end + 1])
                        word = first.text if end == start else ""
                        hits.append(Hit(m, first.ostart, tokens[end].oend, m.via, exact, word))
            if compound_keys is not None:
                for key in compound_keys[i]:
                    for m, _ in index.get(key, ()):
                        # Only the policy's own words: a lexicon term inside a compound is
                        # too far from what the author wrote.
                        if (
                            len(m.phrase.words) == 1
                            and m.kind != UNLESS
                            and m.via == KEYWORD
                            and (id(m), i) not in seen
                        ):
                            seen.add((id(m), i))
                            hits.append(
                                Hit(m, token.ostart, token.oend, COMPOUND, False, token.text)
                            )
        hits += self.joined_hits(joined)
        return hits

    def joined_hits(self, joined: list[Token]) -> list[Hit]:
        """One-word keywords matched by words written with hyphens, read as one word."""
        hits: list[Hit] = []
        for token in joined:
            for key in keyword_reach_keys(token.text):
                for m, _ in self._index.get(key, ()):
                    if len(m.phrase.words) == 1:
                        exact = as_written(m.phrase, [token])
                        hits.append(Hit(m, token.ostart, token.oend, m.via, exact, token.text))
        return hits

    @staticmethod
    def _phrase_end(
        phrase: Phrase, tokens: list[Token], keys_of: list[tuple[str, ...]], start: int
    ) -> int | None:
        """The index of the phrase's last token when it matches from `start`, else None."""
        size = len(phrase.words)
        if start + size > len(tokens) or phrase.words[0].isdisjoint(keys_of[start]):
            return None
        for k in range(1, size):
            token = tokens[start + k]
            if token.gap != phrase.gaps[k - 1] or phrase.words[k].isdisjoint(keys_of[start + k]):
                return None
        return start + size - 1
