"""Evidence, weighed (policy-format.md, "Evidence, weighed").

A rule decides on strong evidence: a detector, a pattern, a phrase, a distinctive keyword, or
an ambiguous one that the question's other words corroborate (words of the rule's own text,
its `context`, its other keywords, the sense the policy means). One ambiguous keyword with
nothing around it, or one domain concept the rule's text names, is weak evidence: the answer
says what it noticed and whom to ask, and is never a confident *forbidden*.

This module holds what is compiled per rule (`RuleProfile`) and per process (the concept and
sense indexes), and the weighing of one rule's hits (`weigh`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from bot.answering.domain import (
    REQUIRES_PERSON,
    concepts,
    is_common,
    sense_of,
    senses,
)
from bot.answering.frame import Frame
from bot.answering.frequency import zipf
from bot.answering.keywords import (
    COMPOUND,
    KEYWORD,
    TRANSLATED,
    Hit,
    KeywordIndex,
    Matcher,
    Phrase,
)
from bot.answering.not_senses import NotSense, not_senses
from bot.answering.opaque import OpaqueWords
from bot.answering.passages import term_set
from bot.answering.pattern_gates import Gate, gate_of
from bot.answering.relevance import FRAMING, Heard, HeardWord
from bot.answering.text import STOPWORDS, Folded, fold, hyphen_joined, tokenize
from bot.answering.word_index import WordKeywordIndex
from bot.policy.model import Rule

STRONG, WEAK = "strong", "weak"
CONCEPT, INNOCENT, MEANS, LINK = "concept", "innocent", "means", "link"
SUGGESTS = "~"  # the source of a concept term that suggests the concept without saying it

WEAK_WEIGHT = 0.9  # one ambiguous word, one concept: noticed, not decided
CORROBORATED = 0.6  # points of the rule's own words that make an ambiguous word strong
# Points of the rule's own words (relevance.py) that are weak evidence on their own, and strong
# evidence. Set low rather than high: a question the rule's text accounts for that goes
# unanswered is false reassurance, worse than a question asked of the rule's role for nothing.
TEXT_WEAK = 0.6
TEXT_STRONG = 1.3
AFFINITY = 0.1  # per word of a concept the rule uses: which of two linked rules is more about it
EXAMPLE_STRONG, EXAMPLE_WEAK = 0.5, 0.3
# A one-word concept term rarer than this (Zipf: about once in 300,000 words) names the concept
# on its own, for a rule the concept is central to; a commoner word needs corroboration.
DISTINCTIVE_ZIPF = 4.5  # share of words a question has with an example
# A keyword rarer than this (Zipf 3: once in a million words) is a term of art ("steekpartij",
# "nepaccount"): it keeps its policy sense even in a post about the asker's private life.
TERM_ZIPF = 3.0


@dataclass(slots=True)  # not frozen: made for every rule a question reaches, 3× faster
class Item:
    """One piece of evidence for a rule before it is shown: what, where, how much. Never
    changed once made (a weaker one is a new item)."""

    kind: str  # keyword, lexicon, compound, concept, detector, pattern, example
    start: int
    end: int
    source: str
    weight: float
    decisive: bool


# -- per process: concepts and senses as one index each ------------------------------------------
@dataclass(frozen=True)
class DomainIndex:
    index: KeywordIndex
    concept_requires: tuple[str | None, ...]
    sense_ids: dict[int, int] = field(default_factory=dict)  # id(Sense) → owner number
    # concept number, one of its patterns, and the matcher its matches are hits of
    patterns: tuple[tuple[int, re.Pattern[str], Matcher], ...] = ()
    gates: tuple[Gate, ...] = ()  # what each pattern needs of a text (`pattern_gates`)
    about_person: frozenset[int] = frozenset()  # the concepts that require a person


@lru_cache(maxsize=1)
def domain_index() -> DomainIndex:
    """Concept terms (kind CONCEPT) and sense cues (kinds INNOCENT, MEANS) in one index, so a
    question is read once for all of them."""
    matchers: list[Matcher] = []
    for number, concept in enumerate(concepts()):
        matchers += [
            Matcher(CONCEPT, number, SUGGESTS if i in concept.suggestive else "", KEYWORD, p)
            for i, p in enumerate(concept.terms)
        ]
    sense_ids: dict[int, int] = {}
    for sense in senses().values():
        if id(sense) in sense_ids:
            continue
        number = sense_ids[id(sense)] = len(sense_ids)
        matchers += [Matcher(INNOCENT, number, "", KEYWORD, p) for p in sense.innocent]
        matchers += [Matcher(MEANS, number, "", KEYWORD, p) for p in sense.means]
    # A pattern's match suggests its concept (weak unless the question backs it: "$500 for
    # charity" is no company figure), as a phrase of two empty words.
    several = Phrase((frozenset(), frozenset()), ("",))
    patterns = tuple(
        (number, pattern, Matcher(CONCEPT, number, SUGGESTS, KEYWORD, several))
        for number, concept in enumerate(concepts())
        for pattern in concept.patterns
    )
    return DomainIndex(
        WordKeywordIndex(matchers),
        tuple(c.requires for c in concepts()),
        sense_ids,
        patterns,
        tuple(gate_of(pattern) for _, pattern, _ in patterns),
        frozenset(n for n, c in enumerate(concepts()) if c.requires == REQUIRES_PERSON),
    )


# -- per rule --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RuleProfile:
    """What a rule is about beyond its keywords, compiled once."""

    concepts: dict[int, int]  # the domain concepts its text names → how many of their words
    central: frozenset[int]  # those it is about: a keyword names them, or the text twice
    named: frozenset[int]  # those a keyword of the rule names: its author's own subject
    detectors: frozenset[str]  # built-in detectors its concepts imply
    examples: tuple[frozenset[str], ...]
    not_examples: tuple[frozenset[str], ...]
    # its `not_examples` of two to four words that hold one of its keywords: fixed phrases in
    # which that word is not in the rule's sense ("in a row"), each as its words' keys
    not_senses: tuple[NotSense, ...] = ()


def _only_framing(phrase: Phrase) -> bool:
    return all(
        all(k.partition(":")[2] in FRAMING or k.partition(":")[2] in STOPWORDS for k in keys)
        for keys in phrase.words
    )


@lru_cache(maxsize=1)
def _link_index() -> KeywordIndex:
    """Every concept's link phrases, except those made only of words every question uses."""
    return KeywordIndex(
        Matcher(LINK, number, "", KEYWORD, phrase)
        for number, concept in enumerate(concepts())
        for phrase in concept.links
        if not _only_framing(phrase)
    )


