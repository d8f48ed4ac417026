"""One question read against the domain lexicon (policy-format.md, "Evidence, weighed"): the
concept terms it uses, the cues of the innocent or the meant sense of ambiguous words, whether
it is about a third person, whether it is framed in the asker's private life (`frame`), and its
canonical terms (for `examples`)."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from bot.answering.compounds import CompoundSplitter
from bot.answering.domain import concepts, mentions_person
from bot.answering.frame import Frame, FrameCues
from bot.answering.keywords import COMPOUND, KEYWORD, Hit
from bot.answering.opaque import opaque_words
from bot.answering.passages import term_set
from bot.answering.pattern_gates import TextFacts
from bot.answering.stemming import dutch_stem
from bot.answering.text import Token
from bot.answering.weighing import CONCEPT, INNOCENT, MEANS, Reading, domain_index

# A one-word concept term of at least this many letters is heard as the head of a Dutch
# compound: a "longkanker" is a "kanker", a "personeelsreorganisatie" a "reorganisatie".
COMPOUND_HEAD_LETTERS = 6


@lru_cache(maxsize=1)
def _concept_heads() -> CompoundSplitter:
    """Splits Dutch compounds whose head is a one-word concept term. Heads only: a compound is
    a kind of its head, while a term at its start says little ("kankeronderzoek")."""
    heads = {
        dutch_stem(next(iter(phrase.words[0])).partition(":")[2])
        for concept in concepts()
        for phrase in concept.terms
        if len(phrase.words) == 1
    }
    return CompoundSplitter((h for h in heads if len(h) >= COMPOUND_HEAD_LETTERS), {}, ())


# Dutch particles that start verbs and their nouns: "voor|stelling" is a performance, not a
# position, "over|winst" no profit; so is "musical|voorstelling".
_PARTICLES = frozenset(
    str.split(
        """aan achter af bij binnen buiten door in mee na om onder op over samen tegen terug toe
        uit voor weg"""
    )
)


@lru_cache(maxsize=16384)  # words recur across questions; splitting tries every cut
def _concept_compound_keys(word: str) -> tuple[str, ...]:
    """The keys of the concept terms `word` ends in, when what comes before is a word."""
    keys = _concept_heads().keys(word)
    if not keys:
        return keys
    stem = dutch_stem(word)
    return tuple(
        key
        for key in keys
        if not _particle_modifier(stem[: len(stem) - len(key.partition(":")[2])])
    )


def _particle_modifier(part: str) -> bool:
    """Whether the part before the head is, or ends in, a particle that belongs to the head
    ("musical|voor|stelling"), or is too short to be a word of its own."""
    return len(part) < 4 or any(part.endswith(p) and (len(p) >= 3 or part == p) for p in _PARTICLES)


def read(
    text: str,
    tokens: list[Token],
    joined: list[Token],
    rule_spans: list[tuple[int, int]],
    with_terms: bool,
    cues: FrameCues,
    facts: TextFacts,
    dutch: bool = False,
) -> Reading:
    """What the domain lexicon finds in a question. `rule_spans`: where the policy's own
    keywords matched (an innocent cue that holds one covers only that occurrence). `facts`:
    what the patterns' gates ask of the text (a pattern that cannot match is not run)."""
    concept_hits: dict[int, list[Hit]] = defaultdict(list)
    innocent: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
    means: set[int] = set()
    domain = domain_index()
    for (number, pattern, matcher), gate in zip(domain.patterns, domain.gates, strict=True):
        if not gate.may_match(facts):
            continue
        for match in pattern.finditer(text):
            if match.end() > match.start():
                concept_hits[number].append(
                    Hit(matcher, match.start(), match.end(), KEYWORD, True, "")
                )
    compound = [_concept_compound_keys(t.text) for t in tokens] if dutch else None
    for hit in domain.index.find(tokens, joined, compound):
        kind, owner = hit.matcher.kind, hit.matcher.owner
        if hit.how == COMPOUND and kind != CONCEPT:
            continue  # a sense's cue is read as written
        if kind == CONCEPT:
            concept_hits[owner].append(hit)
        elif kind == INNOCENT:
            holds = any(hit.start <= s and e <= hit.end for s, e in rule_spans)
            innocent[owner].append((hit.start, hit.end, holds))
        elif kind == MEANS:
            means.add(owner)
    terms = term_set(text) if with_terms else frozenset()
    person = mentions_person(tokens, text)
    return Reading(
        dict(concept_hits),
        dict(innocent),
        frozenset(means),
        person,
        terms,
        Frame(tokens, cues, text),
        opaque_words(tokens),
    )
