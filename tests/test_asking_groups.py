"""Policy groups come from Slack user groups: a boa-only rule applies to members of @boas."""

from __future__ import annotations

from tests.driver import SlackDriver
from tests.seed import adopt

SELFIE = "check Selfie in my uniform during the evening shift downtown. Okay for my Insta?"


def test_a_group_rule_applies_to_members_of_the_slack_user_group(running: SlackDriver) -> None:
    adopt(running.db)
    running.fake.add_usergroup("S0BOAS001", "boas", ["UEMP0002"])

    running.command("UEMP0002", SELFIE)  # emma is a boa
    text = running.last_reply_text()
    assert "Don't post this" in text and "R20" in text
    lookups = running.fake.calls_for("usergroups.users.list")
    assert any(call.args.get("usergroup") == "S0BOAS001" for call in lookups)

    running.command("UWG00002", SELFIE)  # wendy is not
    text = running.last_reply_text()
    assert "R20" not in text and "No rule of the policy stands in the way" in text


def test_memberships_are_cached_in_the_database(running: SlackDriver) -> None:
    adopt(running.db)
    running.fake.add_usergroup("S0BOAS001", "boas", ["UEMP0002"])
    running.command("UEMP0002", SELFIE)
    asked = len(running.fake.calls_for("usergroups.users.list"))
    running.command("UEMP0002", SELFIE)
    assert len(running.fake.calls_for("usergroups.users.list")) == asked
    assert "R20" in running.last_reply_text()
