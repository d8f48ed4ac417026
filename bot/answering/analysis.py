"""What the engine found in one question (`engine.CompiledPolicy._analyse`): the policy's
keywords' hits, the detectors' and patterns' finds, the domain lexicon's reading and the rules'
own words heard, once per question and shared by every rule it reaches."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.answers import Evidence
from bot.answering.detection import Detection
from bot.answering.keywords import UNLESS, Hit
from bot.answering.relevance import Heard
from bot.answering.shown import shown
from bot.answering.weighing import Item, Reading


@dataclass(frozen=True, slots=True)
class Analysis:
    text: str
    hits: dict[tuple[str, int], list[Hit]]  # (owner kind, owner index) → hits
    detections: list[Detection]  # the asker's own contact details left out
    detected: list[Detection]  # every value found, the asker's own too (masking hides all)
    reading: Reading
    pattern_spans: dict[str, list[tuple[int, int]]]  # each distinct pattern, run once
    heard: dict[int, Heard]  # per rule, the question words its own text accounts for
    # Where rules' own keywords matched, as written or inflected → those rules' indexes.
    claims: dict[tuple[int, int], frozenset[int]]
    # Where rules' keywords matched through the bilingual lexicon → those rules' indexes.
    lexicon_claims: dict[tuple[int, int], frozenset[int]]
    # Evidence as shown, by span, kind and source (all it depends on): shared by a word's rules
    shown: dict[tuple[int, int, str, str], Evidence]

    def evidence(self, item: Item) -> Evidence:
        key = (item.start, item.end, item.kind, item.source)
        found = self.shown.get(key)
        if found is None:
            found = self.shown[key] = shown(item, self.text, self.detections)
        return found

    def claimed_by_others(self, rule_index: int) -> list[tuple[int, int]]:
        """Spans another rule names with its own keyword: evidence there explains that rule
        better than one this rule reaches only through the lexicon or its text."""
        return [span for span, owners in self.claims.items() if rule_index not in owners]

    def reached_by_others(self, rule_index: int) -> list[tuple[int, int]]:
        """Spans another rule reaches with a keyword, its own or through the lexicon: a concept
        this rule shares with them explains less than the other rule's keyword does."""
        return self.claimed_by_others(rule_index) + [
            span for span, owners in self.lexicon_claims.items() if rule_index not in owners
        ]

    def unless_spans(self, rule_index: int) -> list[tuple[int, int]]:
        return [(h.start, h.end) for h in self.hits.get((UNLESS, rule_index), ())]
