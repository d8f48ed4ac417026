"""The DOCX export, built with python-docx: the document management reads and signs.

A4 in the policy's proofing language, the organisation as author. A cover page with the
logo (when set), the decisions and the approval, or a clear draft mark; the table of contents
(a real TOC field Word refreshes on open, showing the section list until it does); the
sections with their rules in plain words; who handles what; the groups and the working group;
the technical ids in an appendix; the organisation, version, date and page numbers in the
footer. Everything a person typed goes in as text runs, never as markup.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from bot.exporting.docx_markdown import markdown_into, text_with_breaks
from bot.exporting.docx_ooxml import (
    begin_field,
    bookmark,
    clean,
    end_field,
    heading,
    internal_link,
    repeat_on_every_page,
    set_a4,
    set_language,
    set_properties,
    simple_field,
    styled,
    update_fields_on_open,
)
from bot.exporting.view import DocumentView, RuleView

VERDICT_COLOURS = {
    "forbidden": RGBColor(0xA4, 0x00, 0x0F),
    "review": RGBColor(0x8A, 0x5A, 0x00),
    "allowed": RGBColor(0x1E, 0x6B, 0x2E),
}
DRAFT_COLOUR = RGBColor(0xA4, 0x00, 0x0F)
# How Word writes numbers in each language: decimal symbol and list separator.
NUMBER_CONVENTIONS = {"nl": (",", ";"), "en": (".", ",")}
COVER_HEADING, RULE_NOTE = "Cover Heading", "Rule Note"
FOOTER_SIZE = TABLE_SIZE = Pt(9)
TOC_INSTRUCTION = 'TOC \\o "1-1" \\h \\z \\u'


def render_docx(doc: DocumentView) -> bytes:
    document = Document()
    set_a4(document)
    decimal, separator = NUMBER_CONVENTIONS.get(doc.lang, NUMBER_CONVENTIONS["en"])
    set_language(document, doc.language_tag, decimal, separator)
    set_properties(
        document,
        organisation=doc.organisation,
        title=f"{doc.title}: {doc.organisation}",
        subject=doc.status,
        language=doc.language_tag,
        keywords=doc.title,
        moment=doc.made_at,
    )
    update_fields_on_open(document)
    _styles(document)

    _cover(document, doc)
    _contents(document, doc)
    bookmarks = _Bookmarks()
    for section in doc.sections:
        bookmarks.heading(document, section.title, section.anchor)
        if section.text:
            markdown_into(document, section.text)
        elif not section.written and not section.rules:
            _note(styled(document), doc.words["not_written"])
        if section.rules:
            heading(document, doc.words["rules"], 2)
            for rule in section.rules:
                _rule(document, rule)
        if section.contributions:
            heading(document, doc.words["contributions"], 2)
            for item in section.contributions:
                paragraph = styled(document, style="List Bullet")
                paragraph.add_run(clean(item.author)).bold = True
                paragraph.add_run(clean(f" ({item.review}), "))
                paragraph.add_run(clean(item.question)).italic = True
                text_with_breaks(paragraph.add_run(), ": " + item.text)

    bookmarks.heading(document, doc.words["roles"], "roles")
    _table(
        document,
        [doc.words["role_name"], doc.words["role_handles"], doc.words["role_contact"]],
        [[role.name, role.handles, role.contact] for role in doc.roles],
        (4.5, 7, 4.5),
    )
    if doc.default:
        styled(document, doc.default)
    if doc.groups:
        bookmarks.heading(document, doc.words["groups"], "groups")
        styled(document, doc.words["groups_intro"])
        for group in doc.groups:
            styled(document, group.name, "List Bullet")
    if doc.contributors:
        bookmarks.heading(document, doc.words["contributors"], "working-group")
        for name in doc.contributors:
            styled(document, name, "List Bullet")
    _appendix(document, doc, bookmarks)
    _footer(document, doc)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _styles(document: DocxDocument) -> None:
    styles = document.styles
    heading = styles.add_style(COVER_HEADING, WD_STYLE_TYPE.PARAGRAPH)
    heading.base_style = styles["Normal"]
    heading.font.bold, heading.font.size = True, Pt(14)
    heading.paragraph_format.space_before = Pt(18)
    heading.paragraph_format.keep_with_next = True
    note = styles.add_style(RULE_NOTE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Normal"]
    note.font.italic, note.font.size = True, Pt(9.5)
    note.paragraph_format.left_indent = Cm(0.6)
    note.paragraph_format.space_before = Pt(0)
    note.paragraph_format.space_after = Pt(10)


def _cover(document: DocxDocument, doc: DocumentView) -> None:
    words = doc.words
    if doc.logo is not None:
        document.add_picture(io.BytesIO(doc.logo.content), width=Cm(4))
    styled(document, doc.title, "Title")
    styled(document, doc.organisation, "Subtitle")
    styled(document, f"{doc.status} · {doc.date}")
    if doc.is_draft:
        mark = styled(document).add_run(clean(words["draft_mark"]))
        mark.bold, mark.font.size, mark.font.color.rgb = True, Pt(16), DRAFT_COLOUR
        styled(document, words["not_adopted"])
    styled(document, doc.summary)
    if doc.cover_text:
        markdown_into(document, doc.cover_text)

    styled(document, doc.decisions_heading, COVER_HEADING)
    if doc.decisions:
        # Numbered by hand: Word's list numbering would continue from lists in the text above.
        for number, decision in enumerate(doc.decisions, start=1):
            paragraph = styled(document)
            paragraph.paragraph_format.left_indent = Cm(0.8)
            paragraph.paragraph_format.first_line_indent = Cm(-0.8)
            text_with_breaks(paragraph.add_run(), f"{number}.\t{decision}")
    else:
        _note(styled(document), words["no_decisions"])

    styled(document, words["approval"], COVER_HEADING)
    if doc.is_draft:
        run = styled(document).add_run(clean(words["approval_pending"]))
        run.bold, run.font.color.rgb = True, DRAFT_COLOUR
    else:
        rows = [[words["approved_by"], doc.approved_by], [words["approved_on"], doc.approved_on]]
        if doc.reference:
            rows.append([words["reference"], doc.reference])
        _table(document, None, rows, (5, 11))
        if doc.signatures:
            styled(document, words["signatures"])
            header = [words["approver"], words["decision"], words["decided_at"]]
            signed = [[s.name, s.decision, s.at] for s in doc.signatures]
            _table(document, header, signed, (7, 4, 5))
    styled(document).add_run().add_break(WD_BREAK.PAGE)


def _contents(document: DocxDocument, doc: DocumentView) -> None:
    """The TOC field, its result standing in as links to the headings until Word updates it."""
    styled(document, doc.words["contents"], "TOC Heading")
    entries = doc.contents
    first = styled(document)
    begin_field(first, TOC_INSTRUCTION)
    paragraphs = [first] + [styled(document) for _ in entries[1:]]
    for paragraph, (anchor, title) in zip(paragraphs, entries, strict=False):
        internal_link(paragraph, bookmark_name(anchor), title)
    end_field(paragraphs[-1])
    styled(document).add_run().add_break(WD_BREAK.PAGE)


class _Bookmarks:
    """Level-1 headings with a bookmark each, which the contents' links point to."""

    def __init__(self) -> None:
        self.count = 0

    def heading(self, document: DocxDocument, title: str, anchor: str) -> Paragraph:
        paragraph = heading(document, title, 1)
        self.count += 1
        bookmark(paragraph, bookmark_name(anchor), self.count)
        return paragraph


