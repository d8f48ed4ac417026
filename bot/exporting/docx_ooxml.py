"""The Word-level settings python-docx has no API for, written as the OOXML standard spells them.

A4 with its margins, the proofing language on the document defaults (so Word checks Dutch as
Dutch), the document properties (the organisation, not "python-docx"), fields (the table of
contents, page numbers) and `w:updateFields`, which makes Word refresh those fields on open.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Twips
from docx.text.paragraph import Paragraph

# A4 portrait in twentieths of a point, exactly as Word writes it (210 × 297 mm).
A4_WIDTH, A4_HEIGHT = Twips(11906), Twips(16838)
MARGIN = Twips(1418)  # 2.5 cm
# Characters XML 1.0 forbids; python-docx refuses them, and a pasted control character must
# not make the export fail.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: Any) -> str:
    return _XML_ILLEGAL.sub("", str(text or ""))


def styled(document: DocxDocument, text: str = "", style: str | None = None) -> Paragraph:
    """`document.add_paragraph(text, style)`, fast: python-docx checks a named style against
    every style in the document on each call, which dominates a long document's export."""
    paragraph = document.add_paragraph(clean(text))
    if style:
        paragraph._p.style = document.styles[style].style_id
    return paragraph


def heading(document: DocxDocument, text: str, level: int) -> Paragraph:
    return styled(document, text, f"Heading {level}")


def set_a4(document: DocxDocument) -> None:
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = section.bottom_margin = MARGIN


def set_language(document: DocxDocument, tag: str, decimal: str, separator: str) -> None:
    """`tag` (nl-NL, en-GB) as the proofing language of the defaults and the Normal style, and
    the number conventions Word's fields use."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    _child(run_defaults, "w:lang").set(qn("w:val"), tag)
    normal = document.styles["Normal"].element
    _child(normal.get_or_add_rPr(), "w:lang").set(qn("w:val"), tag)

    settings = document.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), tag)
    for name, value in (("w:decimalSymbol", decimal), ("w:listSeparator", separator)):
        found = settings.find(qn(name))
        if found is not None:
            found.set(qn("w:val"), value)


def update_fields_on_open(document: DocxDocument) -> None:
    """`<w:updateFields w:val="true"/>`: Word recomputes the contents and page numbers."""
    settings = document.settings.element
    element = settings.find(qn("w:updateFields"))
    if element is None:
        element = OxmlElement("w:updateFields")
        # CT_Settings is a sequence: updateFields comes before the compatibility settings.
        anchor = next(
            (
                settings.find(qn(n))
                for n in _AFTER_UPDATE_FIELDS
                if settings.find(qn(n)) is not None
            ),
            None,
        )
        if anchor is not None:
            anchor.addprevious(element)
        else:
            settings.append(element)
    element.set(qn("w:val"), "true")


# Elements of CT_Settings that follow w:updateFields, in schema order (the first one present
# is where it goes).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "w:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def set_properties(
    document: DocxDocument,
    *,
    organisation: str,
    title: str,
    subject: str,
    language: str,
    keywords: str,
    moment: dt.datetime,
) -> None:
    props = document.core_properties
    props.author = clean(organisation)[:255]
    props.last_modified_by = clean(organisation)[:255]
    props.title = clean(title)[:255]
    props.subject = clean(subject)[:255]
    props.language = language
    props.keywords = clean(keywords)[:255]
    props.comments = ""
    props.category = ""
    props.revision = 1
    moment = moment.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = moment


def simple_field(paragraph: Paragraph, instruction: str, shown: str, size: Length) -> None:
    """`<w:fldSimple w:instr="PAGE">`: a field Word fills in, showing `shown` until it does."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    font_size = OxmlElement("w:sz")
    font_size.set(qn("w:val"), str(round(size.pt * 2)))  # in half-points
    properties.append(font_size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def begin_field(paragraph: Paragraph, instruction: str) -> None:
    """The start of a complex field whose result runs over several paragraphs (a table of
    contents); `end_field` closes it. Marked dirty, so Word recomputes it."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    _run_with(paragraph, begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    _run_with(paragraph, instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    _run_with(paragraph, separate)


def end_field(paragraph: Paragraph) -> None:
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    _run_with(paragraph, end)


def bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """A bookmark around the paragraph, so the contents can link to it."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def internal_link(paragraph: Paragraph, anchor: str, text: str) -> None:
    """`<w:hyperlink w:anchor=…>`: a link to a bookmark in the same document."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    shown = OxmlElement("w:t")
    shown.set(qn("xml:space"), "preserve")
    shown.text = clean(text)
    run.append(shown)
    link.append(run)
    paragraph._p.append(link)


def repeat_on_every_page(row: Any) -> None:
    """`<w:tblHeader/>`: a long table shows its header row again on every page."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _run_with(paragraph: Paragraph, child: Any) -> None:
    run = OxmlElement("w:r")
    run.append(child)
    paragraph._p.append(run)


def _child(parent: Any, tag: str) -> Any:
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found
