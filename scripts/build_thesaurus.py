"""Build the engine's compact Dutch–English thesaurus from open WordNet data
(`policy_content/lexicon/thesaurus/`; policy-format.md, "The rule's own words").

Sources (data only, never their code; see the README next to the table for their licences):
- Princeton WordNet 3.0 (English), from Debian's `wordnet-base` package (1:3.0-37):
    apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb wn
  then pass `--wordnet wn/usr/share/wordnet`.
- Dutch lemmas linked to WordNet 3.0 synsets, from Open Dutch WordNet's repository
  (github.com/cltl/OpenDutchWordnet, commit d8259864f1b9f67e43d454c47b925932844eb487):
  `resources/wn-wiktionary-nld.txt` and `resources/wn-omegawiki-nld.txt`. Pass the directory
  holding the two files as `--dutch`.

A synset of the table is a WordNet 3.0 synset (noun, verb or adjective) with its English
lemmas and the Dutch lemmas linked to it, keeping only single words, folded (lower case,
accents removed), that the engine's word list (`policy_content/lexicon/wordlist/`) knows in
their own language, and only synsets with at least two such words.

Output: one word per line, a tab, and the numbers of the synsets it is in (the synsets
numbered in the order of their sorted words), gzip'ed without a time stamp, so the same
sources give the same bytes. Word first, so that the engine reads it with one split a line.

    python scripts/build_thesaurus.py --wordnet wn/usr/share/wordnet --dutch odwn/resources
"""

from __future__ import annotations

import argparse
import gzip
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDLIST = ROOT / "policy_content" / "lexicon" / "wordlist" / "zipf-nl-en.tsv.gz"
OUT = ROOT / "policy_content" / "lexicon" / "thesaurus" / "words-nl-en.tsv.gz"
POS_FILES = {"n": "noun", "v": "verb", "a": "adj"}
DUTCH_FILES = ("wn-wiktionary-nld.txt", "wn-omegawiki-nld.txt")
MIN_LETTERS = 3


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def known_words() -> tuple[set[str], set[str]]:
    """The folded words the engine's word list knows in Dutch, and in English. A word is
    taken as a word of the one language only when it is at least as common there as in the
    other: the engine cannot tell which language a question's word is in, so Dutch `teen`
    (toe), `brand` (fire) or `kind` (child) would otherwise join English words they do not
    mean."""
    dutch: set[str] = set()
    english: set[str] = set()
    with gzip.open(WORDLIST, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            word, nl, en = line.rstrip("\n").split("\t")
            if int(nl) and int(nl) >= int(en):
                dutch.add(word)
            if int(en) and int(en) >= int(nl):
                english.add(word)
    return dutch, english


def usable(word: str, known: set[str]) -> str | None:
    folded = fold(word.replace("_", " "))
    if len(folded) < MIN_LETTERS or not folded.isalpha() or folded not in known:
        return None
    return folded


def english_synsets(wordnet: Path, known: set[str]) -> dict[str, set[str]]:
    """Synset id (`offset-pos`) → its English lemmas."""
    synsets: dict[str, set[str]] = defaultdict(set)
    for pos, name in POS_FILES.items():
        for line in (wordnet / f"index.{name}").read_text(encoding="utf-8").splitlines():
            if line.startswith(" "):
                continue  # the licence at the top
            fields = line.split()
            lemma, synset_count = fields[0], int(fields[2])
            word = usable(lemma, known)
            if word is not None:
                for offset in fields[-synset_count:]:
                    synsets[f"{offset}-{pos}"].add(word)
    return synsets


def dutch_links(dutch: Path) -> Iterator[tuple[str, str, str]]:
    """Each link of ODWN's files: WordNet offset, part of speech, Dutch lemma as written."""
    for name in DUTCH_FILES:
        for line in (dutch / name).read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or "\t" not in line:
                continue
            synset, lemma = line.split("\t")[:2]
            offset, _, pos = synset.partition("-")
            yield offset, "a" if pos == "s" else pos, lemma  # a satellite is in data.adj too


def dutch_synsets(dutch: Path, known: set[str]) -> dict[str, set[str]]:
    """Synset id (`offset-pos`) → the Dutch lemmas linked to it."""
    synsets: dict[str, set[str]] = defaultdict(set)
    for offset, pos, lemma in dutch_links(dutch):
        word = usable(lemma, known)
        if pos in POS_FILES and word is not None:
            synsets[f"{offset}-{pos}"].add(word)
    return synsets


def build(wordnet: Path, dutch: Path) -> list[str]:
    known_nl, known_en = known_words()
    english = english_synsets(wordnet, known_en)
    nederlands = dutch_synsets(dutch, known_nl)
    groups: set[tuple[str, ...]] = set()
    for synset in english.keys() | nederlands.keys():
        words = english.get(synset, set()) | nederlands.get(synset, set())
        if len(words) >= 2:
            groups.add(tuple(sorted(words)))
    numbers: dict[str, list[int]] = defaultdict(list)
    for number, group in enumerate(sorted(groups)):
        for word in group:
            numbers[word].append(number)
    return [f"{word}\t{' '.join(map(str, found))}" for word, found in sorted(numbers.items())]


def sources_parser(doc: str) -> argparse.ArgumentParser:
    """The command line of a table built from WordNet and Open Dutch WordNet."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--wordnet", type=Path, required=True, help="WordNet 3.0 dict directory")
    parser.add_argument("--dutch", type=Path, required=True, help="ODWN's resources directory")
    return parser


def write_table(path: Path, lines: list[str], what: str) -> None:
    """Gzip'ed without a time stamp: the same sources give the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode())
    print(f"{len(lines)} {what}, {path.stat().st_size} bytes: {path.relative_to(ROOT)}")


def main() -> None:
    args = sources_parser(__doc__).parse_args()
    write_table(OUT, build(args.wordnet, args.dutch), "words")


if __name__ == "__main__":
    main()
