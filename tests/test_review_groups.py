"""Groups (policy-format.md) defined from Slack user groups, and used by rules."""

from __future__ import annotations

from sqlalchemy import select

from bot.reviewing import items
from bot.storage.models.policy import DraftGroup
from tests.driver import LEAD, SlackDriver
from tests.payloads import select_value, text_value
from tests.seed import make_lead


def test_define_a_group_from_a_slack_user_group(running: SlackDriver) -> None:
    make_lead(running.db)
    running.fake.add_usergroup("S0BOAS001", "boas", ["UEMP0001"])
    running.fake.add_usergroup("S0YOUTH01", "jongerenwerk", ["UEMP0002"])
    running.command(LEAD, "groups")
    assert "No groups yet" in running.last_reply_text()
    running.press(LEAD, running.find_button("review_group_add"))
    view = running.opened_view()
    assert running.fake.calls_for("usergroups.list")
    picker = next(b for b in view["blocks"] if b.get("block_id") == "slack")
    assert {o["value"] for o in picker["element"]["options"]} == {"@boas", "@jongerenwerk"}

    missing = running.submit(
        LEAD,
        view,
        {
            "id": text_value("boa"),
            "name": text_value("Boa's"),
            "slack": select_value(None),
            "slack_typed": text_value(""),
        },
    )
    assert missing["response_action"] == "errors" and "slack_typed" in missing["errors"]
    reserved = running.submit(
        LEAD,
        view,
        {
            "id": text_value("all"),
            "name": text_value("Everyone"),
            "slack": select_value("@boas"),
            "slack_typed": text_value(""),
        },
    )
    assert reserved["response_action"] == "errors" and "id" in reserved["errors"]
    done = running.submit(
        LEAD,
        view,
        {
            "id": text_value("boa"),
            "name": text_value("Boa's"),
            "slack": select_value("@boas"),
            "slack_typed": text_value(""),
        },
    )
    assert done is None
    with running.db.session() as session:
        group = session.scalars(select(DraftGroup)).one()
        assert (group.group_id, group.name, group.slack) == ("boa", "Boa's", "@boas")

    # a rule can now apply to the group; the rule modal offers it
    running.command(LEAD, "review employees")
    running.press(LEAD, running.find_button("review_rule_add"))
    rule_view = running.opened_view()
    applies = next(b for b in rule_view["blocks"] if b.get("block_id") == "applies_to")
    assert [o["value"] for o in applies["element"]["options"]] == ["boa"]
    with running.db.session() as session:
        items.save_role(
            session, LEAD, {"id": "comms", "name": "Comms", "contact": "#c", "handles": "All"}
        )
        items.save_rule(
            session,
            LEAD,
            {
                "id": "B1",
                "verdict": "forbidden",
                "text": "No uniforms.",
                "role": "comms",
                "applies_to": ["boa"],
            },
        )
    # …and a group that a rule applies to cannot be removed
    running.command(LEAD, "groups")
    running.press(LEAD, running.find_button("review_group_remove"))
    assert "B1" in running.last_reply_text()
    with running.db.session() as session:
        assert session.scalars(select(DraftGroup)).one().group_id == "boa"


def test_a_typed_user_group_when_slack_gives_no_list(running: SlackDriver) -> None:
    make_lead(running.db)
    running.fake.fail_next("usergroups.list", status=200, error="missing_scope")
    running.command(LEAD, "groups")
    running.press(LEAD, running.find_button("review_group_add"))
    view = running.opened_view()
    assert all(b.get("block_id") != "slack" for b in view["blocks"])
    assert (
        running.submit(
            LEAD,
            view,
            {
                "id": text_value("editors"),
                "name": text_value("Redactie"),
                "slack_typed": text_value("S0EDIT001"),
            },
        )
        is None
    )
    with running.db.session() as session:
        assert session.scalars(select(DraftGroup)).one().slack == "S0EDIT001"
