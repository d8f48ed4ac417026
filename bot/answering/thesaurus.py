"""The open Dutch–English thesaurus (`policy_content/lexicon/thesaurus/`): WordNet 3.0 synsets
with their English lemmas and the Dutch lemmas Open Dutch WordNet links to them, built by
`scripts/build_thesaurus.py`.

Where the hand-written lexicon (`translations.yml`) knows a word one entry at a time, this
knows general vocabulary: `ontslag` and `dismissal`, `ziekte` and `illness`, `leak` and
`lekken`. It lets a rule's own text be heard in other words (`relevance.py`), for less than
a translation: a word has several senses and the table does not know which one a post means.

The table is read the first time a word is looked up, once per process, so start-up does
not pay for it.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

from bot.answering.stemming import word_keys


@lru_cache(maxsize=1)
def _synsets_of() -> dict[str, str]:
    """Folded lemma → the numbers of the synsets it is in, as written in the table (split
    when the word is first looked up: most of the 18,000 words never are)."""
    path = resources.files("policy_content") / "lexicon" / "thesaurus" / "words-nl-en.tsv.gz"
    with gzip.open(path.open("rb")) as table:
        lines = table.read().decode("utf-8").splitlines()
    return {word: numbers for word, _, numbers in (line.partition("\t") for line in lines)}


@lru_cache(maxsize=100_000)
def synsets(word: str) -> frozenset[int]:
    """The synsets a folded word is in, as written or as the stem the engine inflects it to
    (`klanten` is in `klant`'s, `layoffs` in `layoff`'s)."""
    table = _synsets_of()
    found: set[int] = set()
    for key in word_keys(word):
        numbers = table.get(key[2:])  # a key is a prefix (`w:`, `n:` …) and a form
        if numbers:
            found.update(int(n) for n in numbers.split())
    return frozenset(found)
