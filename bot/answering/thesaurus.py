"""The open Dutch–English thesaurus (`policy_content/lexicon/thesaurus/`): WordNet 3.0 synsets
with their English lemmas and the Dutch lemmas Open Dutch WordNet links to them, built by
`scripts/build_thesaurus.py`.

Where the hand-written lexicon (`translations.yml`) knows a word one entry at a time, this
knows general vocabulary: `ontslag` and `dismissal`, `ziekte` and `illness`, `leak` and
`lekken`, and what a word is a kind of (`kanker` is a `ziekte`). It lets a rule's own text be
heard in other words (`relevance.py`), for less than a translation: a word has several
senses and the table does not know which one a post means.

The table is read the first time a word is looked up, once per process, so neither start-up
nor a policy without rule texts pays for it.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

from bot.answering.stemming import word_keys

_NONE: tuple[int, ...] = ()


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, tuple[int, ...]], tuple[tuple[int, ...], ...]]:
    """Folded lemma → the synsets it is in (line numbers), and per synset its hypernyms."""
    path = resources.files("policy_content") / "lexicon" / "thesaurus" / "synsets-nl-en.tsv.gz"
    found: dict[str, list[int]] = {}
    above: list[tuple[int, ...]] = []
    with gzip.open(path.open("rb"), "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            words, _, uppers = line.rstrip("\n").partition("\t")
            for word in words.split():
                found.setdefault(word, []).append(number)
            above.append(tuple(int(n) for n in uppers.split(",")) if uppers else _NONE)
    return {word: tuple(numbers) for word, numbers in found.items()}, tuple(above)


@lru_cache(maxsize=100_000)
def synsets(word: str) -> frozenset[int]:
    """The synsets a folded word is in, as written or through its stems (`klanten` is in
    `klant`'s, `layoffs` in `layoff`'s)."""
    table = _table()[0]
    found: set[int] = set()
    for key in word_keys(word):
        found.update(table.get(key[2:], _NONE))
    return frozenset(found)


@lru_cache(maxsize=100_000)
def hypernyms(word: str) -> frozenset[int]:
    """The synsets one or two levels above the word's own (`kanker` → `ziekte`), not its own."""
    above = _table()[1]
    own = synsets(word)
    return frozenset(up for synset in own for up in above[synset]) - own
