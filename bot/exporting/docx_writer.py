"""The DOCX export, built with python-docx: the document people read and sign.

A cover sheet with the decisions and the approval, a heading per section with its text
(Markdown turned into Word paragraphs, lists and emphasis), tables of the rules (id, verdict,
text, whom to ask) and of the roles (who handles what, contact), the contributors, and the
version and date in the footer. Everything is inserted as text runs, never as markup, so what
a contributor typed is shown exactly as typed.
"""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from bot.exporting.text import markdown_parser
from bot.exporting.view import DocumentView, RuleView

# Characters XML 1.0 forbids; python-docx refuses them, and a pasted control character must
# not make the export fail.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: Any) -> str:
    return _XML_ILLEGAL.sub("", str(text or ""))


def render_docx(doc: DocumentView, lang: str) -> bytes:
    document = Document()
    document.core_properties.title = clean(f"{doc.title}: {doc.organisation}")
    document.core_properties.subject = clean(doc.status)
    document.core_properties.language = lang
    words = doc.words

    _cover(document, doc)

    for section in doc.sections:
        document.add_heading(clean(section.title), level=1)
        if section.text.strip():
            _markdown_into(document, section.text)
        else:
            document.add_paragraph(clean(words["empty_section"])).runs[0].italic = True
        if section.rules:
            document.add_heading(clean(words["rules"]), level=2)
            _rule_table(document, doc, section.rules)
        if section.contributions:
            document.add_heading(clean(words["contributions"]), level=2)
            for item in section.contributions:
                paragraph = document.add_paragraph(style="List Bullet")
                paragraph.add_run(clean(item.author)).bold = True
                paragraph.add_run(clean(f" ({words[item.review]}), "))
                paragraph.add_run(clean(item.question)).italic = True
                _text_with_breaks(paragraph.add_run(), ": " + item.text)

    if doc.unplaced_rules:
        document.add_heading(clean(words["other_rules"]), level=1)
        _rule_table(document, doc, doc.unplaced_rules)

    document.add_heading(clean(words["roles"]), level=1)
    _table(
        document,
        [words["role_name"], words["role_handles"], words["role_contact"]],
        [[role.name, role.handles, role.contact] for role in doc.roles],
    )
    if doc.default:
        document.add_paragraph(clean(doc.default))

    if doc.groups:
        document.add_heading(clean(words["groups"]), level=1)
        for name, slack in doc.groups:
            document.add_paragraph(
                clean(f"{name} ({words['group_slack']}: {slack})"), style="List Bullet"
            )

    if doc.contributors:
        document.add_heading(clean(words["contributors"]), level=1)
        for name in doc.contributors:
            document.add_paragraph(clean(name), style="List Bullet")

    footer = document.sections[0].footer.paragraphs[0]
    footer.text = clean(doc.footer)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _cover(document: DocxDocument, doc: DocumentView) -> None:
    words = doc.words
    document.add_heading(clean(f"{doc.title}: {doc.organisation}"), level=0)
    document.add_paragraph(clean(f"{doc.status} · {doc.date}"))
    document.add_heading(clean(words["decisions"]), level=1)
    if doc.decisions:
        for decision in doc.decisions:
            document.add_paragraph(clean(decision), style="List Number")
    else:
        document.add_paragraph(clean(words["empty_section"])).runs[0].italic = True
    document.add_heading(clean(words["approval"]), level=1)
    if doc.is_draft:
        document.add_paragraph(clean(words["not_adopted"])).runs[0].italic = True
    else:
        _table(
            document,
            None,
            [
                [words["approved_by"], doc.approved_by],
                [words["approved_on"], doc.approved_on],
            ],
        )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _rule_table(document: DocxDocument, doc: DocumentView, rules: list[RuleView]) -> None:
    words = doc.words
    rows = []
    for rule in rules:
        text = rule.text + (f"\n({words['applies_to']}: {rule.groups})" if rule.groups else "")
        rows.append([rule.id, rule.verdict, text, rule.ask])
    _table(
        document,
        [words["rule_id"], words["verdict"], words["rule_text"], words["whom_to_ask"]],
        rows,
    )


def _table(document: DocxDocument, header: list[str] | None, rows: list[list[str]]) -> None:
    width = len(header) if header else max((len(r) for r in rows), default=1)
    # Created at its full size at once: adding rows one by one is slow on long tables.
    table = document.add_table(rows=len(rows) + (1 if header else 0), cols=width)
    table.style = "Table Grid"
    offset = 0
    if header:
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(clean(text)).bold = True
        offset = 1
    for row, values in zip(table.rows[offset:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=False):
            _text_with_breaks(cell.paragraphs[0].add_run(), value)


def _text_with_breaks(run: Any, text: str) -> None:
    """A run's text with its line breaks kept as Word line breaks."""
    for index, line in enumerate(clean(text).split("\n")):
        if index:
            run.add_break()
        run.add_text(line)


# -- Markdown → Word ------------------------------------------------------------------------
_LIST_STYLES = {"bullet": "List Bullet", "ordered": "List Number"}


def _markdown_into(document: DocxDocument, text: str) -> None:
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
            document.add_paragraph(clean(" | ".join(table_row)))
            table_row = None
        elif kind == "inline" and table_row is not None:
            table_row.append(token.content)
        elif kind == "inline":
            if heading_level:
                document.add_heading(clean(_plain(token)), level=min(heading_level + 1, 9))
                heading_level = 0
                continue
            paragraph = _paragraph(document, lists, quote, item_fresh)
            item_fresh = False
            _inline_into(paragraph, token.children or [])
        elif kind in ("fence", "code_block"):
            paragraph = document.add_paragraph()
            run = paragraph.add_run()
            run.font.name = "Courier New"
            run.font.size = Pt(9)
            _text_with_breaks(run, token.content.rstrip("\n"))
        elif kind == "hr":
            document.add_paragraph("—")


def _paragraph(document: DocxDocument, lists: list[str], quote: int, fresh: bool) -> Paragraph:
    if lists and fresh:
        style = _LIST_STYLES[lists[-1]]
        depth = min(len(lists), 3)
        return document.add_paragraph(style=style if depth == 1 else f"{style} {depth}")
    if quote:
        return document.add_paragraph(style="Quote")
    return document.add_paragraph()


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