def linked_concepts(texts: Iterable[str]) -> dict[int, int]:
    """The concepts `texts` name (with `includes` followed) → how many of their words they use.
    Words every question uses ("social media") link nothing."""
    tokens = tokenize(Folded(" \n ".join(texts)))
    used: dict[int, set[tuple[int, int]]] = {}  # concept → where in the texts, by word
    for hit in _link_index().find(tokens, hyphen_joined(tokens), None):
        # One word linked twice ("supporters" as "supporter" and "supporters") is one link.
        used.setdefault(hit.matcher.owner, set()).add((hit.start, hit.end))
    linked = {number: len(phrases) for number, phrases in used.items()}
    all_concepts = concepts()
    by_name = {c.name: n for n, c in enumerate(all_concepts)}
    for number in list(linked):
        for name in all_concepts[number].includes:
            if name in by_name:
                linked.setdefault(by_name[name], 1)
    return linked


def named_concepts(keywords: Iterable[str]) -> frozenset[int]:
    """The concepts some keyword names as a whole: the keyword is one of the concept's link
    phrases or terms ("omzet", "fake account"), not merely contains one ("account number" does
    not name new accounts)."""
    named: set[int] = set()
    for keyword in keywords:
        tokens = tokenize(Folded(keyword))
        if not tokens:
            continue
        start, end = tokens[0].ostart, tokens[-1].oend
        for hit in _link_index().find(tokens, hyphen_joined(tokens), None):
            if hit.start <= start and hit.end >= end:
                named.add(hit.matcher.owner)
    return frozenset(named)


