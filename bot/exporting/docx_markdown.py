"""Markdown (a section's text, as the working group wrote it) into Word paragraphs: headings,
lists, quotes, emphasis and code, parsed by markdown-it with raw HTML off. Everything goes in
as text runs, never as markup, so what a contributor typed is shown exactly as typed.
"""

from __future__ import annotations

from typing import Any

from docx.document import Document as DocxDocument
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from bot.exporting.docx_ooxml import clean, heading, styled
from bot.exporting.text import markdown_parser

# Section text's own headings sit below the section's heading (level 1) and out of the
# contents, which lists level 1 only.
_TOP_LEVEL = 2


def text_with_breaks(run: Any, text: str) -> None:
    """A run's text with its line breaks kept as Word line breaks."""
    for index, line in enumerate(clean(text).split("\n")):
        if index:
            run.add_break()
        run.add_text(line)


# -- Markdown → Word ------------------------------------------------------------------------
_LIST_STYLES = {"bullet": "List Bullet", "ordered": "List Number"}


def markdown_into(document: DocxDocument, text: str) -> None:
    tokens = markdown_parser().parse(text)
    lists: list[str] = []  # the kinds of the lists we are in, innermost last
    quote = 0
    item_fresh = False  # the next paragraph is the first of a list item: it gets the bullet
    heading_level = 0
    table_row: list[str] | None = None
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append("bullet" if kind.startswith("bullet") else "ordered")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item_fresh = True
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "heading_open":
            heading_level = int(token.tag[1:])
        elif kind == "tr_open":
            table_row = []
        elif kind == "tr_close" and table_row is not None:
            styled(document, " | ".join(table_row))
            table_row = None
        elif kind == "inline" and table_row is not None:
            table_row.append(token.content)
        elif kind == "inline":
            if heading_level:
                heading(document, _plain(token), min(heading_level + _TOP_LEVEL - 1, 9))
                heading_level = 0
                continue
            paragraph = _paragraph(document, lists, quote, item_fresh)
            item_fresh = False
            _inline_into(paragraph, token.children or [])
        elif kind in ("fence", "code_block"):
            paragraph = styled(document)
            run = paragraph.add_run()
            run.font.name = "Courier New"
            run.font.size = Pt(9)
            text_with_breaks(run, token.content.rstrip("\n"))
        elif kind == "hr":
            styled(document, "—")


def _paragraph(document: DocxDocument, lists: list[str], quote: int, fresh: bool) -> Paragraph:
    if lists and fresh:
        style = _LIST_STYLES[lists[-1]]
        depth = min(len(lists), 3)
        return styled(document, style=style if depth == 1 else f"{style} {depth}")
    if quote:
        return styled(document, style="Quote")
    return styled(document)


def _plain(token: Any) -> str:
    return "".join(child.content for child in token.children or [] if child.content)


def _inline_into(paragraph: Paragraph, children: list[Any]) -> None:
    bold = italic = False
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind == "softbreak":
            paragraph.add_run(" ")
        elif kind == "hardbreak":
            paragraph.add_run().add_break()
        elif kind in ("text", "code_inline", "html_inline", "image"):
            content = child.content if kind != "image" else _plain(child)
            run = paragraph.add_run(clean(content))
            run.bold, run.italic = bold or None, italic or None
            if kind == "code_inline":
                run.font.name = "Courier New"
