"""Masking personal data before the bot repeats someone's text.

The engine masks the evidence it quotes; this covers the other places the bot shows a text
back (the excerpt of a checked post, the question passed on to a role). Every valid value the
engine's detectors find (e-mail, phone, IBAN, BSN, card) is masked whether or not a rule asks
for that detector, and so is whatever a rule's `patterns` matched (a licence plate, a
password), using the engine's own masked forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.answering.detection import Detection
from bot.answering.detectors import detect_all

Span = tuple[int, int, str]  # start, end, what to show instead


def mask_spans(text: str, spans: Iterable[Span]) -> str:
    """`text` with each span replaced; overlapping spans: the earliest, longest one wins."""
    out, at = [], 0
    for start, end, shown in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start < at or end <= start:
            continue
        out += [text[at:start], shown]
        at = end
    out.append(text[at:])
    return "".join(out)


def mask_personal_data(
    text: str, extra: Iterable[Span] = (), detected: Sequence[Detection] | None = None
) -> str:
    """`text` with detected personal data and the `extra` spans (pattern matches) masked.
    `detected`: `detect_all(text)`, where the caller has it already."""
    found = [
        (d.start, d.end, d.masked) for d in (detect_all(text) if detected is None else detected)
    ]
    return mask_spans(text, [*found, *extra])


def excerpt(text: str, limit: int = 600) -> str:
    """At most `limit` characters of an already masked text, cut at a word where possible."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"