def profile(rule: Rule) -> RuleProfile:
    texts = [rule.text, *rule.keywords, *rule.examples]
    linked = linked_concepts([*texts, *rule.context])
    named = named_concepts(rule.keywords)
    central = named | {n for n, c in linked.items() if c >= 2}
    detectors = frozenset(d for n in linked for d in concepts()[n].detectors)
    return RuleProfile(
        linked,
        central,
        named,
        detectors,
        tuple(term_set(e) for e in rule.examples),
        tuple(term_set(e) for e in rule.not_examples),
        not_senses(rule),
    )


# -- per question ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """What the domain index found in one question."""

    concept_hits: dict[int, list[Hit]]
    # sense number → where its innocent cues are, and whether the cue holds the word itself
    innocent: dict[int, list[tuple[int, int, bool]]]
    means: frozenset[int]
    person: bool
    terms: frozenset[str]  # canonical terms, for similarity to examples
    frame: Frame | None = None  # whether it is about the asker's private life (frame.py)
    # the words a fixed expression gives another meaning ("beaver" in "eager beaver"), or None
    # when the question has none
    opaque: OpaqueWords | None = None

    @property
    def third_person(self) -> bool:
        """Whether it names someone besides the asker and the asker's own family: "mijn
        dochter" and "haar diploma" are the asker's private life, not a person the work
        brought (frame.only_own_family)."""
        return self.person and not (self.frame is not None and self.frame.only_own_family())

    @property
    def private(self) -> bool:
        return self.frame is not None and self.frame.private()


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _opaque_here(hit: Hit | HeardWord, reading: Reading) -> bool:
    """Whether the word stands inside a fixed expression that means something else ("beaver" in
    "eager beaver", "brand" in "brand new"; opaque.py)."""
    opaque = reading.opaque
    return (
        opaque is not None and hit.start in opaque.candidates and opaque.covers(hit.start, hit.end)
    )


def _innocent_here(hit: Hit | HeardWord, number: int, reading: Reading, text: str) -> bool:
    """Whether an innocent cue of the word's sense covers this occurrence ("geen geheim"), or is
    a word around it in the same sentence ("bron" … "inspiratie"). A cue that covers another
    occurrence of the word says nothing about this one ("geen geheim, maar dit is geheim")."""
    for start, end, covers_word in reading.innocent.get(number, ()):
        if start <= hit.start and hit.end <= end:
            return True
        if covers_word:
            continue
        between = text[min(end, hit.end) : max(start, hit.start)]
        if not any(mark in between for mark in ".!?\n"):
            return True
    return False


@lru_cache(maxsize=20_000)
def _keyword_sense(word: str, source: str, kind: str) -> tuple[int | None, bool, bool]:
    """The sense number of a matched one-word keyword (None: no known senses), whether it is
    ambiguous (it has senses, is one of the most common words, or is a translation: one step
    further from what the author wrote), and whether it is merely everyday: common or
    translated, with no known double sense."""
    # Inside a compound the whole word says which sense it is: a "bosbrand" is a fire.
    sense = sense_of(word) if kind == COMPOUND else (sense_of(word) or sense_of(fold(source)))
    number = domain_index().sense_ids.get(id(sense)) if sense is not None else None
    # "photos" is as everyday as the keyword "photo" it matches; a compound is its own word.
    common = is_common(word) or (kind != COMPOUND and is_common(fold(source)))
    everyday = (common or kind == TRANSLATED) and sense_of(word) is None
    double = sense is not None and not sense.usual  # a usual sense needs no corroboration
    return number, double or common or kind == TRANSLATED, everyday


