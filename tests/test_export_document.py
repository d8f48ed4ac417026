"""The document management signs, read back as Word and a browser read it: A4, the policy's
proofing language, the organisation in the properties, a cover with the decisions and the
approval (or a clear draft mark), a table of contents Word refreshes, page numbers, rules in
plain words under their sections with the ids in an appendix, and names, never Slack ids."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from bot import directory
from bot.exporting import draft_source, export, load_logo, version_source
from bot.reviewing import versions
from bot.storage import Database
from tests.documents import (
    SAMPLE_IDS,
    body_by_heading,
    docx_parts,
    open_docx,
    paragraph_text,
    read_page,
    slack_ids_in,
)
from tests.driver import HOSTILE, LEAD
from tests.samples import SAMPLE_POLICY
from tests.seed import add_contribution, load_sample_draft

APPROVAL = versions.Approval("College van B&W", dt.date(2026, 1, 20), ["Besluit één"])
LEARNED = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def png(width: int = 4, height: int = 2) -> bytes:
    """A real, tiny PNG (one colour), so the logo is an image Word can place."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x2e\x5d\x8a" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def adopted(db: Database) -> Database:
    """The sample as version 1, a working-group member's reply, and the names Slack told us
    for some ids (U0INTEG02, a contact, stays unknown)."""
    db.migrate()
    load_sample_draft(db)
    add_contribution(db, "purpose", "purpose.why", "UWG00001", "Open en nabij.", review="accepted")
    with db.session() as session:
        directory.remember_name(session, "U0PERS001", directory.USER, "Lotte de Vries", LEARNED)
        directory.remember_name(session, "S07SVCDESK", directory.USERGROUP, "servicedesk", LEARNED)
        directory.remember_name(session, "UWG00001", directory.USER, "Willem de Wit", LEARNED)
        versions.adopt_draft(session, LEAD, APPROVAL, "nl")
    return db


def version_docx(db: Database, **options: object) -> bytes:
    with db.session() as session:
        return export(version_source(session, 1), "docx", **options).content  # type: ignore[arg-type]


def test_the_page_is_a4_portrait_with_margins(adopted: Database) -> None:
    content = version_docx(adopted)
    section = open_docx(content).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)  # 210×297 mm
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.cm, 1) == 2.5
    assert '<w:pgSz w:w="11906" w:h="16838"' in docx_parts(content)["word/document.xml"]


def test_word_proofs_the_policy_language(adopted: Database, db: Database) -> None:
    document = open_docx(version_docx(adopted))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    (lang,) = defaults.iter(qn("w:lang"))
    assert lang.get(qn("w:val")) == "nl-NL"
    normal = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert normal.get(qn("w:val")) == "nl-NL"
    assert 'w:val="en-US"' not in docx_parts(version_docx(adopted))["word/styles.xml"]
    assert document.core_properties.language == "nl-NL"

    # an English policy is proofed as British English
    data = yaml.safe_load(SAMPLE_POLICY.read_text("utf-8")) | {"language": "en"}
    with adopted.session() as session:
        source = draft_source(session, "en")
        source.policy["language"] = data["language"]
        english = open_docx(export(source, "docx").content)
    defaults = english.styles.element.find(qn("w:docDefaults"))
    assert [e.get(qn("w:val")) for e in defaults.iter(qn("w:lang"))] == ["en-GB"]


def test_the_properties_name_the_organisation(adopted: Database) -> None:
    content = version_docx(adopted)
    properties = open_docx(content).core_properties
    assert properties.author == "Gemeente Voorbeeld"
    assert properties.last_modified_by == "Gemeente Voorbeeld"
    assert properties.title == "Social mediabeleid: Gemeente Voorbeeld"
    assert properties.subject == "Versie 2026.1"
    assert properties.language == "nl-NL"
    assert "python-docx" not in docx_parts(content)["docProps/core.xml"]


def test_a_table_of_contents_word_updates_on_open(adopted: Database) -> None:
    content = version_docx(adopted)
    parts = docx_parts(content)
    body = parts["word/document.xml"]
    instructions = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", body)
    assert any(i.strip().startswith("TOC ") for i in instructions)
    assert '<w:fldChar w:fldCharType="begin" w:dirty="true"/>' in body
    assert re.search(r'<w:updateFields w:val="(true|1)"/>', parts["word/settings.xml"])
    # until Word updates it, the field shows the headings, each a link to its bookmark
    anchors = re.findall(r'<w:hyperlink w:anchor="([^"]+)"', body)
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)"', body))
    assert len(anchors) >= 8 and set(anchors) <= bookmarks


