"""Roles, refusals, help and language, through signed slash commands."""

from __future__ import annotations

from sqlalchemy import select

from bot import people
from bot.storage.models.people import RoleChange
from tests.driver import ADMIN, SlackDriver


def test_employee_is_refused_with_the_role_it_needs(running: SlackDriver) -> None:
    running.command("UEMP0002", "role add <@UEMP0001|erik> comms-lead")
    reply = running.last_reply_text()
    assert "only someone with the role *admin*" in reply
    assert running.fake.last("response_url").args.get("response_type") == "ephemeral"
    with running.db.session() as session:
        assert not people.has_role(session, frozenset(), "UEMP0001", people.COMMS_LEAD)


def test_refusal_is_in_the_askers_language(running: SlackDriver) -> None:
    running.command("UEMP0001", "role add <@UEMP0002|emma> admin")  # erik speaks Dutch
    assert "dat mag alleen iemand met de rol *beheerder*" in running.last_reply_text()


def test_admin_grants_and_removes_roles_and_every_change_is_recorded(running: SlackDriver) -> None:
    slack = running
    slack.command(ADMIN, "role add <@UCOMMS01|carla> comms-lead")
    assert "<@UCOMMS01> is now *communications lead*" in running.last_reply_text()
    # A comms lead composes the working group, but may not make admins.
    slack.command("UCOMMS01", "role add <@UWG00002|wendy> working-group")
    assert "is now *working group*" in running.last_reply_text()
    slack.command("UCOMMS01", "role add <@UWG00002|wendy> admin")
    assert "*admin*" in running.last_reply_text() and "only someone" in running.last_reply_text()
    slack.command(ADMIN, "role remove <@UWG00002|wendy> working-group")
    assert "no longer *working group*" in running.last_reply_text()

    with running.db.session() as session:
        changes = [
            (c.actor, c.action, c.user_id, c.role)
            for c in session.scalars(select(RoleChange).order_by(RoleChange.id))
        ]
    assert changes == [
        (ADMIN, "add", "UCOMMS01", "comms_lead"),
        ("UCOMMS01", "add", "UWG00002", "working_group"),
        (ADMIN, "remove", "UWG00002", "working_group"),
    ]
    slack.command("UEMP0002", "role list")
    listing = running.last_reply_text()
    assert "<@UCOMMS01>: communications lead (added by <@UADMIN01>" in listing
    assert "removed <@UWG00002> as working group" in listing


def test_bad_role_input_changes_nothing(running: SlackDriver) -> None:
    running.command(ADMIN, "role add <@UEMP0001|erik> overlord")
    assert "`overlord` is not a role" in running.last_reply_text()
    running.command(ADMIN, "role add everyone admin")
    assert "`everyone` is not a person" in running.last_reply_text()
    running.command(ADMIN, "role add")
    assert "/policy role add @user ROLE" in running.last_reply_text()
    with running.db.session() as session:
        assert list(session.scalars(select(RoleChange))) == []


def test_help_lists_subcommands_in_each_language(running: SlackDriver) -> None:
    running.command("UEMP0002", "help")
    english = running.last_reply_text()
    assert "`/policy help [COMMAND]`: this list" in english and "`/policy role" in english
    running.command("UEMP0001", "help")
    assert "`/policy help [OPDRACHT]`: dit overzicht" in running.last_reply_text()


def test_unknown_subcommand_gets_help_not_silence(running: SlackDriver) -> None:
    running.command("UEMP0002", "frobnicate now")
    replies = [c.args.get("text", "") for c in running.fake.calls_for("response_url")]
    assert any("I don't know `/policy frobnicate`" in r for r in replies)
    assert any("`/policy help [COMMAND]`: this list" in r for r in replies)


def test_empty_command_shows_help(running: SlackDriver) -> None:
    running.command("UEMP0002", "")
    assert "`/policy help [COMMAND]`: this list" in running.last_reply_text()


def test_language_lookup_is_cached_in_the_database(running: SlackDriver) -> None:
    running.command("UEMP0001", "help")
    running.command("UEMP0001", "help")
    looked_up = [
        c for c in running.fake.calls_for("users.info") if c.args.get("user") == "UEMP0001"
    ]
    assert len(looked_up) == 1
    assert str(looked_up[0].args.get("include_locale")).lower() in ("true", "1")


def test_mentions_in_echoed_text_never_ping(running: SlackDriver) -> None:
    running.command("UEMP0002", "<!channel> <!here> <@UADMIN01> &")
    replies = " ".join(c.args.get("text", "") for c in running.fake.calls_for("response_url"))
    assert "<!channel>" not in replies and "<!here>" not in replies and "<@UADMIN01>" not in replies
    assert "&lt;!channel&gt;" in replies
    running.command(ADMIN, "role add <!everyone> admin")
    assert (
        "&lt;!everyone&gt;" in running.last_reply_text()
        and "<!everyone>" not in running.last_reply_text()
    )
