"""The cover sheet from the group's answers (accepted answers to the cover question become the
decisions, editable on the cover's review page, proposed to management at adoption), and one
policy language whoever drafts (standard rules and roles in it; changing it rewrites what the
bot wrote and nobody changed)."""

from __future__ import annotations

from sqlalchemy import select

from bot.reviewing.draft import cover_decisions, setting
from bot.storage.models.policy import DraftRole, DraftRule
from tests.driver import DRAFT_CHANNEL, LEAD, WENDY, WILLEM, SlackDriver
from tests.payloads import element, select_value, text_of, text_value
from tests.seed import accept, contributions, decide, make_lead, working_group


def _decisions(running: SlackDriver) -> list[str]:
    with running.db.session() as session:
        return cover_decisions(session)


def test_accepted_cover_answers_become_the_decisions(running: SlackDriver) -> None:
    make_lead(running.db)
    working_group(running.db, WILLEM, WENDY)
    cover = running.start_draft(WILLEM, "voorblad")
    running.message(
        WILLEM, DRAFT_CHANNEL, "- Iedereen mag posten\n- Webcare 0,8 fte", thread_ts=cover
    )
    running.message(WENDY, DRAFT_CHANNEL, "Communicatie beheert de accounts", thread_ts=cover)
    willem, wendy = contributions(running.db)
    assert _decisions(running) == []  # proposed only

    accept(running.db, willem.id, wendy.id)
    assert _decisions(running) == [
        "Iedereen mag posten",
        "Webcare 0,8 fte",
        "Communicatie beheert de accounts",
    ]
    decide(running.db, "rejected", wendy.id)  # what a rejection added leaves again
    assert _decisions(running) == ["Iedereen mag posten", "Webcare 0,8 fte"]

    # Editable on the cover's review page; a later acceptance adds to what the lead wrote.
    running.command(LEAD, "review voorblad")
    page = running.last_reply_text()
    assert "Decisions management is asked to take" in page and "2. Webcare 0,8 fte" in page
    running.press(LEAD, running.find_button("review_decisions_edit"))
    modal = running.opened_view()
    assert modal["callback_id"] == "review_decisions_modal"
    running.submit(
        LEAD, modal, {"decisions": text_value("Iedereen mag posten\nWebcare krijgt 1 fte\n\n")}
    )
    assert "The cover now proposes 2 decisions." in running.last_reply_text()
    decide(running.db, "accepted", wendy.id)
    assert _decisions(running) == [
        "Iedereen mag posten",
        "Webcare krijgt 1 fte",
        "Communicatie beheert de accounts",
    ]
    # Willem's answer is undone: the line the lead rewrote is the lead's now and stays.
    decide(running.db, "pending", willem.id)
    assert _decisions(running) == ["Webcare krijgt 1 fte", "Communicatie beheert de accounts"]

    # The cover's answers are not pasted into the cover's text as well.
    running.command(LEAD, "review voorblad")
    running.press(LEAD, running.find_button("review_edit_text"))
    assert "Communicatie beheert" not in str(running.opened_view()["blocks"])


def test_an_english_member_picks_dutch_standard_rules_for_a_dutch_policy(
    running: SlackDriver,
) -> None:
    make_lead(running.db)
    working_group(running.db, WENDY)  # Wendy's Slack speaks English
    with running.db.session() as session:
        from bot.reviewing.draft import LANGUAGE, put_setting

        put_setting(session, LANGUAGE, "nl", "test")  # a Dutch municipality's policy
    root = running.start_draft(WENDY, "employees")
    opening = text_of(running.fake.message(DRAFT_CHANNEL, root))
    assert "This policy is written in Dutch" in opening  # the bot's words: her language
    for _ in range(4):
        running.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)
    library = running.last_post(root)
    assert "Choose standard rules" in str(element(library, "drafting_library_select")[1])
    running.click(WENDY, library, "drafting_library_select", selected=["std-press"])
    (pick,) = contributions(running.db)
    assert pick.text == "Vragen van journalisten"  # her pick, written in the policy's language
    accept(running.db, pick.id)
    with running.db.session() as session:
        rule = session.scalars(select(DraftRule)).one()
        role = session.scalars(select(DraftRole).where(DraftRole.role_id == rule.role)).one()
    assert (
        rule.text.startswith("Krijg je een vraag van een journalist") or "journalist" in rule.text
    )
    assert role.name == "Persvoorlichting en woordvoering"

    # The lead switches the policy to English: what nobody changed follows.
    running.command(LEAD, "review")
    running.press(LEAD, running.find_button("review_settings"))
    running.submit(
        LEAD,
        running.opened_view(),
        {
            "organisation": text_value("Example Ltd"),
            "language": select_value("en"),
            "version": text_value(""),
            "default_verdict": select_value("allowed"),
            "default_role": select_value(role.role_id),
        },
    )
    with running.db.session() as session:
        rule_after = session.scalars(select(DraftRule)).one()
        role_after = session.get(DraftRole, role.pk)
        assert setting(session, "language") == "en"
    assert role_after is not None and role_after.name == "Press office and spokespeople"
    assert rule_after.text.startswith("Approached online by a journalist")


def test_the_policy_language_is_set_at_the_start_from_the_organisations(
    running: SlackDriver,
) -> None:
    working_group(running.db, WENDY)
    running.start_draft(WENDY, "purpose")  # the settings' language is English here
    with running.db.session() as session:
        assert setting(session, "language") == "en"
