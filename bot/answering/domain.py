"""Domain knowledge the engine weighs evidence with, loaded once per process:

- the concepts of `policy_content/lexicon/concepts.yml` (what a rule is about, beyond its
  keywords, and which detectors it implies);
- the word senses of `policy_content/lexicon/senses.yml` (keywords that often mean something
  innocent, and the words around them that say which sense is meant);
- how common a word is in Dutch and English (`frequency`, the Zipf scale: 7 is "de"/"the", 3
  a word met once in a million): a very common word says little about the subject on its own;
- who a question is about: a third person (a name, "mijn collega", "she"), or the asker.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from bot import yaml_safe
from bot.answering.frequency import zipf
from bot.answering.keywords import Phrase, compile_phrases
from bot.answering.stemming import word_keys
from bot.answering.text import Token

REQUIRES_PERSON = "person"


@dataclass(frozen=True, slots=True)
class Concept:
    name: str
    terms: tuple[Phrase, ...]  # evidence in a question
    suggestive: frozenset[int]  # indexes of terms marked `~`: weak evidence at most
    links: tuple[Phrase, ...]  # what in a rule links it (terms included)
    requires: str | None
    detectors: frozenset[str]
    includes: tuple[str, ...] = ()  # concepts a rule linked to this one is linked to as well
    weak: bool = False  # its terms never decide on their own, even about a person
    # Regular expressions heard as terms of several words: what a word list cannot hold
    # ("$2 million", "deposits up 30%").
    patterns: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True, slots=True)
class Sense:
    innocent: tuple[Phrase, ...]
    means: tuple[Phrase, ...]
    # The policy's sense is the usual one: only the innocent cues drop the word; without them
    # it is as sure as any keyword ("missie", but "wat een missie was dat").
    usual: bool = False


def _phrases(texts: list[str] | None) -> tuple[Phrase, ...]:
    return tuple(p for text in texts or () for p in compile_phrases(str(text).lstrip("~")))


def _terms(texts: list[str] | None) -> tuple[tuple[Phrase, ...], frozenset[int]]:
    """A concept's terms, and which of them only suggest it (`~`)."""
    phrases: list[Phrase] = []
    suggestive: set[int] = set()
    for text in texts or ():
        for phrase in compile_phrases(str(text).lstrip("~")):
            if str(text).startswith("~"):
                suggestive.add(len(phrases))
            phrases.append(phrase)
    return tuple(phrases), frozenset(suggestive)


def _load(name: str) -> dict:
    path = resources.files("policy_content") / "lexicon" / name
    return yaml_safe.load(path.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def concepts() -> tuple[Concept, ...]:
    out = []
    for name, data in (_load("concepts.yml").get("concepts") or {}).items():
        terms, suggestive = _terms(data.get("terms"))
        out.append(
            Concept(
                name=name,
                terms=terms,
                suggestive=suggestive,
                # A concept with its own `link` list is linked only through it; else its terms.
                links=_phrases(data.get("link")) if data.get("link") else terms,
                requires=data.get("requires"),
                detectors=frozenset(data.get("detectors") or ()),
                includes=tuple(data.get("includes") or ()),
                weak=bool(data.get("weak")),
                patterns=tuple(
                    re.compile(str(p), re.IGNORECASE) for p in data.get("patterns") or ()
                ),
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def senses() -> dict[str, Sense]:
    """Ambiguous word (folded, as a policy writes it) → its senses."""
    out: dict[str, Sense] = {}
    for word, data in (_load("senses.yml").get("senses") or {}).items():
        sense = Sense(
            _phrases(data.get("innocent")), _phrases(data.get("means")), bool(data.get("usual"))
        )
        for key in word_keys(_fold_word(str(word))):
            out[key] = sense
    return out


def _fold_word(word: str) -> str:
    from bot.answering.text import fold

    return fold(word)


def sense_of(word: str) -> Sense | None:
    """The senses of a one-word keyword or matched word, when it is a known ambiguous one."""
    table = senses()
    for key in word_keys(word):
        if key in table:
            return table[key]
    return None


COMMON_ZIPF = 5.0  # about once in every 100,000 words: "foto", "team", "post", "delen"


def is_common(word: str) -> bool:
    return zipf(word) >= COMMON_ZIPF


# -- who a question is about ------------------------------------------------------------------
# Third-person pronouns: they may stand for anyone the question names, the asker's family too.
PRONOUNS = frozenset(["hij", "zij", "hem", "haar", "he", "she", "him", "her", "his"])
_PERSON_WORDS = frozenset(
    str.split(
        """collega collega's collegas buurvrouw buurman buren mevrouw meneer mevr dhr patient
        patienten client clienten klant klanten bewoner inwoner leerling student studente
        studenten zoon dochter moeder vader man vrouw echtgenoot echtgenote partner vriend
        vriendin oma opa tante oom neef nicht baby kind korporaal sergeant soldaat agent
        colleague colleagues coworker co-worker neighbour neighbor neighbours neighbors patient
        patients customer customers resident residents son daughter mother father mom mum dad
        husband wife boyfriend girlfriend friend grandma grandpa aunt uncle nurse doctor
        photographer manager boss officer burgemeester wethouder directeur minister mayor
        director governor woman girl boy lady meisje jongen mijnheer hij zij hem haar he she
        him her his familie gezin family huurder huurders tenant tenants lady gentleman mrs mr
        donor donateur gever supporter leerlingen pupil pupils bewoners inwoners klanten
        clienten cliënt"""
    )
)
# Third-person verbs that make a capitalised word before them a person ("Petra heeft …").
_PERSON_VERBS = frozenset(
    [
        "heeft",
        "is",
        "zit",
        "ligt",
        "was",
        "had",
        "werd",
        "kreeg",
        "raakte",
        "woont",
        "has",
        "lives",
        "got",
        "gets",
        "went",
    ]
)


def mentions_person(
    tokens: list[Token], original: str, ignore: Container[int] = frozenset()
) -> bool:
    """Whether a question is about a third person: a person noun or pronoun, or a name (a
    capitalised word inside a sentence that is not a common word). `ignore`: the tokens, by
    position, that name no one the work brought (`frame.Frame.only_own_family`)."""
    for i, token in enumerate(tokens):
        if ignore and i in ignore:
            continue
        if token.text in _PERSON_WORDS:
            return True
        if not token.text.isalpha() or len(token.text) < 3:
            continue
        written = original[token.ostart : token.oend]
        following = tokens[i + 1].text if i + 1 < len(tokens) else ""
        if written[:1].isupper() and following in _PERSON_VERBS and zipf(token.text) < 5.5:
            return True
        if i == 0:
            continue
        if not (written[:1].isupper() and written[1:].islower()):
            continue  # most words: the text before them is not needed
        before = original[: token.ostart].rstrip()
        if before and before[-1] not in ".!?:\"'“(" and zipf(token.text) < 3.5:
            return True
    return False
