"""An honest adoption gate: step 1 of `/policy adopt` lists what is not ready; it refuses while
the format is broken (in the lead's language); the rest needs an explicit confirmation, which
is kept with the approval; what changed between the steps is caught; counts are right."""

from __future__ import annotations

from sqlalchemy import select

from bot.reviewing import items
from bot.storage.models.policy import AuditEntry, DraftRole, DraftRule, PolicyVersion
from bot.storage.models.reviewing import VersionRecord
from tests.driver import CARLA, DRAFT_CHANNEL, ERIK, LEAD, WILLEM, SlackDriver, approval_values
from tests.payloads import blocks_text, multi_value, select_value, text_value
from tests.samples import minimal_policy_data
from tests.seed import add_contribution, load_sample_draft, make_lead, working_group

TICK = {"confirm_unready": multi_value(["confirmed"], "checkboxes")}


def _minimal_draft(running: SlackDriver) -> None:
    from bot.policy.validation import parse_policy
    from bot.reviewing.draft import replace_draft

    data = minimal_policy_data()
    data["sections"] += [{"id": "identity", "title": "Identiteit", "text": ""}]
    data["rules"].append({"id": "R2", "verdict": "allowed", "text": "Vacatures delen."})
    with running.db.session() as session:
        replace_draft(session, parse_policy(data), "test")


def test_step_one_lists_what_is_not_ready_and_needs_a_tick(running: SlackDriver) -> None:
    make_lead(running.db)
    _minimal_draft(running)
    add_contribution(running.db, "identity", "identity.mission", WILLEM, "Open en nabij.")
    add_contribution(running.db, "identity", "identity.voice", WILLEM, "Je en jij.", minutes=1)

    running.command(LEAD, "review")
    overview = running.all_reply_text()
    assert "Ready to adopt" not in overview and "Not ready yet" in overview

    running.command(LEAD, "adopt")
    confirm = running.opened_view()
    shown = blocks_text(confirm["blocks"])
    assert "2 sections (1 with text), 2 rules, 1 role" in shown  # rules in no section
    assert "2 contributions still waiting for review, in Identiteit" in shown
    assert "1 section with neither text nor rules: Identiteit" in shown
    assert "1 rule names nobody to ask: `R2`" in shown
    assert "asks management to decide nothing" in shown

    # Without the tick, a forged or hurried submission goes nowhere.
    refused = running.submit(LEAD, confirm, {})
    assert refused["response_action"] == "errors" and "confirm_unready" in refused["errors"]
    step2 = running.submit(LEAD, confirm, TICK)
    approval = step2["view"] | {"id": confirm["id"]}
    assert "asks management to decide nothing" in blocks_text(approval["blocks"])
    running.submit(LEAD, approval, approval_values())

    with running.db.session() as session:
        record = session.get(VersionRecord, 1)
        adopt = session.scalars(select(AuditEntry).where(AuditEntry.action == "adopt")).one()
    assert record is not None
    codes = {item["code"]: item for item in record.acknowledged}
    assert codes["pending_contributions"] == {
        "code": "pending_contributions",
        "items": ["identity"],
        "count": 2,
    }
    assert set(codes) == {
        "pending_contributions",
        "empty_sections",
        "rules_without_role",
        "no_decisions",
    }
    assert adopt.after["acknowledged"] == record.acknowledged  # in the approval's trail too


def test_what_changes_between_the_steps_is_caught(running: SlackDriver) -> None:
    make_lead(running.db)
    working_group(running.db, WILLEM)
    load_sample_draft(running.db)
    running.command(LEAD, "adopt")
    confirm = running.opened_view()
    approval = running.submit(LEAD, confirm, {})["view"] | {"id": confirm["id"]}
    # Meanwhile an answer arrives: the draft is the same, but what is not ready is not.
    add_contribution(running.db, "identity", "identity.mission", WILLEM, "Nieuw idee.")
    answer = running.submit(LEAD, approval, approval_values())
    assert answer["response_action"] == "errors"
    assert "changed after you opened this" in answer["errors"]["approved_by"]
    with running.db.session() as session:
        assert session.scalars(select(PolicyVersion)).first() is None


def test_a_broken_format_is_refused_in_the_leads_language(running: SlackDriver) -> None:
    make_lead(running.db, ERIK)  # Erik's Slack speaks Dutch
    load_sample_draft(running.db)
    with running.db.session() as session:  # as an edited import might leave it
        role = session.scalars(select(DraftRole).where(DraftRole.role_id == "webcare")).one()
        role.contact = ""
        rule = session.scalars(select(DraftRule).where(DraftRule.rule_id == "R10")).one()
        rule.patterns = ["(kapot"]
    running.command(ERIK, "adopt", DRAFT_CHANNEL)
    refusal = running.last_reply_text()
    assert "kan nog niet worden vastgesteld" in refusal
    assert "noemen niemand om te benaderen: `webcare`" in refusal
    assert "`rules[9].patterns[0]:" in refusal and "reguliere expressie" in refusal
    assert "regular expression" not in refusal
    assert running.fake.last("views.open") is None  # refused: nothing opened


def test_the_announcement_counts_the_sections_the_rules_are_in(running: SlackDriver) -> None:
    make_lead(running.db)
    _minimal_draft(running)
    with running.db.session() as session:
        for n in range(3, 11):
            items.save_rule(
                session,
                CARLA,
                {
                    "id": f"R{n}",
                    "verdict": "allowed",
                    "text": f"Regel {n}.",
                    "section": "identity" if n % 2 else "purpose",
                },
            )
    running.adopt_from_slack()
    posted = running.announcement()
    assert "De eerste vastgestelde versie: 10 regels in 2 onderdelen." in blocks_text(
        posted["blocks"]
    )


def test_format_problems_in_modals_are_in_the_leads_language(running: SlackDriver) -> None:
    make_lead(running.db, ERIK)  # Erik's Slack speaks Dutch
    running.command(ERIK, "review medewerkers", DRAFT_CHANNEL)
    running.press(ERIK, running.find_button("review_rule_add"), channel=DRAFT_CHANNEL)
    view = running.opened_view()
    assert view["title"]["text"] == "Regel"
    answer = running.submit(
        ERIK,
        view,
        {
            "id": text_value("R 1"),
            "verdict": select_value("review"),
            "text": text_value("Vraag het eerst."),
            "keywords": text_value(""),
            "patterns": text_value("(kapot"),
        },
    )
    errors = answer["errors"]
    assert "Geen geldige reguliere expressie" in errors["patterns"]
    assert "korte id" in errors["id"]
    assert not any("regular expression" in e or "not a" in e for e in errors.values())

    running.command(ERIK, "review", DRAFT_CHANNEL)
    running.press(ERIK, running.find_button("review_settings"), channel=DRAFT_CHANNEL)
    settings = running.submit(
        ERIK,
        running.opened_view(),
        {
            "organisation": text_value(""),
            "language": select_value("nl"),
            "default_verdict": select_value("allowed"),
        },
    )
    assert settings["errors"]["organisation"] == "Vul dit in, alsjeblieft."
