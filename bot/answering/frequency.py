"""How common a word is in Dutch and English, on the Zipf scale (7 is "de"/"the", 3 a word met
about once in a million words), from the word list kept as data in
`policy_content/lexicon/wordlist/` (derived from wordfreq; see its README for the source and
licence). A very common word says little about what a post is about on its own."""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

UNLISTED = 0.0  # a word in neither list: rare, as far as the engine is concerned


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[float, float]]:
    path = resources.files("policy_content") / "lexicon" / "wordlist" / "zipf-nl-en.tsv.gz"
    table: dict[str, tuple[float, float]] = {}
    with gzip.open(path.open("rb"), "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            word, nl, en = line.rstrip("\n").split("\t")
            table[word] = (int(nl) / 10, int(en) / 10)
    return table


_NOWHERE = (UNLISTED, UNLISTED)


def zipf(word: str) -> float:
    """How common a folded word is, in the more common of Dutch and English."""
    return max(_table().get(word, _NOWHERE))


def zipf_nl(word: str) -> float:
    """How common a folded word is in Dutch (UNLISTED when it is not a Dutch word we know)."""
    return _table().get(word, _NOWHERE)[0]
