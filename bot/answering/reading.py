"""One question read against the domain lexicon (policy-format.md, "Evidence, weighed"): the
concept terms it uses, the cues of the innocent or the meant sense of ambiguous words, whether
it is about a third person, whether it is framed in the asker's private life (`frame`), and its
canonical terms (for `examples`)."""

from __future__ import annotations

from collections import defaultdict

from bot.answering.domain import mentions_person
from bot.answering.frame import Frame, FrameCues
from bot.answering.keywords import KEYWORD, Hit
from bot.answering.opaque import opaque_words
from bot.answering.passages import term_set
from bot.answering.pattern_gates import TextFacts
from bot.answering.text import Token
from bot.answering.weighing import CONCEPT, INNOCENT, MEANS, Reading, domain_index


def read(
    text: str,
    tokens: list[Token],
    joined: list[Token],
    rule_spans: list[tuple[int, int]],
    with_terms: bool,
    cues: FrameCues,
    facts: TextFacts,
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
    for hit in domain.index.find(tokens, joined, None):
        kind, owner = hit.matcher.kind, hit.matcher.owner
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