def test_the_footer_has_page_numbers_version_and_date(adopted: Database) -> None:
    content = version_docx(adopted)
    footer = open_docx(content).sections[0].footer
    xml = footer._element.xml
    assert re.search(r'<w:fldSimple w:instr="\s*PAGE\s*"', xml)
    assert re.search(r'<w:fldSimple w:instr="\s*NUMPAGES\s*"', xml)
    text = paragraph_text(footer.paragraphs[0])
    assert "Gemeente Voorbeeld" in text and "Versie 2026.1" in text
    assert "20 januari 2026" in text and "Pagina" in text


def test_the_logo_goes_on_the_cover_when_set(adopted: Database, tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    path.write_bytes(png())
    logo = load_logo(path)
    assert logo is not None and logo.mimetype == "image/png"
    with_logo = version_docx(adopted, logo=logo)
    document = open_docx(with_logo)
    images = [
        part for part in document.part.package.parts if part.content_type.startswith("image/png")
    ]
    assert len(images) == 1 and images[0].blob == png()
    assert len(document.inline_shapes) == 1
    first = document.paragraphs[0]._p.xml
    assert "<pic:pic" in first  # the first thing on the cover page

    without = open_docx(version_docx(adopted))
    assert len(without.inline_shapes) == 0

    with adopted.session() as session:
        page = read_page(export(version_source(session, 1), "html", logo=logo).content)
    assert any(a.startswith("data:image/png;base64,") for a in page.attributes)


def test_a_logo_that_went_missing_leaves_it_out(tmp_path: Path) -> None:
    assert load_logo(tmp_path / "gone.png") is None
    (tmp_path / "text.png").write_text("not an image")
    assert load_logo(tmp_path / "text.png") is None


def test_people_are_named_and_no_slack_id_is_shown(adopted: Database) -> None:
    content = version_docx(adopted)
    parts = docx_parts(content)
    for name, xml in parts.items():
        for slack_id in (*SAMPLE_IDS, "UWG00001"):
            assert slack_id not in xml, f"{slack_id} in {name}"
    assert not slack_ids_in(parts["word/document.xml"])
    document = open_docx(content)
    roles = next(t for t in document.tables if t.rows[0].cells[0].text == "Rol")
    contacts = {row.cells[0].text: row.cells[2].text for row in roles.rows}
    assert contacts["Persvoorlichting en woordvoering"] == "Lotte de Vries"
    assert contacts["Servicedesk ICT en informatiebeveiliging"] == "@servicedesk"
    assert contacts["Webcareteam"] == "#webcare"
    # nobody has told us this one's name yet: a neutral phrase, in the policy's language
    assert contacts["Integriteitscoördinator"] == "een Slack-gebruiker (naam nog niet bekend)"
    text = "\n".join(paragraph_text(p) for p in document.paragraphs)
    assert "Leg het eerst voor aan Persvoorlichting en woordvoering (Lotte de Vries)." in text
    assert "Willem de Wit" in text  # the working group, by name


def test_rules_sit_under_their_sections_and_ids_only_in_the_appendix(adopted: Database) -> None:
    document = open_docx(version_docx(adopted))
    sample = yaml.safe_load(SAMPLE_POLICY.read_text("utf-8"))
    titles = {s["id"]: s["title"] for s in sample["sections"]}
    placed = [(h, " ".join(text.split())) for h, text in body_by_heading(document)]
    labels = {"forbidden": "Niet toegestaan", "review": "Eerst overleggen", "allowed": "Toegestaan"}
    for rule in sample["rules"]:
        # the rule reads as what it means for an employee, then its text; not as its id
        expected = f"{labels[rule['verdict']]}. {' '.join(rule['text'].split())}"
        headings = [heading for heading, text in placed if text == expected]
        assert headings == [titles[rule["section"]]], rule["id"]
    ids = {rule["id"] for rule in sample["rules"]}
    appendix = [
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells][:2] == ["Kenmerk", "Regel (begin)"]
    ]
    assert len(appendix) == 1
    assert {row.cells[0].text for row in appendix[0].rows[1:]} == ids
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[-1] == "Bijlage: kenmerken"  # the last chapter; the contents name it too
    # no other table has an id column
    for table in document.tables:
        if table._tbl is appendix[0]._tbl:
            continue
        assert not any(row.cells[0].text in ids for row in table.rows)


