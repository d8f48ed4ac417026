"""`/policy gaps`: uncovered questions grouped by similarity, each with a start-drafting button."""

from __future__ import annotations

from sqlalchemy import select

from bot import people
from bot.asking.gaps import SectionIndex, section_profiles
from bot.policy.validation import parse_policy
from bot.storage.models.drafting import DraftingSession
from handlers.kit.payloads import GapSection
from tests.driver import ADMIN, SlackDriver
from tests.payloads import buttons, text_of
from tests.samples import sample_policy_data
from tests.seed import adopt


def test_gaps_are_grouped_with_a_button_to_start_drafting(running: SlackDriver) -> None:
    adopt(running.db)
    with running.db.session() as session:
        people.grant(session, ADMIN, "UCOMMS01", people.COMMS_LEAD)
    for user, question in (
        ("UEMP0002", "who the dress code for the staff Christmas party"),
        ("UWG00002", "who dress code for the Christmas party this year"),
        ("UEMP0001", "who mag ik op TikTok dansvideo's maken tijdens de lunchpauze"),
    ):
        running.command(user, question)
    running.command("UEMP0002", "who Who handles FOI requests?")  # covered: no gap

    running.command("UCOMMS01", "gaps")
    answer = running.last_reply()
    text = text_of(answer)
    assert "3 in 2 groups" in text
    assert "2×" in text and "dress code" in text and "TikTok" in text
    assert "FOI" not in text
    found = buttons(answer.get("blocks"), "asking_gap_draft")
    assert len(found) == 2
    assert all(
        GapSection.decode(b["value"]).section
        in {
            "cover",
            "ownership",
            "purpose",
            "identity",
            "employees",
            "communications",
            "practice",
            "adoption",
        }
        for b in found
    )


def test_gaps_are_for_the_comms_lead(running: SlackDriver) -> None:
    adopt(running.db)
    running.command("UEMP0002", "gaps")
    assert "only someone with the role" in running.last_reply_text()


def test_no_gaps_yet(running: SlackDriver) -> None:
    adopt(running.db)
    running.command(ADMIN, "gaps")
    assert "No uncovered questions" in running.last_reply_text()


def test_the_gap_button_starts_a_drafting_session_on_that_section(running: SlackDriver) -> None:
    adopt(running.db)
    running.command("UEMP0002", "who the dress code for the staff Christmas party")
    running.command(ADMIN, "gaps", channel="C0DRAFT")
    button = buttons(running.last_reply().get("blocks"), "asking_gap_draft")[0]

    running.block_action(
        ADMIN,
        {"action_id": "asking_gap_draft", "block_id": "gap", "value": button["value"]},
        channel="C0DRAFT",
    )
    with running.db.session() as session:
        started = session.scalars(select(DraftingSession)).all()
    section = GapSection.decode(button["value"]).section
    assert [(s.section_id, s.channel) for s in started] == [(section, "C0DRAFT")]
    assert running.fake.bot_messages("C0DRAFT"), "the session was announced in the channel"


def test_only_a_comms_lead_may_press_the_gap_button(running: SlackDriver) -> None:
    adopt(running.db)
    running.block_action(
        "UEMP0002",
        {"action_id": "asking_gap_draft", "block_id": "gap", "value": "practice"},
        channel="C0DRAFT",
    )
    assert "only someone with the role" in running.last_reply_text()
    with running.db.session() as session:
        assert session.scalars(select(DraftingSession)).all() == []


def test_the_likely_section_follows_the_rare_words() -> None:
    index = SectionIndex(section_profiles(parse_policy(sample_policy_data())))
    assert index.best("mag ik op TikTok dansvideo's maken in de lunchpauze?") == "practice"
    assert index.best("what is our motto online?") == "identity"
    assert index.best("hmm") == "employees"  # nothing to go on
