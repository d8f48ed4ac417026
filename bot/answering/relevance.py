"""A rule heard in its own words: how much of a question the words of a rule's own text,
keywords, examples and context account for (policy-format.md, "Evidence, weighed").

An author writes a rule's keywords for the posts they foresee; employees describe the posts
they actually have, often in other words and in the other language. The rule's text is the
fullest description of what it is about, so every rule is also indexed by its words, and a
question is scored against each rule as a search engine scores a document:

- A word counts for what it says about the subject: rarer words more (Zipf from
  `frequency`), and the words of every "may I post this?" question ("post", "delen",
  "Instagram", `FRAMING`) and function words not at all.
- A word counts for how well it tells this rule from the policy's others (inverse document
  frequency over the policy's rules): a word every rule uses ("informatie", "collega's")
  decides nothing.
- Words meet in every form the engine knows, each at its own confidence: as written or
  inflected, through the full Snowball stems (derivations: `verkoop`/`verkopen`), as
  cognates across the languages (`locatie`/`location`, `crosslang`), through the bilingual
  lexicon's translations (`kamp`/`camp`, `eenheid`/`unit`), through the open thesaurus's
  synsets (`lijk`/`corpse`, `thesaurus`), and as a part of a Dutch compound (`vakantiefoto`
  holds `foto`).

The result, per rule, is a score in "rare word" points and the question words that made it;
`weighing` turns it into evidence.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from bot.answering.crosslang import cognate_keys
from bot.answering.frequency import zipf, zipf_nl
from bot.answering.lexicon import translation_groups
from bot.answering.pattern_gates import TextFacts, gate_of
from bot.answering.stemming import keyword_word_keys, word_keys
from bot.answering.text import STOPWORDS, Token, fold
from bot.answering.thesaurus import synsets

# Words of every "may I post this?" question: they say nothing about what a post is about.
FRAMING = frozenset(
    str.split(
        """mag magik posten post posts posting plaatsen plaats zetten delen deel share sharing
        tweet tweeten retweet retweeten repost liken like reageren reactie reply respond comment
        facebook instagram linkedin twitter tiktok youtube whatsapp snapchat reddit threads
        social media online internet account bericht berichten message messages foto fotos
        photo photos picture video filmpje kan kun can may allowed okay ok oke goed prima
        vandaag today morgen tomorrow mijn eigen own groepsapp appgroep group chat page pagina
        iemand someone mensen people iedereen everyone insta story stories tag"""
    )
)

# How sure a meeting of two words is, by how they met. Both words' sureness counts (a rule's
# word and a question's word each met on the term): two translations meet at 0.8 × 0.8.
AS_WRITTEN, INFLECTED, DERIVED, COGNATE, TRANSLATED, COMPOUND_PART = 1.0, 0.95, 0.7, 0.8, 0.8, 0.6
# Through the open thesaurus, which knows every sense of a word and not which one a post
# means: less than a translation (benchmarks/devset/README.md, "Open lexical knowledge").
SYNONYM = 0.75
# Zipf at which a word says nothing about the subject ("goed", "mensen", "nieuwe", "people").
# A post described by its situation rather than named is told in everyday words ("police",
# "fire", "report", "car": Zipf 5.0 to 5.6), which earned next to nothing below 5.6
# (benchmarks/devset/README.md, round 20); "werk" and "team" (5.7, 5.8) still earn almost none.
COMMON = 5.9
RARE = 4.2  # Zipf below which a word counts fully
MIN_PART = 4  # the shortest head of a Dutch compound worth hearing (`foto`, `kist`)

_stemmer_lock = threading.Lock()  # Snowball stemmer objects keep state between calls
_SNOWBALL_NL = snowballstemmer.stemmer("dutch")
_SNOWBALL_EN = snowballstemmer.stemmer("english")


@lru_cache(maxsize=100_000)
def rarity(word: str) -> float:
    """0.0 for a word that says nothing about a post's subject, 1.0 for a rare one."""
    if len(word) < 3 or not word.isalpha() or word in STOPWORDS or word in FRAMING:
        return 0.0
    return max(0.0, min(1.0, (COMMON - zipf(word)) / (COMMON - RARE)))


