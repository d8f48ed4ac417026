"""`/policy adopt` from Slack in three steps, the diff announcement, refusals, going back."""

from __future__ import annotations

from sqlalchemy import select

from bot.reviewing import items, sections
from bot.reviewing.draft import rule_dict
from bot.storage.models.policy import DraftRule, PolicyVersion
from bot.storage.models.reviewing import VersionRecord
from tests.driver import GENERAL, LEAD, SlackDriver, approval_values
from tests.payloads import blocks_text, text_of
from tests.seed import add_contribution, load_sample_draft, make_lead


def announcements(running: SlackDriver, channel: str = GENERAL) -> list[str]:
    return [
        text_of(c.args)
        for c in running.fake.calls_for("chat.postMessage")
        if c.args.get("channel") == channel
    ]


def test_adoption_in_three_steps_freezes_and_announces(running: SlackDriver) -> None:
    make_lead(running.db)
    load_sample_draft(running.db)
    running.command(LEAD, "adopt")
    confirm = running.opened_view()
    shown = blocks_text(confirm["blocks"])
    assert "version 1" in shown and "24 rules" in shown and "first adopted version" in shown

    step2 = running.submit(LEAD, confirm, {})
    approval = step2["view"] | {"id": confirm["id"]}
    # the decisions come prefilled from the imported cover sheet
    decisions = next(b for b in approval["blocks"] if b.get("block_id") == "decisions")
    assert "Medewerkers mogen over hun werk posten" in decisions["element"]["initial_value"]

    missing = running.submit(LEAD, approval, approval_values(by=" ") | {"announce": {}})
    assert missing["response_action"] == "errors"
    assert set(missing["errors"]) == {"approved_by", "announce"}

    done = running.submit(LEAD, approval, approval_values())
    assert "2026.1" in blocks_text(done["view"]["blocks"])
    assert "<#C0GENERAL>" in blocks_text(done["view"]["blocks"])  # says where it is announced
    with running.db.session() as session:
        version = session.scalars(select(PolicyVersion)).one()
        assert (version.number, version.label, version.approved_by) == (1, "2026.1", "Directie")
        assert version.decisions == [
            "Medewerkers mogen over hun werk posten",
            "Communicatie is eigenaar",
        ]
        assert version.document["adopted"]["by"] == "Directie"
        assert len(version.document["rules"]) == 24
        assert version.announced_in == "C0GENERAL"
        assert session.get(VersionRecord, 1).source == "draft"
    posted = announcements(running)
    assert len(posted) == 1 and "Versie 2026.1" in posted[0]  # in the policy's language
    assert "Directie" in posted[0]
    assert running.fake.last("views.update") is None  # nothing to correct


def test_an_announcement_that_cannot_be_posted_is_reported(running: SlackDriver) -> None:
    make_lead(running.db)
    load_sample_draft(running.db)
    running.fake.fail_next("chat.postMessage", status=200, error="not_in_channel")
    running.adopt_from_slack()
    update = running.fake.last("views.update")
    assert update is not None and "could not post" in blocks_text(update.args["view"]["blocks"])
    assert "could not post" in running.last_reply_text()
    with running.db.session() as session:  # adopted all the same
        assert session.scalars(select(PolicyVersion)).one().number == 1


def test_second_adoption_announces_a_short_diff(running: SlackDriver) -> None:
    make_lead(running.db)
    load_sample_draft(running.db)
    running.adopt_from_slack()
    with running.db.session() as session:  # the next round: remove, change, add, rewrite
        rows = {r.rule_id: r for r in session.scalars(select(DraftRule))}
        items.remove_rule(session, LEAD, rows["R24"].pk)
        changed = rule_dict(rows["R10"]) | {"text": "Show what you are proud of."}
        items.save_rule(session, LEAD, changed, rows["R10"].pk)
        items.save_rule(
            session,
            LEAD,
            {"id": "R25", "verdict": "forbidden", "text": "No <!channel> pings.", "role": "pers"},
        )
        sections.save_section(session, LEAD, "purpose", "A new purpose.", "nl")

    running.command(LEAD, "adopt")
    confirm = blocks_text(running.opened_view()["blocks"])
    assert "R25" in confirm and "R24" in confirm and "R10" in confirm
    running.adopt_from_slack()

    posted = announcements(running)[-1]
    assert "Versie 2026.2" in posted and "sinds versie 2026.1" in posted
    assert "Regels toegevoegd: `R25`" in posted
    assert "Regels verwijderd: `R24`" in posted
    assert "Regels gewijzigd: `R10`" in posted
    assert "Onderdelen gewijzigd: Waarom dit beleid" in posted
    with running.db.session() as session:
        versions = session.scalars(select(PolicyVersion).order_by(PolicyVersion.number)).all()
        assert [v.label for v in versions] == ["2026.1", "2026.2"]
        # version 1 is untouched by the second round
        assert "R24" in {r["id"] for r in versions[0].document["rules"]}
        assert "R24" not in {r["id"] for r in versions[1].document["rules"]}
        assert session.get(VersionRecord, 2).changes["rules_added"] == ["R25"]


