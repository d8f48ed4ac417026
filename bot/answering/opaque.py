"""Fixed expressions whose words mean something else (`policy_content/lexicon/opaque/`;
policy-format.md, "Evidence, weighed"): WordNet's and Open Dutch WordNet's lemmas of several
words in which a word is *opaque*, no meaning of the expression being a kind of a meaning of
that word. An "eager beaver" is a person, not a beaver; a "department store" is no store room;
"brand new" is new, not a brand; "just in case" holds no case. Built as data by
`scripts/build_opaque.py`.

Inside such an expression the word is not the policy's keyword, for every keyword of every
policy, the way an `innocent:` phrase of `senses.yml` drops one: this module finds where in a
question those words stand. The word the expression is a kind of keeps its sense ("drill" in
"fire drill"), and so does the first word of a two-word noun ("fire" in "fire drill").

The table is read once per process, at the first question, so start-up does not pay for
it (nor `serve`'s warm-up, whose memory a test takes as settled before it runs).
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

from bot.answering.text import Token, guess_language

# an opaque word, "beaver" → the table's lines for the expressions it is opaque in, as written
# (split when first met: most never are)
Expressions = dict[str, list[str]]
# an expression's words, its language, the positions of its opaque words
Expression = tuple[tuple[str, ...], str, tuple[int, ...]]


@lru_cache(maxsize=1)
def _expressions() -> tuple[Expressions, frozenset[tuple[str, str]]]:
    """The table by opaque word, and every two neighbouring words ("eager beaver", "eager
    beavers") of which one is opaque: where no such pair stands, no word is opaque."""
    path = resources.files("policy_content") / "lexicon" / "opaque" / "expressions-nl-en.tsv.gz"
    with gzip.open(path.open("rb")) as table:
        lines = table.read().decode("utf-8").splitlines()
    found: Expressions = {}
    pairs: set[tuple[str, str]] = set()
    for line in lines:
        words, _, positions = line.rpartition("\t")
        written = words.partition("\t")[0].split(" ")
        last = len(written) - 1
        for position in map(int, positions.split()):
            found.setdefault(written[position], []).append(line)
            for left in (position - 1, position):
                if 0 <= left < last:
                    right = written[left + 1]
                    plurals = _plurals(right) if left + 1 == last else ()
                    pairs.update((written[left], w) for w in (right, *plurals))
    return found, frozenset(pairs)


def _plurals(word: str) -> tuple[str, ...]:
    return (
        (word + "s", word + "es", word[:-1] + "ies")
        if word.endswith("y")
        else (word + "s", word + "es")
    )


@lru_cache(maxsize=4096)
def _parsed(line: str) -> Expression:
    words, language, positions = line.split("\t")
    return tuple(words.split(" ")), language, tuple(map(int, positions.split()))


def _forms(token: str) -> tuple[str, ...]:
    """The token and the singular it may be, for the last word of an expression ("fire
    drills", "department stores", "eager beavers", "case studies")."""
    if not token.endswith("s") or len(token) < 4:
        return (token,)
    if token.endswith("ies"):
        return (token, token[:-3] + "y", token[:-1])
    if token.endswith("es"):
        return (token, token[:-1], token[:-2])
    return (token, token[:-1])


class OpaqueWords:
    """Which words of one question stand inside a fixed expression that means something else
    ("beaver" in "eager beaver"), worked out for a word when it is first asked about: only the
    words that are evidence for some rule ever are. Only expressions of the question's
    language count, when it tells (`guess_language`): "de tip over de fraude" holds no English
    "tip over"."""

    __slots__ = ("_tokens", "candidates", "_known", "_language")

    def __init__(self, tokens: list[Token], candidates: dict[int, int]) -> None:
        self._tokens = tokens
        # where a word starts that is opaque in some expression → its index among the tokens
        self.candidates = candidates
        self._known: dict[int, bool] = {}
        self._language: str | None = ""  # "": not guessed yet

    def covers(self, start: int, end: int) -> bool:
        """Whether the word at `start`–`end` (a whole token) is opaque where it stands."""
        index = self.candidates.get(start)
        if index is None or self._tokens[index].oend != end:
            return False  # no such word, a phrase, or words joined by hyphens
        known = self._known.get(index)
        if known is None:
            known = self._known[index] = self._opaque(index)
        return known

    def _opaque(self, index: int) -> bool:
        table = _expressions()[0]
        tokens = self._tokens
        if self._language == "":
            self._language = guess_language(tokens)
        for form in _forms(tokens[index].text):
            for line in table.get(form, ()):
                words, language, positions = _parsed(line)
                if self._language is not None and language != self._language:
                    continue
                for position in positions:
                    first = index - position
                    if words[position] == form and _stands_at(tokens, first, words):
                        return True
        return False


def _stands_at(tokens: list[Token], first: int, words: tuple[str, ...]) -> bool:
    """Whether the expression's `words` are the question's tokens from `first` on, with no
    punctuation between them, and only the last word inflected."""
    if first < 0 or first + len(words) > len(tokens):
        return False
    last = len(words) - 1
    for j, word in enumerate(words):
        token = tokens[first + j]
        if j and token.gap:
            return False  # "in case. Of …": punctuation ends an expression
        if word != token.text and (j != last or word not in _forms(token.text)):
            return False
    return True


def opaque_words(tokens: list[Token]) -> OpaqueWords | None:
    """The question's opaque words, or None when no two neighbouring words of it are two of
    an expression's (most questions: nothing to look up later)."""
    pairs = _expressions()[1]
    texts = [t.text for t in tokens]
    if pairs.isdisjoint(zip(texts, texts[1:], strict=False)):
        return None  # most questions: one pass in C
    candidates: dict[int, int] = {}
    for i, pair in enumerate(zip(texts, texts[1:], strict=False)):
        if pair in pairs and not tokens[i + 1].gap:
            candidates[tokens[i].ostart] = i
            candidates[tokens[i + 1].ostart] = i + 1
    return OpaqueWords(tokens, candidates) if candidates else None