def test_a_draft_is_marked_and_says_what_is_not_written(db: Database) -> None:
    db.migrate()
    load_sample_draft(db)
    with db.session() as session:
        from bot.storage.models.policy import DraftSection

        session.get(DraftSection, "identity").text = ""  # type: ignore[union-attr]
    with db.session() as session:
        draft = export(draft_source(session, "nl"), "docx").content
        md = export(draft_source(session, "nl"), "md").content.decode()
    document = open_docx(draft)
    text = "\n".join(paragraph_text(p) for p in document.paragraphs)
    assert "CONCEPT – NIET VASTGESTELD" in text
    assert "Het management heeft het nog niet vastgesteld" in text
    placed = body_by_heading(document)
    assert ("Onze online identiteit", "Dit onderdeel is nog niet geschreven.") in placed
    assert "(leeg)" not in text and "(empty)" not in text
    assert "Concept (niet vastgesteld)" in paragraph_text(document.sections[0].footer.paragraphs[0])
    assert (
        "**CONCEPT – NIET VASTGESTELD**" in md and "_Dit onderdeel is nog niet geschreven._" in md
    )


def test_an_adopted_version_leaves_unwritten_sections_out(db: Database) -> None:
    db.migrate()
    load_sample_draft(db)
    with db.session() as session:
        from bot.storage.models.policy import DraftSection

        session.add(
            DraftSection(section_id="extra", title="Nog te schrijven", text="", position=99)
        )
    with db.session() as session:
        versions.adopt_draft(session, LEAD, APPROVAL, "nl")
    document = open_docx(version_docx(db))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Nog te schrijven" not in headings
    text = "\n".join(paragraph_text(p) for p in document.paragraphs)
    assert "nog niet geschreven" not in text and "CONCEPT" not in text


def test_dates_are_the_organisations_and_its_languages(db: Database) -> None:
    db.migrate()
    load_sample_draft(db)
    late = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)  # already 1 December in Amsterdam
    with db.session() as session:
        amsterdam = draft_source(session, "nl", zone=ZoneInfo("Europe/Amsterdam"), now=late)
        london = draft_source(session, "nl", zone=ZoneInfo("Europe/London"), now=late)
        text = export(amsterdam, "md").content.decode()
        assert "1 december 2026" in text
        assert "30 november 2026" in export(london, "md").content.decode()
        amsterdam.policy["language"] = "en"
        assert "1 December 2026" in export(amsterdam, "md").content.decode()


def test_the_html_is_an_a4_page_with_contents_and_nothing_live(adopted: Database) -> None:
    add_contribution(adopted, "identity", "identity.mission", "UWG00002", HOSTILE)
    with adopted.session() as session:
        version = export(version_source(session, 1), "html").content
        draft = export(draft_source(session, "nl"), "html").content
    for content in (version, draft):
        page = read_page(content)
        assert page.lang == "nl-NL"
        assert re.search(r"@page\s*\{[^}]*size:\s*A4", " ".join(page.styles))
        contents = [link for link in page.links if link.startswith("#")]
        assert len(contents) >= 8
        assert all(link[1:] in page.ids for link in contents)  # every entry leads somewhere
        assert "script" not in page.tags and "iframe" not in page.tags
        for slack_id in (*SAMPLE_IDS, "UWG00001", "UWG00002"):
            assert slack_id not in page.words and slack_id not in " ".join(page.attributes)
        assert not slack_ids_in(page.words)
        assert "Lotte de Vries" in page.words
    page = read_page(draft)
    assert HOSTILE in page.words  # shown as typed: {{ 7*7 }} printed, <!channel> inert text
    assert b"<!channel>" not in draft and b"<script>" not in draft
    assert "CONCEPT – NIET VASTGESTELD" in page.words


def test_markdown_has_the_same_structure(adopted: Database) -> None:
    with adopted.session() as session:
        text = export(version_source(session, 1), "md").content.decode()
    order = [
        "# Social mediabeleid: Gemeente Voorbeeld",
        "## Besluiten",
        "## Vaststelling",
        "## Inhoud",
        "## Waarom dit beleid",
        "## Wie gaat waarover",
        "## Bijlage: kenmerken",
    ]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert "[Waarom dit beleid](#waarom-dit-beleid)" in text
    assert "- Vastgesteld door: College van B&W" in text
    for slack_id in (*SAMPLE_IDS, "UWG00001"):
        assert slack_id not in text