@lru_cache(maxsize=50_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """A Dutch compound's two parts when both are Dutch words (`vakantiefoto` → `vakantie`,
    `foto`; `gereedschapskist` → `gereedschap`, `kist`), else ()."""
    if len(word) < 2 * MIN_PART or not word.isalpha() or zipf_nl(word) >= COMMON:
        return ()
    best: tuple[float, tuple[str, ...]] = (0.0, ())
    for cut in range(3, len(word) - MIN_PART + 1):
        head = word[cut:]
        if zipf_nl(head) <= 0:
            continue
        left = word[:cut]
        for link in ("", "s", "e", "en"):
            if link and not left.endswith(link):
                continue
            modifier = left[: len(left) - len(link)]
            if len(modifier) >= 3 and zipf_nl(modifier) > 0:
                # The split whose parts are the most ordinary words is the likeliest one.
                score = min(zipf_nl(modifier), zipf_nl(head))
                if score > best[0]:
                    best = (score, (modifier, head))
                break
    return best[1]


@lru_cache(maxsize=100_000)
def word_terms(word: str) -> tuple[tuple[str, float], ...]:
    """Every term a folded word can meet a rule's word on, with how sure such a meeting is."""
    terms: dict[str, float] = {}

    def add(term: str, sureness: float) -> None:
        if sureness > terms.get(term, 0.0):
            terms[term] = sureness

    for key in word_keys(word):
        add(key, AS_WRITTEN if key.startswith("w:") else INFLECTED)
    if not word.isalpha():
        return tuple(terms.items())
    with _stemmer_lock:
        stems = (_SNOWBALL_NL.stemWord(word), _SNOWBALL_EN.stemWord(word))
    for stem in stems:
        if len(stem) >= 4:
            add("s:" + stem, DERIVED)
    for key in cognate_keys(word):
        add(key, COGNATE)
    for group in translation_groups(word):
        add(f"t:{group}", TRANSLATED)
    for synset in synsets(word):
        add(f"y:{synset}", SYNONYM)
    for part in compound_parts(word):
        if len(part) >= MIN_PART:
            for key in word_keys(part):
                add(key, COMPOUND_PART)
            for group in translation_groups(part):
                add(f"t:{group}", COMPOUND_PART)
    return tuple(terms.items())


# E-mail and web addresses: their parts are names, not words about the subject
# (`info@gemeentevoorbeeld.nl` in a rule's text says nothing about a question that mails there).
_WORDS = re.compile(r"[^\W_]+")  # a rule's words; positions are not needed there
_ADDRESSES = re.compile(r"\S+@\S+|\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)
_ADDRESSES_GATE = gate_of(_ADDRESSES)  # "@", "http" or "www.": most questions have none


def _address_spans(text: str) -> list[tuple[int, int]]:
    if not _ADDRESSES_GATE.may_match(TextFacts(text)):
        return []
    return [m.span() for m in _ADDRESSES.finditer(text)]


def heard_tokens(tokens: Sequence[Token], original: str) -> list[Token]:
    """The first occurrence of each word of a question outside e-mail and web addresses."""
    seen: set[str] = set()
    addresses = _address_spans(original)
    heard = []
    for token in tokens:
        if token.text in seen:
            continue
        if addresses and any(s <= token.ostart < e for s, e in addresses):
            continue  # most questions have no address: no generator per word for them
        seen.add(token.text)
        heard.append(token)
    return heard


@lru_cache(maxsize=50_000)
def keyword_terms(word: str) -> tuple[tuple[str, float], ...]:
    """The terms a word of a keyword is met on: the forms the keyword matcher accepts, and the
    words that mean the same, in the other language (the lexicon's translations) or in other
    words of either (the thesaurus's synsets). A keyword is the author's most pointed word for
    what the rule is about, and a post names that thing as often in its synonym ("rival" for
    `competitor`, "gebruikersnaam" for `username`) as a text's word is named in its own.
    Never through derivations or cognates: a keyword means itself (`earnings` is not `earn`),
    and a synonym says the same thing without being another word's stem."""
    terms = {
        key: AS_WRITTEN if key.startswith("w:") else INFLECTED for key in keyword_word_keys(word)
    }
    for term, sureness in word_terms(word):
        if term.startswith(_SAME_MEANING) and term not in terms:
            terms[term] = sureness
    return tuple(terms.items())


_SAME_MEANING = ("t:", "y:")  # `word_terms`' translation groups and thesaurus synsets


@dataclass(slots=True)  # not frozen: made by the hundred per question, 4× faster
class HeardWord:
    start: int  # span of the question word in the original text
    end: int
    word: str  # folded
    points: float


@dataclass(slots=True)  # not frozen: made for every rule a question reaches, 4× faster
class Heard:
    """How much of a question one rule's own words account for."""

    words: tuple[HeardWord, ...]
    points: float = 0.0  # of all its words

    @classmethod
    def of(cls, words: tuple[HeardWord, ...]) -> Heard:
        # Added one by one, in order, as `WordTextIndex.hear` adds them as it goes (`sum` adds
        # floats compensated from Python 3.12 on: the two would then differ in the last bit).
        points = 0.0
        for w in words:
            points += w.points
        return cls(words, points)

    def points_outside(self, spans: Sequence[tuple[int, int]], skip: Container[str] = ()) -> float:
        """Points of the words outside `spans` (evidence counted already) and not in `skip`."""
        # Plain loops: asked for every rule a question reaches, and most rules have a word or
        # two heard; nested generators cost more than the sum itself. Added in the same order.
        total = 0.0
        for w in self.words:
            if w.word in skip:
                continue
            start, end = w.start, w.end
            for s, e in spans:
                if s <= start and end <= e:
                    break
            else:
                total += w.points
        return total


NOTHING = Heard(())


@dataclass(frozen=True, slots=True)
class _Posting:
    owner: int
    weight: float  # inverse document frequency × how the owner's word met this term × source
    rarity: float  # of the owner's word


class TextIndex:
    """The words of a list of texts (one per rule, or per role), indexed by every term they
    can be met on, weighted by how well each tells its owner from the others."""

    def __init__(self, texts: Sequence[Sequence[tuple[str, float]]]) -> None:
        """`texts[i]`: (text, weight) pairs of owner i; weight 1.0 for its own words, less for
        weaker sources (examples), and a weight above 1.0 makes every word of that text count
        as rare (the author's `context`)."""
        owners: list[dict[str, tuple[float, float]]] = []
        for pieces in texts:
            terms: dict[str, tuple[float, float]] = {}
            for text, source in pieces:
                for word in _WORDS.findall(fold(_ADDRESSES.sub(" ", text))):
                    rare = 1.0 if source > 1.0 else rarity(word)
                    if rare <= 0.0:
                        continue
                    met = keyword_terms(word) if source == KEYWORD_SOURCE else word_terms(word)
                    for term, sureness in met:
                        weight = sureness * min(source, 1.0)
                        old_weight, old_rare = terms.get(term, (0.0, 0.0))
                        if weight * rare > old_weight * old_rare:
                            terms[term] = (weight, rare)
            owners.append(terms)
        frequency: dict[str, int] = defaultdict(int)
        for terms in owners:
            for term in terms:
                frequency[term] += 1
        count = len(owners)
        scale = math.log(1 + count) if count > 1 else 1.0
        self._postings: dict[str, list[_Posting]] = defaultdict(list)
        for owner, terms in enumerate(owners):
            for term, (weight, rare) in terms.items():
                idf = math.log(1 + count / frequency[term]) / scale if count > 1 else 1.0
                self._postings[term].append(_Posting(owner, weight * idf, rare))
        self._postings = dict(self._postings)

    def hear(self, tokens: Sequence[Token], original: str) -> dict[int, Heard]:
        """Per owner, the question words its text accounts for (owners with none left out)."""
        best: dict[tuple[int, str], HeardWord] = {}
        for token in heard_tokens(tokens, original):
            word = token.text
            rare = rarity(word)
            if rare <= 0.0:
                continue
            for term, sureness in word_terms(word):
                for posting in self._postings.get(term, ()):
                    points = posting.weight * sureness * min(rare, posting.rarity)
                    key = (posting.owner, word)
                    found = best.get(key)
                    if found is None or points > found.points:
                        best[key] = HeardWord(token.ostart, token.oend, word, points)
        heard: dict[int, list[HeardWord]] = defaultdict(list)
        for (owner, _), found in best.items():
            heard[owner].append(found)
        return {owner: Heard.of(tuple(words)) for owner, words in heard.items()}


def rule_texts(
    text: str, keywords: Iterable[str], examples: Iterable[str], context: Iterable[str]
) -> list[tuple[str, float]]:
    """What a rule says about its subject, with how much each part counts. Its keywords are
    heard only as the keyword matcher would hear them (`KEYWORD_SOURCE`)."""
    return [
        (text, 1.0),
        *((k, KEYWORD_SOURCE) for k in keywords),
        *((e, EXAMPLE_SOURCE) for e in examples),
        *((c, CONTEXT_SOURCE) for c in context),
    ]


EXAMPLE_SOURCE = 0.8  # an example post says what the rule is about, but also much else
# A keyword's words one by one: each says less than the keyword, and they are met only in the
# forms a keyword accepts (`earnings` is not `earn`) and through the words that mean the same
# (`keyword_terms`), never through derivations.
KEYWORD_SOURCE = 0.5
CONTEXT_SOURCE = 1.5  # the author's corroborating words: every one counts as rare
