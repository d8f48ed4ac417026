"""Text as the engine reads it: folded (case and accents), cut into word tokens, with offsets
back into what the asker typed so evidence can quote it exactly.

Folding is per character (NFKD without combining marks, then casefold), so every folded
character knows which original character it came from: `Cliënt` → `client`, `ß` → `ss`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Typographic variants people paste from Word or phones, mapped to the plain character.
_SPECIAL = {
    "\u2019": "'",
    "\u2018": "'",
    "`": "'",
    "\u00b4": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u00ad": "",  # soft hyphen: invisible, and it would split a word in two
}

_WORD = re.compile(r"[^\W_]+")
# English clitics after an apostrophe that carry no meaning for matching ("we're", "boa's").
_CLITICS = frozenset({"s", "re", "ll", "ve", "d", "m"})
_NEGATED = {"can": "can", "won": "will", "ain": "is", "shan": "shall"}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


DUTCH_STOPWORDS = _words(
    """aan al als ben bij daar dan dat de deze die dit door dus een en er geen haar heb hebben
    heeft het hier hij hoe hun ik in is je jij jou jouw kan kun kunnen maar me mag meer met mij
    mijn moet moeten na naar niet nog nu of om onder ons onze ook op over te tot u uit uw van
    veel voor waar wat we wel welke wie wij wil willen worden wordt zal ze zelf zich zij zijn
    zo zoals zou"""
)
ENGLISH_STOPWORDS = _words(
    """a about after all also an and any are as at be been but by can could did do does for
    from had has have he her him his how i if in into is it its just me may might my no not
    of on or our out should so some than that the their them then there they this to us was
    we were what when where which who whom why will with would you your"""
)
STOPWORDS = DUTCH_STOPWORDS | ENGLISH_STOPWORDS

# Words that say which language a sentence is in (the ones both languages share are left out).
_DUTCH_MARKERS = DUTCH_STOPWORDS - ENGLISH_STOPWORDS - {"me", "so", "over", "in", "is"}
_ENGLISH_MARKERS = ENGLISH_STOPWORDS - DUTCH_STOPWORDS - {"me", "so", "over", "in", "is"}


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """Lower case without accents: `Privéaccount` → `priveaccount`."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


class Folded:
    """A folded text and, per folded character, the index of the original one."""

    __slots__ = ("original", "text", "_source")

    def __init__(self, original: str) -> None:
        self.original = original
        if original.isascii():
            self.text = original.lower()
            self._source: list[int] | None = None  # positions are the same
            return
        parts: list[str] = []
        source: list[int] = []
        for index, ch in enumerate(original):
            folded = _fold_char(ch)
            parts.append(folded)
            source.extend([index] * len(folded))
        self.text = "".join(parts)
        self._source = source

    @property
    def is_folded_in_place(self) -> bool:
        """Whether every folded character is the original one's own position (ASCII)."""
        return self._source is None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span [start, end)."""
        if self._source is None:
            return start, end
        return self._source[start], self._source[end - 1] + 1


class Token:
    """One word: its folded text, its folded and original spans, and what separates it from
    the previous word (`gap`: "" for plain space or a hyphen, else the stripped separator)."""

    __slots__ = ("text", "start", "end", "gap", "hyphenated", "ostart", "oend")

    def __init__(self, text: str, start: int, end: int, gap: str, hyphenated: bool) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.gap = gap
        self.hyphenated = hyphenated  # joined to the previous word by a bare hyphen
        self.ostart = start
        self.oend = end

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.ostart}, {self.oend})"


def gap_key(separator: str) -> str:
    """How a separator between two words compares: spaces and hyphens are all the same."""
    stripped = separator.strip()
    return "" if stripped in ("", "-") else stripped


def tokenize(folded: Folded | str) -> list[Token]:
    """The word tokens of a folded text, with English clitics resolved ("hasn't" → has, not)."""
    if isinstance(folded, str):
        folded = Folded(folded)
    text = folded.text
    tokens: list[Token] = []
    prev: Token | None = None
    for match in _WORD.finditer(text):
        word = match.group()
        start, end = match.span()
        if prev is None:
            prev = Token(word, start, end, "", False)
            tokens.append(prev)
            continue
        if start - prev.end == 1 and text[prev.end] == "'":
            if word in _CLITICS:  # "boa's", "we're": the word itself is what matters
                prev.end = prev.oend = end
                continue
            if word == "t" and prev.text.endswith("n") and len(prev.text) > 1:
                _split_negation(prev, tokens, end)
                prev = tokens[-1]
                continue
        gap = text[prev.end : start]
        # One space, the most common separator, without a call (`gap_key` says "" for it).
        prev = Token(word, start, end, "" if gap == " " else gap_key(gap), gap == "-")
        tokens.append(prev)
    if folded.is_folded_in_place:  # an ASCII text: the spans are already the original's
        return tokens
    for token in tokens:
        token.ostart, token.oend = folded.span(token.start, token.end)
    return tokens


def _split_negation(prev: Token, tokens: list[Token], end: int) -> None:
    """`hasn't` → `has` + `not`, so a phrase like "not yet public" can match "isn't yet public"."""
    base = _NEGATED.get(prev.text)
    if base is None:
        base = prev.text[:-1]
        prev.end -= 1
        not_start = prev.end
    else:
        not_start = prev.end
    prev.text = base
    prev.oend = prev.end
    tokens.append(Token("not", not_start, end, "", False))


def hyphen_joined(tokens: list[Token]) -> list[Token]:
    """Words written with hyphens, also as one word: `nep-account` → `nepaccount`."""
    joined: list[Token] = []
    i = 0
    while i < len(tokens):
        j = i
        while j + 1 < len(tokens) and tokens[j + 1].hyphenated:
            j += 1
        if j > i:
            whole = Token("".join(t.text for t in tokens[i : j + 1]), tokens[i].start, 0, "", False)
            whole.end = tokens[j].end
            whole.ostart, whole.oend = tokens[i].ostart, tokens[j].oend
            joined.append(whole)
        i = j + 1
    return joined


def guess_language(tokens: list[Token]) -> str | None:
    """`nl` or `en` by the function words a text uses; None when it does not say."""
    dutch = sum(1 for t in tokens if t.text in _DUTCH_MARKERS)
    english = sum(1 for t in tokens if t.text in _ENGLISH_MARKERS)
    if dutch > english:
        return "nl"
    if english > dutch:
        return "en"
    return None