def keyword_item(
    hit: Hit,
    text: str,
    reading: Reading,
    heard: Heard,
    alone_is_noise: bool = False,
    strict: bool = False,
) -> Item | None:
    """A keyword hit weighed; None when the words around it show its innocent sense, when
    an everyday word stands alone where that is noise (`alone_is_noise`: a strict rule none
    of whose domain concepts the question uses), or when a `strict` rule's word stands alone
    in a post about the asker's private life (`Reading.private`) with no third person."""
    kind = hit.how
    source = hit.matcher.source
    if len(hit.matcher.phrase.words) > 1:
        return Item(kind, hit.start, hit.end, source, hit.weight, True)
    word = hit.word or fold(text[hit.start : hit.end])
    # Inside a fixed expression that means something else ("eager beaver", "brand new") the
    # word is not the keyword, unless the rule's own words around it say it is.
    if (
        _opaque_here(hit, reading)
        and heard.points_outside([(hit.start, hit.end)], (word, fold(source))) < CORROBORATED
    ):
        return None
    number, ambiguous, everyday = _keyword_sense(word, source, kind)
    if number is not None and number in reading.means:
        return Item(kind, hit.start, hit.end, source, hit.weight, True)
    if number is not None and _innocent_here(hit, number, reading, text):
        return None
    if not ambiguous:
        # A post about the asker's cat or a brother's wedding that shares one everyday word
        # with a strict rule and nothing else of it ("trolley", "getuige", "rooster") uses the
        # word in its private sense: no evidence. The asker's own family is no third person
        # ("my grandma as guest of honour at our wedding").
        if (
            strict
            and zipf(word) >= TERM_ZIPF
            and reading.private
            and not reading.third_person
            and heard.points_outside([(hit.start, hit.end)], (word, fold(source))) < CORROBORATED
        ):
            return None
        return Item(kind, hit.start, hit.end, source, hit.weight, True)
    around = heard.points_outside([(hit.start, hit.end)], (word, fold(source)))
    # A known double sense ("er is brand") stays weak evidence on its own.
    if alone_is_noise and everyday and not (around or reading.person):
        # An everyday word, or one heard only through a translation, with nothing of its rule,
        # no person and no domain concept around it is no evidence: "a picture of my homemade
        # lasagne" is not what a rule about photos of colleagues is about.
        return None
    backed = around >= CORROBORATED
    return Item(kind, hit.start, hit.end, source, hit.weight if backed else WEAK_WEIGHT, backed)


def concept_items(
    rule: RuleProfile, reading: Reading, text: str, taken: list[tuple[int, int]], heard: Heard
) -> list[Item]:
    items = []
    taken = list(taken)
    domain = domain_index()
    requires = domain.concept_requires
    all_concepts = concepts()
    # Concepts about a person first: "her phone number" is heard before "phone number".
    about_person = domain.about_person
    order = sorted(
        rule.concepts.keys() & reading.concept_hits.keys(),
        key=lambda n: (n not in about_person, n),
    )
    for number in order:
        if requires[number] == REQUIRES_PERSON and not reading.person:
            continue  # general talk about health is nobody's health data
        hits = sorted(reading.concept_hits[number], key=lambda h: (h.start, h.start - h.end))
        mine: list[Item] = []
        for hit in hits:
            # Two terms over the same words ("het standpunt van", "standpunt van de") are one.
            if any(hit.start < e and s < hit.end for s, e in taken):
                continue
            word = fold(text[hit.start : hit.end])
            if _innocent_term(hit, word, reading, text) or _opaque_here(hit, reading):
                continue  # "een bron van inspiratie" is no source, "the lottery numbers" no figures
            taken.append((hit.start, hit.end))
            backed = heard.points_outside([(hit.start, hit.end)]) >= CORROBORATED
            if all_concepts[number].weak or hit.matcher.source == SUGGESTS:
                decisive = backed
            elif requires[number] == REQUIRES_PERSON:
                decisive = True  # the person is there: their health is personal data
            elif len(hit.matcher.phrase.words) > 1:
                decisive = number in rule.central or backed
            else:
                # Inside a Dutch compound the term is one step from what was written: the
                # compound's own rarity says nothing of the concept ("tijdwinst").
                decisive = backed or (
                    number in rule.named and hit.how != COMPOUND and distinctive(word)
                )
            source = concepts()[number].name
            weight = WEAK_WEIGHT * (1 + AFFINITY * min(rule.concepts[number], 5))
            mine.append(Item(CONCEPT, hit.start, hit.end, source, weight, decisive))
        if number not in rule.central and not any(i.decisive for i in mine):
            # A concept the rule merely mentions is one weak hint however often the question
            # uses it: two of its terms are not the two separate things that make evidence
            # strong ("a page called …, set it up" is no political use of the charity's name).
            mine = mine[:1]
        items += mine
    return items