def bookmark_name(anchor: str) -> str:
    """Word's bookmark names: a letter first, then letters, digits and _, at most 40."""
    return ("pb_" + re.sub(r"[^A-Za-z0-9]", "_", anchor))[:40]


def _rule(document: DocxDocument, rule: RuleView) -> None:
    paragraph = styled(document)
    paragraph.paragraph_format.keep_with_next = bool(rule.ask or rule.applies)
    paragraph.paragraph_format.space_after = Pt(3 if rule.ask or rule.applies else 10)
    label = paragraph.add_run(clean(rule.verdict) + ". ")
    label.bold = True
    colour = VERDICT_COLOURS.get(rule.verdict_code)
    if colour is not None:
        label.font.color.rgb = colour
    text_with_breaks(paragraph.add_run(), rule.text)
    notes = " ".join(part for part in (rule.applies, rule.ask) if part)
    if notes:
        styled(document, notes, RULE_NOTE)


def _appendix(document: DocxDocument, doc: DocumentView, bookmarks: _Bookmarks) -> None:
    words = doc.words
    bookmarks.heading(document, words["appendix"], "appendix")
    styled(document, words["appendix_intro"])
    if doc.appendix_rules:
        heading(document, words["appendix_rules"], 2)
        _table(
            document,
            [words["id"], words["excerpt"], words["section"], words["verdict"], words["role"]],
            [[r.id, r.excerpt, r.section, r.verdict, r.role] for r in doc.appendix_rules],
            (1.8, 4.7, 3.5, 2.6, 3.4),
        )
    if doc.roles:
        heading(document, words["appendix_roles"], 2)
        _table(
            document,
            [words["id"], words["role_name"], words["role_contact"]],
            [[role.id, role.name, role.contact] for role in doc.roles],
            (3, 7, 6),
        )
    if doc.groups:
        heading(document, words["appendix_groups"], 2)
        _table(
            document,
            [words["id"], words["group_name"], words["group_slack"]],
            [[group.id, group.name, group.slack] for group in doc.groups],
            (3, 7, 6),
        )


def _footer(document: DocxDocument, doc: DocumentView) -> None:
    """Organisation · version · date · Page N of M, the numbers as PAGE and NUMPAGES fields."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.text = ""
    paragraph.add_run(clean(f"{doc.footer} · {doc.words['page']} "))
    simple_field(paragraph, "PAGE", "1", FOOTER_SIZE)
    paragraph.add_run(clean(f" {doc.words['page_of']} "))
    simple_field(paragraph, "NUMPAGES", "1", FOOTER_SIZE)
    for run in paragraph.runs:
        run.font.size = FOOTER_SIZE


def _note(paragraph: Paragraph, text: str) -> None:
    paragraph.add_run(clean(text)).italic = True


def _table(
    document: DocxDocument,
    header: list[str] | None,
    rows: list[list[str]],
    widths: tuple[float, ...],
) -> None:
    """A grid with a bold header row repeated on every page; `widths` in cm (16 in all, the
    width of the text on A4)."""
    # Created at its full size at once: adding rows one by one is slow on long tables.
    table = document.add_table(rows=len(rows) + (1 if header else 0), cols=len(widths))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = Cm(width)  # the cells, which Word reads
    offset = 0
    if header:
        repeat_on_every_page(table.rows[0])
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(clean(text))
            run.bold, run.font.size = True, TABLE_SIZE
        offset = 1
    for row, values in zip(table.rows[offset:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=False):
            run = cell.paragraphs[0].add_run()
            run.font.size = TABLE_SIZE
            text_with_breaks(run, value)
            cell.paragraphs[0].paragraph_format.space_after = Pt(2)
