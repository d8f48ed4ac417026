"""Sections by their names in both languages (and their number), shown where people choose
one; and one open session per section: starting it again points to its thread, a new round is
a deliberate choice, also across channels and instances."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from bot.storage.models.drafting import DraftingSession
from tests.driver import DRAFT_CHANNEL, GENERAL, LEAD, WENDY, WILLEM, SlackDriver
from tests.payloads import text_of
from tests.seed import make_lead, session_row, working_group


def _open_sessions(running: SlackDriver) -> list[DraftingSession]:
    with running.db.session() as session:
        rows = list(
            session.scalars(select(DraftingSession).where(DraftingSession.status == "open"))
        )
        session.expunge_all()
        return rows


@pytest.mark.parametrize(
    ("typed", "section"),
    [
        ("identiteit", "identity"),
        ("medewerkers", "employees"),
        ("communicatie", "communications"),
        ("praktijk", "practice"),
        ("voorblad", "cover"),
        ("eigenaarschap", "ownership"),
        ("doel", "purpose"),
        ("vaststelling", "adoption"),
        ("Identity", "identity"),
        ("4", "identity"),
        ("ident", "identity"),
    ],
)
def test_a_section_by_any_of_its_names(running: SlackDriver, typed: str, section: str) -> None:
    working_group(running.db, WILLEM)
    root = running.start_draft(WILLEM, typed)
    assert session_row(running.db, root).section_id == section


def test_review_and_show_take_the_names_too(running: SlackDriver) -> None:
    make_lead(running.db)
    working_group(running.db, LEAD)
    running.command(LEAD, "review medewerkers")
    assert "Review of section `employees`" in running.last_reply_text()
    running.command(LEAD, "show praktijk")
    assert "Practice and protocols" in running.last_reply_text()
    running.command(LEAD, "show kantine")
    assert "`identiteit`" in running.last_reply_text()  # the usage lists the names


def test_help_draft_and_the_chooser_show_the_names(running: SlackDriver) -> None:
    working_group(running.db, WILLEM)
    running.command(WILLEM, "help draft", DRAFT_CHANNEL)
    shown = running.last_reply_text()
    assert "/policy draft [ONDERDEEL]" in shown  # Willem reads Dutch
    assert "4. *Onze online identiteit*: `identity` · `identiteit` · `online identity` · `4`" in (
        shown
    )
    running.command(WILLEM, "draft kantine", DRAFT_CHANNEL)
    chooser = running.last_reply_text()
    assert "Er is geen onderdeel `kantine`" in chooser
    assert "`employees` · `medewerkers` · `5`" in chooser


def test_starting_an_open_section_again_points_to_its_thread(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    root = running.start_draft(WILLEM, "identity", DRAFT_CHANNEL)
    running.message(WILLEM, DRAFT_CHANNEL, "next", thread_ts=root)
    before = len(running.fake.bot_messages(GENERAL))
    running.command(WENDY, "draft identiteit", GENERAL)  # another person, another channel
    pointer = running.last_reply()
    text = text_of(pointer)
    assert "already has an open session in <#C0DRAFT>" in text and "question 2 of 6" in text
    link = running.find_button("drafting_resume_identity")
    assert root.replace(".", "") in link["url"]
    assert len(running.fake.bot_messages(GENERAL)) == before  # nothing posted
    assert len(_open_sessions(running)) == 1

    # A new round is deliberate: the button closes the old session and starts one here.
    running.press(WENDY, running.find_button("drafting_new_round"), channel=GENERAL)
    deleted = [r for r in running.replies() if r.get("delete_original")]
    assert len(deleted) == 1  # the pointer with the button is gone
    (open_now,) = _open_sessions(running)
    assert open_now.channel == GENERAL and open_now.thread_ts != root
    assert session_row(running.db, root).status == "done"
    note = running.fake.bot_messages(DRAFT_CHANNEL, root)[-1]
    assert (
        "started a new round of this section" in note.text
        and open_now.channel in str(note.text)
        or "archives/C0GENERAL" in note.text
    )
    # The old thread's new-round button is stale now: pressing it again starts nothing new.
    running.press(WENDY, running.find_button("drafting_new_round"), channel=GENERAL)
    assert len(_open_sessions(running)) == 1


def test_two_instances_starting_one_section_at_once_open_one_session(
    running: SlackDriver,
) -> None:
    working_group(running.db, WILLEM, WENDY)
    with running.another_instance() as other, ThreadPoolExecutor(max_workers=2) as pool:
        list(
            pool.map(
                lambda pair: pair[0].command(pair[1], "draft purpose", pair[2]),
                [(running, WILLEM, DRAFT_CHANNEL), (other, WENDY, GENERAL)],
            )
        )
    opened = _open_sessions(running)
    assert len(opened) == 1
    # Whoever lost was pointed to the winner's thread, privately, or (when both posted at
    # once) the loser's message now points there.
    told = running.all_reply_text()
    posted = [
        text_of(m)
        for channel in (DRAFT_CHANNEL, GENERAL)
        for m in running.fake.bot_messages(channel)
        if not m.is_reply
    ]
    said = told + " ".join(posted)  # in the loser's language: Willem's is Dutch
    assert "already has an open session" in said or "heeft al een open sessie" in said
