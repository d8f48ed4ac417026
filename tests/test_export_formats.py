"""Every export format opened and read back, checked for the contributions, the rules and the
approval; and a contribution with `<script>`, `{{ 7*7 }}` and `<!channel>` inert in each."""

from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser

import docx
import pytest
import yaml
from docx.oxml.ns import qn

from bot.exporting import draft_source, export, version_source
from bot.reviewing import contributions, sections, versions
from bot.storage import Database
from tests.driver import HOSTILE, LEAD
from tests.seed import add_contribution, load_sample_draft

APPROVAL = versions.Approval("College van B&W", dt.date(2026, 1, 20), ["Besluit één", "Twee"])


class _Reader(HTMLParser):
    """Text as a browser shows it, and every tag that would run or load something."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_html(content: bytes) -> tuple[str, list[str]]:
    reader = _Reader()
    reader.feed(content.decode("utf-8"))
    return " ".join(reader.text), reader.tags


def read_docx(content: bytes) -> tuple[str, list[list[list[str]]], str, list[str]]:
    """(every paragraph's text, every table, the footer's text, the headings)."""
    document = docx.Document(io.BytesIO(content))
    paragraphs = ["".join(t.text or "" for t in p._p.iter(qn("w:t"))) for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    footer = document.sections[0].footer.paragraphs[0].text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    return "\n".join(paragraphs), tables, footer, headings


@pytest.fixture
def drafted(db: Database) -> Database:
    """The sample policy as the draft, plus working-group contributions (one hostile), the
    accepted ones consolidated into the purpose section, and version 1 adopted."""
    db.migrate()
    load_sample_draft(db)
    add_contribution(db, "purpose", "purpose.why", "UWG00001", HOSTILE, review="accepted")
    add_contribution(
        db, "purpose", "purpose.guidance", "UWG00002", "Guidance, not restriction.", minutes=3
    )
    with db.session() as session:
        text = contributions.prefill_text(session, "purpose")
        sections.save_section(session, LEAD, "purpose", text, "nl")
        versions.adopt_draft(session, LEAD, APPROVAL, "nl")
    return db


def test_docx_has_cover_headings_rules_roles_contributors_and_footer(drafted: Database) -> None:
    with drafted.session() as session:
        exported = export(version_source(session, 1), "docx")
    assert exported.filename == "gemeente-voorbeeld-policy-2026.1.docx"
    text, tables, footer, headings = read_docx(exported.content)
    # cover sheet: the decisions and the approval, the date as Dutch writes it
    assert "Besluit één" in text and "Twee" in text
    assert ["Vastgesteld door", "College van B&W"] in tables[0]
    assert ["Datum", "20 januari 2026"] in tables[0]
    # a heading per written section, in order; the cover's text is on the cover page
    for title in ("Waarom dit beleid", "Praktijk en protocollen", "Wie gaat waarover"):
        assert title in headings
    assert headings.index("Waarom dit beleid") < headings.index("Praktijk en protocollen")
    assert "Dit document vraagt het college" in text
    # the rules in plain words, with whom to ask by name; no table of rules leads with ids
    assert "Niet toegestaan. Plaats nooit persoonsgegevens" in text
    assert "Privacyteam en functionaris gegevensbescherming (privacy@gemeentevoorbeeld.nl)" in text
    appendix = next(t for t in tables if t[0][0] == "Kenmerk" and t[0][1] == "Regel (begin)")
    assert len({row[0] for row in appendix[1:]}) == 24
    assert next(r for r in appendix if r[0] == "R01")[3] == "Niet toegestaan"
    # the roles: who handles what, and the contact
    roles = next(t for t in tables if t[0] == ["Rol", "Gaat over", "Contact"])
    assert [r[0] for r in roles if r[2] == "#webcare"] == ["Webcareteam"]
    # the working group (no names known yet: counted, never shown as ids) and the footer
    assert "Geschreven door de werkgroep" in headings
    assert "UWG00001" not in text
    assert "2 werkgroepleden van wie de naam nog niet bekend is" in text
    assert "Versie 2026.1" in footer and "20 januari 2026" in footer
    # the hostile contribution was consolidated into the text, and is plain text here
    assert HOSTILE in text


def test_html_is_parsed_back_and_contributions_are_inert(drafted: Database) -> None:
    with drafted.session() as session:
        version = export(version_source(session, 1), "html").content
        draft = export(draft_source(session, "nl"), "html").content
    for content in (version, draft):
        text, tags = read_html(content)
        assert "script" not in tags and "iframe" not in tags
        # shown exactly as typed, as text; {{ 7*7 }} printed, not evaluated
        assert HOSTILE in " ".join(text.split())
        assert "R01" in text and "Niet toegestaan" in text
    text, _ = read_html(version)
    assert "College van B&W" in text and "Besluit één" in text
    text, _ = read_html(draft)
    assert "Concept (niet vastgesteld)" in text
    assert "Guidance, not restriction." in text  # a pending contribution, in the draft's appendix
    assert b"<!channel>" not in draft and b"<script>" not in draft


def test_markdown_keeps_no_live_markup(drafted: Database) -> None:
    with drafted.session() as session:
        content = export(draft_source(session, "nl"), "md").content.decode()
    assert "<script>" not in content and "<!channel>" not in content
    assert "&lt;script>" in content and "&lt;!channel>" in content
    assert "{{ 7*7 }}" in content
    assert "- **Niet toegestaan.** Plaats nooit persoonsgegevens" in content
    assert "| R01 | Plaats nooit persoonsgegevens" in content  # the id, in the appendix
    assert "Guidance, not restriction." in content


def test_yaml_is_the_policy_file_and_keeps_the_text_exactly(drafted: Database) -> None:
    with drafted.session() as session:
        content = export(version_source(session, 1), "yaml").content.decode()
        draft = export(draft_source(session, "nl"), "yaml").content.decode()
    data = yaml.safe_load(content)
    assert data["format"] == "policybot/1" and data["version"] == "2026.1"
    assert data["adopted"] == {
        "at": dt.date(2026, 1, 20),
        "by": "College van B&W",
        "decisions": ["Besluit één", "Twee"],
    }
    purpose = next(s for s in data["sections"] if s["id"] == "purpose")
    assert HOSTILE in purpose["text"]  # data, never evaluated: exactly what was typed
    assert yaml.safe_load(draft)["sections"] == data["sections"]


def test_docx_survives_control_characters(db: Database) -> None:
    db.migrate()
    load_sample_draft(db)
    add_contribution(db, "purpose", "purpose.why", "UWG00001", "bell\x07 and\x1b escape\x0b")
    with db.session() as session:
        content = export(draft_source(session, "nl"), "docx").content
    text, _, _, _ = read_docx(content)
    assert "bell and escape" in text


def test_an_incomplete_draft_still_exports(db: Database) -> None:
    db.migrate()
    add_contribution(db, "identity", "identity.mission", "UWG00001", "Open en nabij.")
    with db.session() as session:
        source = draft_source(session, "en")
        for fmt in ("md", "html", "docx", "yaml"):
            assert export(source, fmt).content
        text, _ = read_html(export(source, "html").content)
    assert "Open en nabij." in text and "Draft (not adopted)" in text
