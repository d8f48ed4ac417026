"""`/policy export` from Slack: progress first, then the file uploaded to the channel through
files_upload_v2 (its upload address from files.getUploadURLExternal on the stand-in)."""

from __future__ import annotations

import io

import docx
import yaml
from sqlalchemy import select

from bot import directory
from bot.storage.models.policy import PolicyVersion
from tests.driver import HOSTILE, LEAD, SlackDriver
from tests.payloads import text_of
from tests.seed import add_contribution, load_sample_draft, make_lead


def test_export_docx_of_the_draft_is_uploaded_to_the_channel(running: SlackDriver) -> None:
    make_lead(running.db)
    load_sample_draft(running.db)
    add_contribution(running.db, "purpose", "purpose.why", "UWG00001", "Residents are online.")
    running.command(LEAD, "export docx draft", channel="C0DRAFT")

    answers = [text_of(r) for r in running.replies()]
    assert "Exporting the draft as docx" in answers[0]  # progress before the work
    assert "gemeente-voorbeeld-policy-draft.docx" in answers[-1]
    assert running.fake.calls_for("files.getUploadURLExternal")
    (uploaded,) = running.fake.uploaded_files()
    assert uploaded.channel == "C0DRAFT" and uploaded.shared
    assert uploaded.filename == "gemeente-voorbeeld-policy-draft.docx"
    assert f"<@{LEAD}>" in (uploaded.initial_comment or "")
    document = docx.Document(io.BytesIO(uploaded.content or b""))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Residents are online." in text
    # the contributor's name was looked up in Slack for the working-group list
    assert "willem" in text


def test_a_document_made_in_slack_names_the_ids_nobody_had_named(running: SlackDriver) -> None:
    """The imported sample names its press contact `@U0PERS001` and its service desk
    `S07SVCDESK`: Slack is asked once, the document shows the names, and the directory keeps
    them for exports without Slack."""
    make_lead(running.db)
    load_sample_draft(running.db)
    running.fake.add_user("U0PERS001", "lotte.pers", locale="nl-NL")
    running.fake.add_usergroup("S07SVCDESK", "servicedesk", [])
    running.command(LEAD, "export docx draft")

    (uploaded,) = running.fake.uploaded_files()
    document = docx.Document(io.BytesIO(uploaded.content or b""))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "lotte.pers" in text and "@servicedesk" in text
    assert "U0PERS001" not in text and "S07SVCDESK" not in text
    with running.db.session() as session:
        assert directory.stored_names(session, ["U0PERS001", "S07SVCDESK"]) == {
            "U0PERS001": "lotte.pers",
            "S07SVCDESK": "servicedesk",
        }


def test_export_yaml_of_the_version_in_force(running: SlackDriver) -> None:
    make_lead(running.db)
    load_sample_draft(running.db)
    running.command(LEAD, "export yaml")
    assert "No version has been adopted yet" in running.last_reply_text()
    assert not running.fake.uploaded_files()

    running.adopt_from_slack()
    running.command(LEAD, "export yaml")
    (uploaded,) = running.fake.uploaded_files()
    data = yaml.safe_load(uploaded.content or b"")
    with running.db.session() as session:
        label = session.scalars(select(PolicyVersion)).one().label
    assert data["version"] == label and data["adopted"]["by"] == "Directie"

    running.command(LEAD, "export html 1")
    assert len(running.fake.uploaded_files()) == 2
    running.command(LEAD, "export html 9")
    assert "There is no version 9" in running.last_reply_text()


def test_bad_export_arguments_get_the_usage(running: SlackDriver) -> None:
    make_lead(running.db)
    for args in ("export", "export pdf", "export md latest please", "export md <!channel>"):
        running.command(LEAD, args)
        text = running.last_reply_text()
        assert "/policy export md|html|docx|yaml" in text
        assert "<!channel>" not in text
    assert not running.fake.uploaded_files()


def test_a_failed_upload_is_explained(running: SlackDriver) -> None:
    make_lead(running.db)
    load_sample_draft(running.db)
    running.command(LEAD, "export md draft", channel="C0NOWHERE")
    text = running.last_reply_text()
    assert "could not upload" in text and "channel_not_found" in text


def test_hostile_contribution_is_inert_in_slack(running: SlackDriver) -> None:
    make_lead(running.db)
    add_contribution(running.db, "purpose", "purpose.why", "UWG00001", HOSTILE)
    running.command(LEAD, "review purpose")
    text = running.all_reply_text()
    assert "&lt;!channel&gt;" in text and "&lt;script&gt;" in text
    assert "<!channel>" not in text and "<script>" not in text
    assert "{{ 7*7 }}" in text
