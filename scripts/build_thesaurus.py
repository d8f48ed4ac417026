"""Build the engine's compact Dutch–English thesaurus from open WordNet data
(`policy_content/lexicon/thesaurus/`; policy-format.md, "The rule's own words").

Sources (data only, never their code; see the README written next to the table):
- Princeton WordNet 3.0 (English), from Debian's `wordnet-base` package:
    apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb wn
  then pass `--wordnet wn/usr/share/wordnet`. Licence: the WordNet 3.0 licence.
- Dutch lemmas linked to WordNet 3.0 synsets, from Open Dutch WordNet's repository
  (github.com/cltl/OpenDutchWordnet, `resources/wn-wiktionary-nld.txt` and
  `resources/wn-omegawiki-nld.txt`, as in the Open Multilingual Wordnet). Licence:
  CC BY-SA 4.0. Pass the directory holding the two files as `--dutch`.

A synset of the table is a WordNet 3.0 synset (noun, verb or adjective) with its English
lemmas and the Dutch lemmas linked to it, kept only:
- single words, folded (lower case, accents removed), that the engine's word list
  (`policy_content/lexicon/wordlist/`) knows in their own language;
- an English lemma only for its most frequent senses (`--senses`, WordNet's sense order),
  since a word's rare senses join it to words it almost never means;
- when at least two words are left.

Output: one synset per line, its words separated by spaces, gzip'ed without a time stamp, so
the same sources give the same bytes.

    python scripts/build_thesaurus.py --wordnet wn/usr/share/wordnet --dutch odwn/resources
"""

from __future__ import annotations

import argparse
import gzip
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDLIST = ROOT / "policy_content" / "lexicon" / "wordlist" / "zipf-nl-en.tsv.gz"
OUT = ROOT / "policy_content" / "lexicon" / "thesaurus" / "synsets-nl-en.tsv.gz"
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


def english_synsets(wordnet: Path, known: set[str], senses: int) -> dict[str, set[str]]:
    """Synset id (`offset-pos`) → its English lemmas, each only in its first `senses` senses."""
    synsets: dict[str, set[str]] = defaultdict(set)
    for pos, name in POS_FILES.items():
        for line in (wordnet / f"index.{name}").read_text(encoding="utf-8").splitlines():
            if line.startswith(" "):
                continue  # the licence at the top
            fields = line.split()
            lemma, synset_count = fields[0], int(fields[2])
            word = usable(lemma, known)
            if word is None:
                continue
            for offset in fields[-synset_count:][:senses]:
                synsets[f"{offset}-{pos}"].add(word)
    return synsets


def dutch_synsets(dutch: Path, known: set[str]) -> dict[str, set[str]]:
    synsets: dict[str, set[str]] = defaultdict(set)
    for name in DUTCH_FILES + tuple(__import__("os").environ.get("LK_EXTRA", "").split()):
        for line in (dutch / name).read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or "\t" not in line:
                continue
            synset, lemma = line.split("\t")[:2]
            offset, _, pos = synset.partition("-")
            pos = "a" if pos == "s" else pos
            word = usable(lemma, known)
            if pos in POS_FILES and word is not None:
                synsets[f"{offset}-{pos}"].add(word)
    return synsets


def hypernyms(wordnet: Path, max_hyponyms: int) -> dict[str, list[str]]:
    """Synset id → the ids of its hypernyms (WordNet's `@` and `@i` pointers), leaving out
    general ones with more than `max_hyponyms` kinds below them ("activity", "object",
    "condition"): a rule that says "activity" is not about every hobby."""
    found: dict[str, list[str]] = {}
    below: dict[str, int] = defaultdict(int)
    for pos, name in POS_FILES.items():
        for line in (wordnet / f"data.{name}").read_text(encoding="utf-8").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split(" | ")[0].split()
            words = int(fields[3], 16)
            at = 4 + 2 * words
            pointers = int(fields[at])
            ups = []
            for i in range(pointers):
                symbol, offset, pointer_pos = fields[at + 1 + 4 * i : at + 4 + 4 * i]
                if symbol in ("@", "@i") and pointer_pos == pos:
                    ups.append(f"{offset}-{pos}")
                    below[f"{offset}-{pos}"] += 1
            found[f"{fields[0]}-{pos}"] = ups
    return {
        synset: [up for up in ups if below[up] <= max_hyponyms] for synset, ups in found.items()
    }


def build(wordnet: Path, dutch: Path, senses: int, max_hyponyms: int, levels: int) -> list[str]:
    """One line per synset: its words, a tab, and the line numbers of its hypernyms. A synset
    of one word is kept only as another's hypernym ("ziekte" above "kanker")."""
    known_nl, known_en = known_words()
    english = english_synsets(wordnet, known_en, senses)
    nederlands = dutch_synsets(dutch, known_nl)
    ups = hypernyms(wordnet, max_hyponyms)
    words = {
        synset: english.get(synset, set()) | nederlands.get(synset, set())
        for synset in english.keys() | nederlands.keys()
    }
    kept = {synset for synset, members in words.items() if len(members) >= 2}

    def above(synset: str) -> set[str]:
        """Its hypernyms that have words, two levels up at most (`kanker` → `gezwel` →
        `ziekte`)."""
        found: set[str] = set()
        level = [synset]
        for _ in range(levels):
            level = [up for s in level for up in ups.get(s, ())]
            found.update(up for up in level if up in words)
        return found

    targets = {up for synset in kept for up in above(synset)}
    order = sorted(kept | targets, key=lambda synset: (" ".join(sorted(words[synset])), synset))
    number = {synset: i for i, synset in enumerate(order)}
    lines = []
    for synset in order:
        uppers = sorted(number[up] for up in above(synset)) if synset in kept else []
        above_text = ",".join(map(str, uppers))
        lines.append(" ".join(sorted(words[synset])) + "\t" + above_text)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wordnet", type=Path, required=True, help="WordNet 3.0 dict directory")
    parser.add_argument("--dutch", type=Path, required=True, help="ODWN's resources directory")
    parser.add_argument("--senses", type=int, default=3, help="English senses kept per lemma")
    parser.add_argument("--levels", type=int, default=2, help="hypernym levels kept")
    parser.add_argument(
        "--max-hyponyms", type=int, default=40, help="a hypernym with more kinds is too general"
    )
    args = parser.parse_args()
    lines = build(args.wordnet, args.dutch, args.senses, args.max_hyponyms, args.levels)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT, "wb", compresslevel=9, mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode())
    print(f"{len(lines)} synsets, {OUT.stat().st_size} bytes: {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
