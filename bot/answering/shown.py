"""Evidence as an answer shows it: the words the asker wrote, detected values and pattern
matches masked, the same words matched twice counted once."""

from __future__ import annotations

from collections.abc import Iterable

from bot.answering.answers import Evidence
from bot.answering.detection import Detection, mask_text
from bot.answering.keywords import Hit
from bot.answering.weighing import Item

_MASKED = frozenset({"detector", "pattern", "example"})


def covered(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def best_items(items: list[Item]) -> list[Item]:
    """The same words matched twice (as a keyword and through the lexicon) count once."""
    best: dict[tuple[int, int, str], Item] = {}
    for item in items:
        span = (item.start, item.end, "example" if item.kind == "example" else "")
        if span not in best or item.weight > best[span].weight:
            best[span] = item
    return list(best.values())


def shown(item: Item, text: str, detections: list[Detection]) -> Evidence:
    """Evidence as an answer may show it: detected values and pattern matches masked."""
    if item.kind not in _MASKED:  # most evidence: the words as the asker wrote them
        return Evidence(text[item.start : item.end], item.start, item.end, item.kind, item.source)
    if item.kind == "detector":
        quoted = next(d.masked for d in detections if (d.start, d.end) == (item.start, item.end))
    elif item.kind == "pattern":
        quoted = mask_text(text[item.start : item.end])
    else:  # an example: nothing of the question to quote
        quoted = ""
    return Evidence(quoted, item.start, item.end, item.kind, item.source)


def evidence_of(
    hits: Iterable[Hit], text: str, unless: list[tuple[int, int]]
) -> list[tuple[float, Evidence]]:
    """Keyword hits outside every unless span, as weighted evidence, one per span."""
    found = [
        (h.weight, Evidence(text[h.start : h.end], h.start, h.end, h.how, h.matcher.source))
        for h in hits
        if not covered(h.start, h.end, unless)
    ]
    return _best_per_span(found)


def _best_per_span(found: list[tuple[float, Evidence]]) -> list[tuple[float, Evidence]]:
    """The same words matched twice (as a keyword and through the lexicon) count once."""
    best: dict[tuple[int, int], tuple[float, Evidence]] = {}
    for weight, item in found:
        span = (item.start, item.end)
        if span not in best or weight > best[span][0]:
            best[span] = (weight, item)
    return list(best.values())
