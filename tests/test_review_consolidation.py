"""`/policy review SECTION`: accept and reject contributions, write the section's text from
the accepted ones in question order, and edit rules and roles in modals with the format's
validation next to the field; every change attributed in the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import audit
from bot.storage.models.drafting import Contribution
from bot.storage.models.policy import DraftRole, DraftRule, DraftSection
from tests.driver import LEAD, SlackDriver
from tests.payloads import input_value, metadata, multi_value, select_value, text_of, text_value
from tests.seed import add_contribution, make_lead


def _purpose(running: SlackDriver) -> tuple[int, int, int]:
    db = running.db
    # Created out of question order on purpose: the prefill follows the template's questions.
    later = add_contribution(db, "purpose", "purpose.guidance", "UWG00002", "Guidance, not rules.")
    first = add_contribution(
        db, "purpose", "purpose.why", "UWG00001", "We want to be where residents are.", minutes=5
    )
    rejected = add_contribution(
        db, "purpose", "purpose.why", "UWG00002", "Because the board says so.", minutes=9
    )
    return later, first, rejected


def test_review_lists_contributions_with_buttons(running: SlackDriver) -> None:
    make_lead(running.db)
    _purpose(running)
    running.command(LEAD, "review purpose")
    text = running.all_reply_text()
    assert "We want to be where residents are." in text
    assert "Guidance, not rules." in text
    assert running.find_button("review_accept")
    assert running.find_button("review_reject")
    assert running.find_button("review_edit_text")
    assert running.find_button("review_rule_add")
    assert running.find_button("review_role_add")
    assert all(r["response_type"] == "ephemeral" for r in running.replies())


def test_accept_reject_then_edit_text_prefilled_in_question_order(running: SlackDriver) -> None:
    make_lead(running.db)
    later, first, rejected = _purpose(running)
    running.command(LEAD, "review purpose")
    for contribution in (later, first):
        running.press(LEAD, running.find_button("review_accept", f'"contribution":{contribution},'))
    running.press(LEAD, running.find_button("review_reject", f'"contribution":{rejected},'))

    with running.db.session() as session:
        states = {c.id: c.review for c in session.scalars(select(Contribution))}
        trail = audit.history(session, "purpose")
    assert states == {later: "accepted", first: "accepted", rejected: "rejected"}
    assert {(e.entity, e.action, e.actor) for e in trail} == {
        ("contribution", "accepted", LEAD),
        ("contribution", "rejected", LEAD),
    }
    # the click re-rendered the page it came from, with the new state
    assert running.replies()[-1]["replace_original"] is True

    running.press(LEAD, running.find_button("review_edit_text"))
    view = running.opened_view()
    assert view["callback_id"] == "review_text_modal"
    prefill = input_value(view, "text_0")
    assert prefill == "We want to be where residents are.\n\nGuidance, not rules."
    assert "board says so" not in prefill

    final = prefill + "\n\nWe listen, explain and help."
    answer = running.submit(
        LEAD,
        view,
        {"title": text_value("Why this policy"), "text_0": text_value(final)},
    )
    assert answer is None  # closed: saved
    with running.db.session() as session:
        row = session.get(DraftSection, "purpose")
        assert (row.title, row.text, row.updated_by) == ("Why this policy", final, LEAD)
        edit = [e for e in audit.history(session, "purpose") if e.entity == "section"][0]
    assert edit.actor == LEAD
    assert edit.before["text"] == "" and edit.after["text"] == final
    assert "Why this policy" in running.last_reply_text()  # told where it went


def test_rule_modal_shows_format_errors_next_to_the_field(running: SlackDriver) -> None:
    make_lead(running.db)
    running.command(LEAD, "review employees")
    running.press(LEAD, running.find_button("review_rule_add"))
    view = running.opened_view()
    assert view["callback_id"] == "review_rule_modal"
    assert input_value(view, "id") == "R01"

    answer = running.submit(
        LEAD,
        view,
        {
            "id": text_value("R01"),
            "verdict": select_value("review"),
            "text": text_value(""),
            "section": select_value("employees"),
            "keywords": text_value("journalist, reporter"),
            "unless": text_value(""),
            "detect": multi_value([], "checkboxes"),
            "patterns": text_value("(unclosed"),
        },
    )
    assert answer["response_action"] == "errors"
    errors = answer["errors"]
    assert set(errors) >= {"text", "patterns", "verdict"}  # no role block yet: review → verdict
    assert "regular expression" in errors["patterns"]
    with running.db.session() as session:
        assert session.scalars(select(DraftRule)).first() is None  # nothing stored


def test_add_role_then_rule_then_edit_and_remove(running: SlackDriver) -> None:
    make_lead(running.db)
    running.command(LEAD, "review employees")
    running.press(LEAD, running.find_button("review_role_add"))
    view = running.opened_view()
    bad = running.submit(
        LEAD,
        view,
        {
            "id": text_value("press"),
            "name": text_value("Press office"),
            "contact_typed": text_value("press office"),
            "handles": text_value("Questions from journalists"),
            "keywords": text_value("journalist\nreporter"),
        },
    )
    assert bad["response_action"] == "errors" and "contact_typed" in bad["errors"]
    assert (
        running.submit(
            LEAD,
            view,
            {
                "id": text_value("press"),
                "name": text_value("Press office"),
                "contact_typed": text_value("#press"),
                "handles": text_value("Questions from journalists"),
                "keywords": text_value("journalist\nreporter"),
            },
        )
        is None
    )

    running.command(LEAD, "review employees")
    assert "Press office" in running.all_reply_text()
    running.press(LEAD, running.find_button("review_rule_add"))
    view = running.opened_view()
    rule = {
        "id": text_value("R1"),
        "verdict": select_value("review"),
        "text": text_value("Refer journalists to the press office."),
        "section": select_value("employees"),
        "role": select_value("press"),
        "keywords": text_value("journalist, reporter"),
        "unless": text_value("job interview"),
        "detect": multi_value(["email"], "checkboxes"),
        "patterns": text_value(""),
    }
    assert running.submit(LEAD, view, rule) is None
    with running.db.session() as session:
        stored = session.scalars(select(DraftRule)).one()
        assert (stored.rule_id, stored.verdict, stored.role) == ("R1", "review", "press")
        assert stored.keywords == ["journalist", "reporter"] and stored.detect == ["email"]
        assert stored.unless == ["job interview"] and stored.created_by == LEAD

    # edit: the modal opens with the rule as it stands
    running.command(LEAD, "review employees")
    running.press(LEAD, running.find_button("review_rule_edit"))
    view = running.opened_view()
    assert input_value(view, "text") == "Refer journalists to the press office."
    edited = rule | {"verdict": select_value("forbidden"), "unless": text_value("")}
    assert running.submit(LEAD, view, edited) is None
    with running.db.session() as session:
        entry = [e for e in audit.history(session, "employees") if e.action == "edit"][0]
    assert entry.before["verdict"] == "review" and entry.after["verdict"] == "forbidden"
    assert "unless" in entry.before and "unless" not in entry.after

    # a role that a rule uses cannot be removed; the rule can
    running.command(LEAD, "review employees")
    running.press(LEAD, running.find_button("review_role_remove"))
    assert "R1" in running.last_reply_text()
    with running.db.session() as session:
        assert session.scalars(select(DraftRole)).one().role_id == "press"
    running.command(LEAD, "review employees")
    running.press(LEAD, running.find_button("review_rule_remove"))
    with running.db.session() as session:
        assert session.scalars(select(DraftRule)).first() is None
        removal = [e for e in audit.history(session, "employees") if e.action == "remove"][0]
    assert removal.before["id"] == "R1" and removal.after is None and removal.actor == LEAD


def test_unknown_section_is_answered_and_lists_the_sections(running: SlackDriver) -> None:
    make_lead(running.db)
    running.command(LEAD, "review <!channel>")
    text = running.last_reply_text()
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text
    assert "`purpose`" in text


def test_overview_without_a_section(running: SlackDriver) -> None:
    make_lead(running.db)
    add_contribution(running.db, "identity", "identity.mission", "UWG00001", "Open and near.")
    running.command(LEAD, "review")
    text = running.all_reply_text()
    assert "identity" in text and "no rules at all" in text
    assert running.find_button("review_open", "identity")
    assert running.find_button("review_settings")


def test_document_settings_modal(running: SlackDriver) -> None:
    make_lead(running.db)
    running.command(LEAD, "review")
    running.press(LEAD, running.find_button("review_settings"))
    view = running.opened_view()
    assert view["callback_id"] == "review_settings_modal"
    answer = running.submit(
        LEAD,
        view,
        {
            "organisation": text_value(""),
            "language": select_value("nl"),
            "version": text_value(""),
            "default_verdict": select_value("allowed"),
            "decisions": text_value("Employees may post about their work"),
        },
    )
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"organisation", "default_verdict"}  # no role yet


def test_a_long_text_is_edited_in_parts_and_comes_back_whole(running: SlackDriver) -> None:
    make_lead(running.db)
    paragraphs = [f"Paragraph {i}: " + "words " * 120 for i in range(12)]
    long_text = "\n\n".join(p.strip() for p in paragraphs)
    for i, paragraph in enumerate(paragraphs):
        add_contribution(
            running.db,
            "practice",
            "practice.goals",
            "UWG00001",
            paragraph,
            review="accepted",
            minutes=i,
        )
    running.command(LEAD, "review practice")
    running.press(LEAD, running.find_button("review_edit_text"))
    view = running.opened_view()
    parts = [b for b in view["blocks"] if str(b.get("block_id", "")).startswith("text_")]
    assert len(parts) >= 4
    values = {"title": text_value("Practice")}
    for block in parts:
        values[block["block_id"]] = text_value(block["element"].get("initial_value", ""))
    assert running.submit(LEAD, view, values) is None
    with running.db.session() as session:
        assert session.get(DraftSection, "practice").text == long_text
    assert metadata(view)["section"] == "practice"


def test_show_history_lists_the_consolidation_changes(running: SlackDriver) -> None:
    make_lead(running.db)
    later, first, _ = _purpose(running)
    running.command(LEAD, "review purpose")
    running.press(LEAD, running.find_button("review_accept", f'"contribution":{first},'))
    running.press(LEAD, running.find_button("review_edit_text"))
    view = running.opened_view()
    running.submit(
        LEAD,
        view,
        {"title": text_value("Why"), "text_0": text_value("Residents are online.")},
    )
    running.command(LEAD, "show purpose --history")
    text = running.last_reply_text()
    assert f"<@{LEAD}>" in text
    assert "Residents are online." in text
    assert "We want to be where residents are." in text


def test_a_section_missing_from_an_imported_draft_can_still_be_reviewed(
    running: SlackDriver,
) -> None:
    import yaml

    from bot.policy.validation import parse_policy
    from bot.reviewing.draft import replace_draft
    from tests.samples import SAMPLE_POLICY

    make_lead(running.db)
    data = yaml.safe_load(SAMPLE_POLICY.read_text("utf-8"))
    data["sections"] = [s for s in data["sections"] if s["id"] != "identity"]
    with running.db.session() as session:
        replace_draft(session, parse_policy(data), "test")
    add_contribution(running.db, "identity", "identity.mission", "UWG00001", "Open en nabij.")

    running.command(LEAD, "review identity")
    assert "Open en nabij." in running.all_reply_text()
    running.press(LEAD, running.find_button("review_edit_text"))
    view = running.opened_view()
    with running.db.session() as session:
        assert session.get(DraftSection, "identity") is None  # opening the modal wrote nothing
    running.submit(LEAD, view, {"title": text_value("Identiteit"), "text_0": text_value("Open.")})
    with running.db.session() as session:
        row = session.get(DraftSection, "identity")
        assert (row.title, row.text) == ("Identiteit", "Open.")
        last = max(s.position for s in session.scalars(select(DraftSection)))
        assert row.position == last  # appended after the imported sections


def test_a_written_text_can_be_rewritten_from_the_accepted_contributions(
    running: SlackDriver,
) -> None:
    make_lead(running.db)
    later, first, _ = _purpose(running)
    running.command(LEAD, "review purpose")
    running.press(LEAD, running.find_button("review_edit_text"))
    running.submit(
        LEAD,
        running.opened_view(),
        {"title": text_value("Why"), "text_0": text_value("Old.")},
    )
    running.command(LEAD, "review purpose")
    with pytest.raises(AssertionError):
        running.find_button("review_prefill")  # nothing accepted yet: nothing to offer
    running.press(LEAD, running.find_button("review_accept", f'"contribution":{first},'))
    running.press(LEAD, running.find_button("review_edit_text"))
    assert input_value(running.opened_view(), "text_0") == "Old."  # the text as written
    running.press(LEAD, running.find_button("review_prefill"))
    assert input_value(running.opened_view(), "text_0") == "We want to be where residents are."


def test_imported_roles_are_reachable_from_their_rules_and_the_other_page(
    running: SlackDriver,
) -> None:
    from tests.seed import load_sample_draft

    make_lead(running.db)
    load_sample_draft(running.db)
    running.command(LEAD, "review employees")
    text = running.all_reply_text()
    assert "Privacyteam en functionaris gegevensbescherming" in text  # R01 sends people there
    assert "Griffie" not in text  # no employees rule names the council clerk

    running.command(LEAD, "review")
    assert "Outside the sections* (`other`): 0 rules, 10 roles" in running.all_reply_text()
    running.press(LEAD, running.find_button("review_open", "_other"))
    other = running.all_reply_text()
    assert "Griffie" in other and "Rules and roles outside the sections" in other

    running.command(LEAD, "review other")
    running.press(LEAD, running.find_button("review_role_edit"))
    view = running.opened_view()
    assert input_value(view, "id") == "communicatie"
    running.submit(
        LEAD,
        view,
        {
            "id": text_value("communicatie"),
            "name": text_value("Afdeling Communicatie"),
            "contact_typed": text_value("#comms"),
            "handles": text_value("Dit beleid"),
            "keywords": text_value("communicatie"),
        },
    )
    with running.db.session() as session:
        role = session.scalars(select(DraftRole).where(DraftRole.role_id == "communicatie")).one()
        assert (role.contact, role.section) == ("#comms", None)


def test_a_long_section_is_paged_within_slack_limits(running: SlackDriver) -> None:
    make_lead(running.db)
    ids = [
        add_contribution(
            running.db, "identity", "identity.voice", "UWG00001", f"Idea {i}.", minutes=i
        )
        for i in range(60)
    ]
    running.command(LEAD, "review identity")
    assert len(running.replies()) == 1  # one message; the rest is a button away
    first = running.replies()[-1]
    assert len(first["blocks"]) <= 50
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in first["blocks"])
    assert "Idea 0." in text_of(first) and "Idea 59." not in text_of(first)

    def next_button(answer: dict) -> dict | None:
        elements = [e for b in answer["blocks"] for e in b.get("elements") or []]
        return next((e for e in elements if e.get("action_id") == "review_page_next"), None)

    pages = 1
    while (button := next_button(running.replies()[-1])) is not None:
        running.press(LEAD, button)
        pages += 1
        assert running.replies()[-1]["replace_original"] is True
        assert len(running.replies()[-1]["blocks"]) <= 50
    assert pages >= 3 and "Idea 59." in running.last_reply_text()

    # accepting on the last page re-renders the last page, not the first
    running.press(LEAD, running.find_button("review_accept", f'"contribution":{ids[-1]},'))
    assert "Idea 59." in running.last_reply_text()
    with running.db.session() as session:
        assert session.get(Contribution, ids[-1]).review == "accepted"