def _innocent_term(hit: Hit, term: str, reading: Reading, text: str) -> bool:
    """Whether a concept term is heard in an everyday sense: one of its words has a known
    sense whose innocent cues are here and whose meant sense is not."""
    for word in term.split():
        sense = sense_of(word)
        number = domain_index().sense_ids.get(id(sense)) if sense is not None else None
        if (
            number is not None
            and number not in reading.means
            and _innocent_here(hit, number, reading, text)
        ):
            return True
    return False


def distinctive(word: str) -> bool:
    """Whether one word names its concept unmistakably: rarer than everyday words and with no
    known everyday sense ("omzet", "nepaccount", "kazerne", not "brand", "ziek" or "team")."""
    sense = sense_of(word)
    return zipf(word) < DISTINCTIVE_ZIPF and (sense is None or sense.usual)


def innocent_words(heard: Heard, reading: Reading, text: str) -> list[tuple[int, int]]:
    """Where the rule's own words are heard in their everyday sense ("wat een missie was dat",
    "my own bathroom renovation") or inside a fixed expression that means something else
    ("an eager beaver"): such a word is no evidence, as a keyword, nor as its text."""
    spans = [(w.start, w.end) for w in heard.words if _opaque_here(w, reading)]
    if not reading.innocent:
        return spans
    for word in heard.words:
        sense = sense_of(word.word)
        number = domain_index().sense_ids.get(id(sense)) if sense is not None else None
        if (
            number is not None
            and number not in reading.means
            and _innocent_here(word, number, reading, text)
        ):
            spans.append((word.start, word.end))
    return spans


def text_items(points: float) -> list[Item]:
    """A question that the rule's own words account for is probably about it: strong evidence
    when they account for enough of it, weak for less. `points`: of the words the rule's text
    accounts for (`Heard.points_outside` the words already counted as a keyword, concept,
    detector or pattern of the rule: those are not counted twice)."""
    if points >= TEXT_STRONG:
        return [Item("text", 0, 0, "text", points, True)]
    if points >= TEXT_WEAK:
        return [Item("text", 0, 0, "text", WEAK_WEIGHT, False)]
    return []


def example_items(rule: RuleProfile, reading: Reading) -> tuple[list[Item], bool]:
    """Evidence from the rule's examples, and whether the question is one of its look-alikes
    (closer to a `not_examples` entry than to any example)."""
    best = max((_similarity(reading.terms, e) for e in rule.examples), default=0.0)
    unlike = max((_similarity(reading.terms, e) for e in rule.not_examples), default=0.0)
    if unlike >= EXAMPLE_STRONG and unlike > best:
        return [], True
    if best >= EXAMPLE_STRONG:
        return [Item("example", 0, 0, "example", 1.0, True)], False
    if best >= EXAMPLE_WEAK:
        return [Item("example", 0, 0, "example", WEAK_WEIGHT, False)], False
    return [], False


def strength(items: list[Item]) -> str | None:
    """STRONG when anything decides, or two separate weak things agree; WEAK for one."""
    if not items:
        return None
    if any(i.decisive for i in items):
        return STRONG
    spans = {(i.start, i.end, i.kind) for i in items}
    return STRONG if len(spans) >= 2 else WEAK


def weak_in_private_post(how: str | None, reading: Reading) -> bool:
    """Whether evidence of strength `how` (`strength`) is weak only, in a post about the
    asker's private life (`Reading.private`) that names no third person. A strict rule heard
    only so (one everyday or ambiguous word, one concept term, a few words of its text) is
    heard in the words' everyday sense there, and is no evidence ("the half marathon I run for
    the children's hospice", "my dog had a minor incident"). The frame is worked out last: most
    questions never need it."""
    return not reading.person and how == WEAK and reading.private
