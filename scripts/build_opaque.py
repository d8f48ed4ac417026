"""Build the engine's table of opaque fixed expressions from open WordNet data
(`policy_content/lexicon/opaque/`; policy-format.md, "Evidence, weighed").

A fixed expression is a lemma of several words (`eager_beaver`, `department_store`,
`brand-new`, `just_in_case`); one of its words is **opaque** in it when no meaning of the
expression is a kind of a meaning of that word:
- no synset of the expression reaches a synset holding the word through hypernyms (`@`, `@i`,
  any depth), and none is directly linked to one by a derivation (`+`), a pertainym (`\\`), a
  similarity (`&`), an also-see (`^`) or an attribute (`=`);
- for an adjective or adverb (which have no hypernyms), its definition does not use the word
  either ("on camera": "within range of a movie or television camera");
- in a noun of two words, only the second (its head) can be opaque: the first modifies it,
  and the expression is about it even when it is not a kind of it (a savings account is
  about savings, a fire drill about fire, although neither is a kind of it).
An `eager_beaver` is a person, not a beaver; a `department_store` is no store room (WordNet
puts it beside shops, not under them); `brand-new` is new, not a brand; `in_case` holds no
case. Verbs are left out: a phrasal verb's words are too often the same words in another
construction ("an account for the team" is not `account_for`). The engine hears an opaque
word inside its expression as no keyword, the way the `innocent:` phrases of `senses.yml`
drop a keyword.

Sources (data only; see the README next to the table for their licences), as for
`build_thesaurus.py`:
- Princeton WordNet 3.0 from Debian's `wordnet-base` (1:3.0-37):
    apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb wn
  then pass `--wordnet wn/usr/share/wordnet` (its `data.*` files: lemmas, pointers, glosses);
- Open Dutch WordNet (github.com/cltl/OpenDutchWordnet, commit
  d8259864f1b9f67e43d454c47b925932844eb487), `resources/wn-wiktionary-nld.txt` and
  `resources/wn-omegawiki-nld.txt`: Dutch lemmas linked to WordNet 3.0 synsets. Their
  multiword lemmas are tested the same way, a Dutch word's meanings being the synsets its
  one-word lemma is linked to ("per ongeluk", by accident, holds no accident). Pass the
  directory holding the two files as `--dutch`.

Kept: expressions of two to four words, written in lower case (proper names are left out),
whose words are all letters, at least two of them each ("e-mail" and "x-ray" are spellings,
not expressions); an opaque word has at least three letters, is not a function word, is a
word the engine's word list (`policy_content/lexicon/wordlist/`) knows, and has meanings of
its own in the source. Only expressions with an opaque word are written.

Output: one expression a line (words folded, separated by one space), a tab, its language
(`en` or `nl`), a tab, and the positions (from 0) of its opaque words, sorted, gzip'ed
without a time stamp, so the same sources give the same bytes.

    python scripts/build_opaque.py --wordnet wn/usr/share/wordnet --dutch odwn/resources

The variants measured in benchmarks/devset/README.md ("Fixed expressions") are options:
`--every-word` (modifiers of two-word nouns may be opaque too), `--gloss` (every
expression's definition counts, nouns' as well), `--no-gloss` (no definition counts),
`--verbs` (phrasal verbs too); each writes the table in its place.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from build_thesaurus import ROOT, dutch_links, fold, known_words, sources_parser, write_table

OUT = ROOT / "policy_content" / "lexicon" / "opaque" / "expressions-nl-en.tsv.gz"
DATA_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
# A meaning of the expression linked this way to a meaning of the word is about the word.
HYPERNYMS = frozenset({"@", "@i"})
RELATED = frozenset({"+", "\\", "&", "^", "="})
MIN_LETTERS = 3
MAX_WORDS = 4
FUNCTION_WORDS = frozenset(
    str.split(
        """the and for with from into onto out off over under about after before than then
        that this what who how why when all any one you your our his her its their them
        een het van voor met naar door over onder aan bij uit als dan dat die wat wie hoe
        niet nog ook maar tot"""
    )
)
_SEPARATORS = re.compile(r"[-_ ]+")
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Variant:
    """Which test makes a word opaque (the default is the one the engine's table is built with)."""

    every_word: bool = False  # a two-word noun's modifier may be opaque as well as its head
    gloss_nouns: bool = False  # a noun's definition using the word makes it not opaque
    gloss_others: bool = True  # … an adjective's or adverb's
    verbs: bool = False  # phrasal verbs as well


@dataclass
class Synset:
    lemmas: list[str]  # as written: `eager_beaver`, `Boston_Tea_Party`
    links: list[tuple[str, str]] = field(default_factory=list)  # (pointer symbol, synset id)
    gloss: frozenset[str] = frozenset()  # the words of its definition (not its examples)


def read_wordnet(wordnet: Path) -> dict[str, Synset]:
    """Synset id (`offset-pos`, satellites as `a`) → its lemmas, pointers and definition."""
    synsets: dict[str, Synset] = {}
    for pos, name in DATA_FILES.items():
        for line in (wordnet / f"data.{name}").read_text(encoding="utf-8").splitlines():
            if line.startswith(" "):
                continue  # the licence at the top
            head, _, gloss = line.partition(" | ")
            fields = head.split()
            count = int(fields[3], 16)
            lemmas = [re.sub(r"\(.*\)$", "", w) for w in fields[4 : 4 + 2 * count : 2]]
            at = 4 + 2 * count
            links = []
            for i in range(int(fields[at])):
                symbol, offset, target = fields[at + 1 + 4 * i : at + 4 + 4 * i]
                links.append((symbol, f"{offset}-{'a' if target == 's' else target}"))
            definition = gloss.split('"')[0]
            words = frozenset(fold(w) for w in _LETTERS.findall(definition))
            synsets[f"{fields[0]}-{pos}"] = Synset(lemmas, links, words)
    return synsets


def read_dutch(dutch: Path, synset_ids: set[str]) -> dict[str, set[str]]:
    """Dutch lemma (as written, spaces for `_`) → the WordNet 3.0 synsets it is linked to (a
    few links name no synset of WordNet 3.0: left out)."""
    linked: dict[str, set[str]] = defaultdict(set)
    for offset, pos, lemma in dutch_links(dutch):
        if f"{offset}-{pos}" in synset_ids:
            linked[lemma.strip().replace("_", " ")].add(f"{offset}-{pos}")
    return linked


def hypernym_closure(synsets: dict[str, Synset], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for symbol, target in synsets[todo.pop()].links:
            if symbol in HYPERNYMS and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def inflected(word: str) -> set[str]:
    forms = {word, word + "s", word + "es"}
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    return forms


def opaque_positions(
    words: list[str],
    meanings: set[str],
    word_meanings: dict[str, set[str]],
    synsets: dict[str, Synset],
    known: set[str],
    variant: Variant,
) -> list[int]:
    """The positions of the words that no meaning of the expression (`meanings`) is about."""
    reached: set[str] = set()
    defined: set[str] = set()  # the words the expression's definitions use
    for meaning in meanings:
        reached |= hypernym_closure(synsets, meaning)
        reached |= {t for symbol, t in synsets[meaning].links if symbol in RELATED}
        noun = meaning.endswith("-n")
        if (variant.gloss_nouns and noun) or (variant.gloss_others and not noun):
            defined |= synsets[meaning].gloss
    modified = all(m.endswith("-n") for m in meanings) and len(words) == 2
    opaque = []
    for position, word in enumerate(words):
        if modified and position == 0 and not variant.every_word:
            continue  # a savings account is about savings
        if len(word) < MIN_LETTERS or word in FUNCTION_WORDS or word not in known:
            continue
        own = word_meanings.get(word)
        if not own or not own.isdisjoint(reached) or not own.isdisjoint(meanings):
            continue
        if not defined.isdisjoint(inflected(word)):
            continue  # "within range of a … television camera": "on camera" is about one
        opaque.append(position)
    return opaque


def split(lemma: str) -> list[str] | None:
    """The folded words of a multiword lemma, or None when it is not one to keep."""
    if lemma != lemma.lower():
        return None  # a proper name: `Boston_Tea_Party`
    words = [fold(w) for w in _SEPARATORS.split(lemma.strip("-_ ")) if w]
    if not 2 <= len(words) <= MAX_WORDS or not all(w.isalpha() and len(w) > 1 for w in words):
        return None
    return words


def single_words(lemmas: dict[str, set[str]]) -> dict[str, set[str]]:
    """Folded one-word lemma → all its meanings (`new` and `New` together)."""
    words: dict[str, set[str]] = defaultdict(set)
    for lemma, meanings in lemmas.items():
        if not _SEPARATORS.search(lemma.strip("-_ ")):
            words[fold(lemma)] |= meanings
    return words


def build(wordnet: Path, dutch: Path, variant: Variant) -> list[str]:
    dutch_known, english_known = known_words()
    known = dutch_known | english_known  # `brand` is Dutch first, yet "brand new" is English
    synsets = read_wordnet(wordnet)
    english: dict[str, set[str]] = defaultdict(set)  # lemma as written → its synsets
    for synset_id, synset in synsets.items():
        for lemma in synset.lemmas:
            english[lemma].add(synset_id)
    dutch_lemmas = read_dutch(dutch, set(synsets))
    table: dict[tuple[str, str], list[int]] = {}
    for language, lemmas in (("en", english), ("nl", dutch_lemmas)):
        word_meanings = single_words(lemmas)
        for lemma, meanings in lemmas.items():
            words = split(lemma)
            if words is None or (not variant.verbs and all(m.endswith("-v") for m in meanings)):
                continue
            opaque = opaque_positions(words, meanings, word_meanings, synsets, known, variant)
            if opaque:
                key = (" ".join(words), language)
                table[key] = sorted(set(table.get(key, [])) | set(opaque))
    return [
        f"{words}\t{language}\t{' '.join(map(str, opaque))}"
        for (words, language), opaque in sorted(table.items())
    ]


def main() -> None:
    parser = sources_parser(__doc__)
    parser.add_argument("--every-word", action="store_true", help="modifiers may be opaque")
    parser.add_argument("--gloss", action="store_true", help="nouns' definitions count too")
    parser.add_argument("--no-gloss", action="store_true", help="no definition counts")
    parser.add_argument("--verbs", action="store_true", help="phrasal verbs as well")
    args = parser.parse_args()
    variant = Variant(args.every_word, args.gloss, not args.no_gloss, args.verbs)
    write_table(OUT, build(args.wordnet, args.dutch, variant), "expressions")


if __name__ == "__main__":
    main()
