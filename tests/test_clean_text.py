"""Finding 8: control characters, NUL and bidi overrides are removed where text enters
(Slack's events, commands and modals, the command line, imported files), the same on SQLite
and PostgreSQL: a drafting reply with NUL is recorded, a modal with NUL is saved, and no
document carries them."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.cleantext import clean_data, clean_text, json_text_is_clean
from bot.reviewing.document import document_settings
from bot.reviewing.draft import cover_decisions
from bot.storage import Database
from bot.storage.models.asking import AskedQuestion
from bot.storage.models.policy import DraftSection
from runtime.cli import main
from tests.documents import document_text
from tests.driver import DRAFT_CHANNEL, LEAD, WENDY, WILLEM, SlackDriver
from tests.seed import (
    add_contribution,
    adopt,
    contributions,
    load_sample_draft,
    make_lead,
    working_group,
)

DIRTY = "Open\x00 en \x1b[31mnabij\x07 \u202egnipeeh\u202c \u2066iso\u2069\x7f\x9b"
CLEAN = "Open en [31mnabij gnipeeh iso"
UNWANTED = ("\x00", "\x1b", "\x07", "\u202e", "\u202c", "\u2066", "\u2069", "\x7f", "\x9b")


def test_clean_text_removes_what_must_not_enter_and_keeps_what_people_write() -> None:
    assert clean_text(DIRTY) == CLEAN
    kept = "Tab\there\nnieuwe regel · Cliënt ß 👩‍💻 \u200fשלום\u200e عربي"
    assert clean_text(kept) == kept  # tab, newline, accents, emoji joiners, RTL marks
    assert clean_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_text("lone \ud800 surrogate") == "lone \ufffd surrogate"
    assert clean_data({"k\x00": ["x\x1b", ("y\x07",), 3, None]}) == {"k": ["x", ("y",), 3, None]}


def test_a_drafting_reply_with_nul_is_recorded_cleaned(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    root = running.start_draft(WENDY, "identity")
    ts = running.message(WILLEM, DRAFT_CHANNEL, DIRTY, thread_ts=root)
    (recorded,) = contributions(running.db)
    assert recorded.text == CLEAN and recorded.author == WILLEM
    assert running.fake.reactions_on(DRAFT_CHANNEL, ts), "the reply was not confirmed"


def test_a_modal_with_nul_is_saved_cleaned(running: SlackDriver) -> None:
    load_sample_draft(running.db)
    make_lead(running.db)
    answer = running.save_settings(
        LEAD,
        organisation="Gemeente\x00 Voorbeeld\u202e",
        language="nl",
        version="2026\x07.1",
        default_verdict="allowed",
        default_role="communicatie",
    )
    assert answer is None, answer  # saved: the modal closes
    assert running.save_decisions(LEAD, "Besluit\x1b een") is None
    with running.db.session() as session:
        saved = document_settings(session, "nl")
        decisions = cover_decisions(session)
    assert (saved.organisation, saved.version) == ("Gemeente Voorbeeld", "2026.1")
    assert decisions == ["Besluit een"]


def test_questions_are_answered_and_logged_cleaned(running: SlackDriver) -> None:
    adopt(running.db)
    running.dm("UEMP0001", f"mag ik dit posten: {DIRTY}")
    running.command("UEMP0002", f"check {DIRTY}")
    assert "Open en" in running.last_reply_text()
    with running.db.session() as session:
        texts = list(session.scalars(select(AskedQuestion.text)))
    assert len(texts) == 2 and all(t and not any(c in t for c in UNWANTED) for t in texts)


def test_the_command_line_cleans_its_arguments_and_documents_carry_nothing_raw(
    running: SlackDriver,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    adopt(running.db)
    working_group(running.db, WILLEM, WENDY)
    root = running.start_draft(WENDY, "identity")
    running.message(WILLEM, DRAFT_CHANNEL, DIRTY, thread_ts=root)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("POLICYBOT_LANGUAGE", "en")
    assert main(["check", "--json", DIRTY]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in UNWANTED)
    with running.db.session() as session:
        logged = session.scalars(select(AskedQuestion.text)).all()
    assert CLEAN in logged

    for fmt in ("md", "html", "docx"):
        target = tmp_path / f"draft.{fmt}"
        assert main(["policy", "export", "--format", fmt, "--draft", "-o", str(target)]) == 0
        content = document_text(target.read_bytes(), fmt)
        assert not any(c in content for c in UNWANTED), fmt
    capsys.readouterr()


def test_check_reads_standard_input_bounded_and_cleaned(
    cli_env: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    adopt(cli_env)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{DIRTY}\n"))
    assert main(["check", "--json", "-"]) == 0
    assert not any(c in capsys.readouterr().out for c in UNWANTED)
    with cli_env.session() as session:
        assert CLEAN in session.scalars(select(AskedQuestion.text)).all()

    endless = io.StringIO("word " * 300_000)  # 1.5 million characters
    monkeypatch.setattr("sys.stdin", endless)
    assert main(["check", "-"]) == 2
    assert "more than 1048576 characters" in capsys.readouterr().err


def test_text_stored_before_it_was_cleaned_leaves_documents_clean(
    cli_env: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_sample_draft(cli_env)
    legacy = "Oud\x1b[2J \u202etekst\u202c\x07"  # as an older version stored it (PostgreSQL too)
    add_contribution(cli_env, "identity", "identity.mission", WILLEM, legacy, review="accepted")
    with cli_env.session() as session:
        section = session.get(DraftSection, "identity")
        assert section is not None
        section.text = legacy
    for fmt in ("md", "html", "docx", "yaml"):
        target = tmp_path / f"legacy.{fmt}"
        assert main(["policy", "export", "--format", fmt, "--draft", "-o", str(target)]) == 0
        content = document_text(target.read_bytes(), fmt)
        assert "Oud[2J tekst" in content and not any(c in content for c in UNWANTED), fmt
    capsys.readouterr()


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in [key, *_strings(item)]]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_a_json_text_said_clean_parses_to_data_cleaning_leaves_as_it_is() -> None:
    # What lets an event's body skip the cleaning's walk (`kit.incoming`): never True of a
    # text with a string the walk would change, whichever way the text spells it.
    rng = random.Random(20261203)
    letters = ["a", " ", "é", "\n", "\t", '"', "\\", "/", "u", "\r", "\x00", "\x1b", "\x7f"]
    letters += ["\x85", "\u200e", "\u202e", "\u2067", "\ud800", "💬", "\u00e9"]

    def value(depth: int = 0) -> Any:
        if depth > 2 or rng.random() < 0.4:
            return rng.choice(
                [None, 1, 2.5, True, "".join(rng.choices(letters, k=rng.randint(0, 6)))]
            )
        if rng.random() < 0.5:
            return [value(depth + 1) for _ in range(rng.randint(0, 3))]
        return {
            "".join(rng.choices(letters, k=rng.randint(0, 3))): value(depth + 1) for _ in range(3)
        }

    said_clean = 0
    for _ in range(5000):
        data = value()
        for text in (json.dumps(data), json.dumps(data, ensure_ascii=False)):
            if not json_text_is_clean(text):
                continue
            said_clean += 1
            parsed = json.loads(text)
            assert all(clean_text(s) == s for s in _strings(parsed)), text
            assert clean_data(json.loads(text)) == parsed
    assert said_clean > 1000  # it does say so of clean texts
    assert json_text_is_clean('{"text": "mag ik dit posten: caf\u00e9 \\"x\\" \\/ \\n"}')
    for dirty in ('"\\u00e9"', '"\\r"', '"\\b"', '"\\f"', '"\x7f"', '"\u202e"', '"\ud800"'):
        assert not json_text_is_clean(dirty), dirty