def test_adopting_without_rules_is_refused_with_the_reason(running: SlackDriver) -> None:
    make_lead(running.db)
    add_contribution(running.db, "purpose", "purpose.why", "UWG00001", "Because.")
    running.command(LEAD, "adopt")
    text = running.last_reply_text()
    assert "cannot be adopted" in text and "no rules at all" in text
    assert running.fake.last("views.open") is None
    with running.db.session() as session:
        assert session.scalars(select(PolicyVersion)).first() is None


def test_a_review_rule_without_a_role_is_refused(running: SlackDriver) -> None:
    make_lead(running.db)
    load_sample_draft(running.db)
    with running.db.session() as session:
        rule = session.scalars(select(DraftRule).where(DraftRule.rule_id == "R05")).one()
        rule.role = None  # as a drafting answer may leave it
    running.command("UWG00001", "adopt")  # not a lead: refused, in Willem's Dutch
    assert "communicatieleider" in running.last_reply_text()
    running.command(LEAD, "adopt")
    text = running.last_reply_text()
    assert "`R05`" in text and "Give each a role" in text
    assert running.fake.last("views.open") is None
    with running.db.session() as session:
        assert session.scalars(select(PolicyVersion)).first() is None


def test_a_draft_that_changed_since_step_one_is_not_adopted(running: SlackDriver) -> None:
    make_lead(running.db)
    load_sample_draft(running.db)
    running.command(LEAD, "adopt")
    confirm = running.opened_view()
    step2 = running.submit(LEAD, confirm, {})
    with running.db.session() as session:
        sections.save_section(session, LEAD, "purpose", "Changed meanwhile.", "nl")
    answer = running.submit(LEAD, step2["view"] | {"id": confirm["id"]}, approval_values())
    assert answer["response_action"] == "errors" and "changed" in answer["errors"]["approved_by"]
    with running.db.session() as session:
        assert session.scalars(select(PolicyVersion)).first() is None


def test_adopted_lists_versions_and_readopts_an_earlier_one(running: SlackDriver) -> None:
    make_lead(running.db)
    load_sample_draft(running.db)
    running.adopt_from_slack()
    with running.db.session() as session:
        rows = {r.rule_id: r for r in session.scalars(select(DraftRule))}
        items.remove_rule(session, LEAD, rows["R24"].pk)
    running.adopt_from_slack()

    running.command(LEAD, "adopted")
    listing = running.last_reply_text()
    assert "2026.2" in listing and "2026.1" in listing and "in force" in listing
    running.press(LEAD, running.find_button("review_readopt", '"number":1'))
    approval = running.opened_view()
    assert approval["callback_id"] == "review_adopt_approval"
    running.submit(LEAD, approval, approval_values(by="Directie, opnieuw"))

    with running.db.session() as session:
        versions = session.scalars(select(PolicyVersion).order_by(PolicyVersion.number)).all()
        assert [(v.number, v.based_on) for v in versions] == [(1, None), (2, None), (3, 1)]
        assert "R24" in {r["id"] for r in versions[2].document["rules"]}
        assert versions[2].label == "2026.3"
        assert versions[0].approved_by == "Directie"  # nothing rewritten
    posted = announcements(running)[-1]
    assert "opnieuw versie 2026.1" in posted and "Regels toegevoegd: `R24`" in posted


def test_only_a_lead_may_press_adopt_buttons(running: SlackDriver) -> None:
    make_lead(running.db)
    load_sample_draft(running.db)
    running.adopt_from_slack()
    running.adopt_from_slack()
    running.command(LEAD, "adopted")
    button = running.find_button("review_readopt")
    before = len(running.fake.calls_for("views.open"))
    running.press("UWG00002", button)
    assert "communications lead" in running.last_reply_text()
    assert len(running.fake.calls_for("views.open")) == before
