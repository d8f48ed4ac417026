"""The progress of every section as a picture (a PNG) for the weekly digest: one bar per
section, a mark per question, green where answers stand and are reviewed, amber where answers
wait for the lead, grey where nothing is written yet. Drawn with Pillow (a small, well-kept
imaging library with no dependencies of its own; its default font is scalable since 10.1)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow itself is imported when a chart is drawn, not at every start
    from PIL import ImageDraw, ImageFont

WIDTH = 900
ROW, TOP, BOTTOM, MARGIN = 44, 64, 48, 24
LABEL_WIDTH, COUNT_WIDTH = 300, 170
BACKGROUND, INK, FAINT = (255, 255, 255), (29, 28, 29), (120, 120, 120)
DONE, WAITING, EMPTY = (46, 125, 50), (240, 165, 0), (221, 221, 221)


@dataclass(frozen=True)
class Bar:
    """One section: its label, how many questions it has, how many have an answer standing,
    whether some of those wait for review, the text at the bar's end."""

    label: str
    total: int
    answered: int
    waiting: bool
    note: str


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: object, width: int) -> str:
    """`text`, cut with an ellipsis to fit `width` pixels."""
    if draw.textlength(text, font=font) <= width:  # type: ignore[arg-type]
        return text
    while text and draw.textlength(text + "…", font=font) > width:  # type: ignore[arg-type]
        text = text[:-1]
    return text + "…"


def progress_chart(title: str, bars: list[Bar], legend: tuple[str, str, str]) -> bytes:
    """The chart as PNG bytes; `legend`: the words for done, waiting for review, not yet."""
    from PIL import Image, ImageDraw

    height = TOP + ROW * max(len(bars), 1) + BOTTOM
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    big, small = _font(20), _font(15)
    draw.text((MARGIN, 20), _fit(draw, title, big, WIDTH - 2 * MARGIN), fill=INK, font=big)
    left = MARGIN + LABEL_WIDTH
    span = WIDTH - left - COUNT_WIDTH - MARGIN
    for index, bar in enumerate(bars):
        y = TOP + index * ROW
        middle = y + ROW // 2
        label = _fit(draw, bar.label, small, LABEL_WIDTH - 12)
        draw.text((MARGIN, middle), label, fill=INK, font=small, anchor="lm")
        total = max(bar.total, 1)
        done = min(bar.answered, total)
        filled = DONE if not bar.waiting else WAITING
        for mark in range(total):
            x0 = left + round(span * mark / total)
            x1 = left + round(span * (mark + 1) / total) - 3
            colour = filled if mark < done else EMPTY
            draw.rectangle((x0, y + 10, x1, y + ROW - 10), fill=colour)
        note = _fit(draw, bar.note, small, COUNT_WIDTH - 8)
        draw.text((left + span + 12, middle), note, fill=FAINT, font=small, anchor="lm")
    y = height - BOTTOM + 16
    x = MARGIN
    for colour, word in zip((DONE, WAITING, EMPTY), legend, strict=True):
        draw.rectangle((x, y, x + 14, y + 14), fill=colour)
        draw.text((x + 20, y + 7), word, fill=FAINT, font=small, anchor="lm")
        x += 40 + int(draw.textlength(word, font=small))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
