"""Reading exported documents back as a reader's software does: python-docx and the raw OOXML
parts of a DOCX, html.parser for the HTML. Plain functions; the documents come from the core's
own export, made from a real database."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

# Every Slack id the sample policy and the tests use, and the shape of any other.
SAMPLE_IDS = ("U0PERS001", "U0INTEG02", "S07SVCDESK")
SLACK_ID = re.compile(r"(?<![A-Za-z0-9])[UWS][A-Z0-9]{8,11}(?![A-Za-z0-9])")


def document_text(content: bytes, fmt: str) -> str:
    """What a reader sees of an exported document: a DOCX's paragraphs, else the text."""
    if fmt == "docx":
        return "\n".join(p.text for p in open_docx(content).paragraphs)
    return content.decode("utf-8")


def open_docx(content: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(content))


def docx_parts(content: bytes) -> dict[str, str]:
    """Every XML part of the package, by name, as text."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return {
            name: package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        }


def paragraph_text(paragraph: object) -> str:
    """A paragraph's text, hyperlinks and fields included (python-docx's `.text` skips some)."""
    element = paragraph._p  # type: ignore[attr-defined]
    return "".join(node.text or "" for node in element.iter(qn("w:t")))


def body_by_heading(document: DocxDocument) -> list[tuple[str, str]]:
    """(the level-1 heading above it, text) for every paragraph, in order."""
    current = ""
    found = []
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            current = paragraph.text
            continue
        found.append((current, paragraph_text(paragraph)))
    return found


def slack_ids_in(text: str) -> set[str]:
    """Tokens shaped like Slack ids with at least one digit (ordinary words have none)."""
    return {token for token in SLACK_ID.findall(text) if any(ch.isdigit() for ch in token)}


@dataclass
class HtmlPage:
    lang: str = ""
    styles: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.page = HtmlPage()
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.page.tags.append(tag)
        self.page.attributes.extend(v for v in values.values() if v)
        if tag == "html":
            self.page.lang = values.get("lang") or ""
        if values.get("id"):
            self.page.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.page.links.append(values["href"] or "")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.page.styles.append(data)
        else:
            self.page.text.append(data)


def read_page(content: bytes) -> HtmlPage:
    reader = _PageReader()
    reader.feed(content.decode("utf-8"))
    reader.close()
    return reader.page
