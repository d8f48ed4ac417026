"""One question read against the domain lexicon (policy-format.md, "Evidence, weighed"): the
concept terms and frames it uses, the cues of the innocent or the meant sense of ambiguous
words, whether it is about a third person, and its canonical terms (for `examples`).

A frame is a concept named by words that only mean it together ("start" … "page" is a new
account, "prijzen" … "dalen" a price cut): one word or phrase of each of its parts in the same
sentence, at most `window` words apart (six unless the frame says otherwise). A frame counts as a concept term of several
words."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from bot.answering.domain import frames, mentions_person
from bot.answering.keywords import KEYWORD, Hit, KeywordIndex, Matcher, Phrase
from bot.answering.passages import term_set
from bot.answering.text import Token
from bot.answering.weighing import CONCEPT, INNOCENT, MEANS, SUGGESTS, Reading, domain_index

FRAME = "frame"
_SENTENCE_END = re.compile(r"[.!?\n]")


@dataclass(frozen=True, slots=True)
class _FrameIndex:
    index: KeywordIndex
    matchers: tuple[Matcher, ...]  # per frame, the concept term a frame hit counts as


@lru_cache(maxsize=1)
def _frame_index() -> _FrameIndex:
    parts: list[Matcher] = []
    as_terms: list[Matcher] = []
    for number, frame in enumerate(frames()):
        for part, phrases in enumerate(frame.parts):
            parts += [Matcher(FRAME, number, str(part), KEYWORD, p) for p in phrases]
        # What a frame hit counts as: a concept term of as many words as the frame has parts.
        words = tuple(frozenset() for _ in frame.parts)
        phrase = Phrase(words, tuple("" for _ in frame.parts[1:]))
        source = SUGGESTS if frame.suggestive else ""
        as_terms.append(Matcher(CONCEPT, frame.concept, source, KEYWORD, phrase))
    return _FrameIndex(KeywordIndex(parts), tuple(as_terms))


def _frame_hits(text: str, tokens: list[Token], joined: list[Token]) -> list[Hit]:
    """Concept hits of the frames whose parts all occur close together in one sentence."""
    if not tokens:
        return []
    frame_index = _frame_index()
    position = {t.ostart: i for i, t in enumerate(tokens)}
    sentence_of = [0] * len(tokens)
    sentence = 0
    for i in range(1, len(tokens)):
        if _SENTENCE_END.search(text, tokens[i - 1].oend, tokens[i].ostart):
            sentence += 1
        sentence_of[i] = sentence
    found: dict[int, dict[int, list[tuple[int, Hit]]]] = defaultdict(lambda: defaultdict(list))
    for hit in frame_index.index.find(tokens, joined, None):
        at = position.get(hit.start)
        if at is not None:
            found[hit.matcher.owner][int(hit.matcher.source)].append((at, hit))
    hits: list[Hit] = []
    for number, by_part in found.items():
        frame = frames()[number]
        if len(by_part) < len(frame.parts):
            continue
        for at, first in by_part[0]:
            chosen = [(at, first)]
            for part in range(1, len(frame.parts)):
                near = [
                    (other, h)
                    for other, h in by_part[part]
                    if sentence_of[other] == sentence_of[at] and abs(other - at) <= frame.window
                ]
                if not near:
                    break
                chosen.append(min(near, key=lambda pair: abs(pair[0] - at)))
            else:
                start = min(h.start for _, h in chosen)
                end = max(h.end for _, h in chosen)
                hits.append(Hit(frame_index.matchers[number], start, end, KEYWORD, True, ""))
                break  # one hit per frame is evidence enough
    return hits


def read(
    text: str,
    tokens: list[Token],
    joined: list[Token],
    rule_spans: list[tuple[int, int]],
    with_terms: bool,
) -> Reading:
    """What the domain lexicon finds in a question. `rule_spans`: where the policy's own
    keywords matched (an innocent cue that holds one covers only that occurrence)."""
    concept_hits: dict[int, list[Hit]] = defaultdict(list)
    innocent: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
    means: set[int] = set()
    for hit in domain_index().index.find(tokens, joined, None):
        kind, owner = hit.matcher.kind, hit.matcher.owner
        if kind == CONCEPT:
            concept_hits[owner].append(hit)
        elif kind == INNOCENT:
            holds = any(hit.start <= s and e <= hit.end for s, e in rule_spans)
            innocent[owner].append((hit.start, hit.end, holds))
        elif kind == MEANS:
            means.add(owner)
    for hit in _frame_hits(text, tokens, joined):
        concept_hits[hit.matcher.owner].append(hit)
    terms = term_set(text) if with_terms else frozenset()
    person = mentions_person(tokens, text)
    return Reading(dict(concept_hits), dict(innocent), frozenset(means), person, terms)
