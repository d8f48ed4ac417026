"""People, not ids, on the Slack side: a role's contact is picked with Slack's people and
channel pickers or from the user groups, or typed as people say it (`@lotte`, `@webcare`,
`#communicatie`) and found by name; the name is learned when chosen and kept with the id;
rename events refresh it; a CLI export afterwards shows names. In messages, dates are shown
in each reader's own time zone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import directory
from bot.storage.models.directory import KnownName
from bot.storage.models.policy import DraftRole
from runtime.cli import main
from tests.driver import LEAD, SlackDriver
from tests.payloads import input_value, text_value
from tests.seed import load_sample_draft, make_lead

LOTTE, WEBCARE, COMMS = "U0LOTTE01", "S0WEBCARE", "C0COMMS01"


def _scene(running: SlackDriver) -> None:
    make_lead(running.db)
    load_sample_draft(running.db)
    running.fake.add_user(LOTTE, "lotte", locale="nl-NL")
    running.fake.add_usergroup(WEBCARE, "webcare", [LOTTE])
    running.fake.add_channel(COMMS, "communicatie")


def _role_modal(running: SlackDriver) -> dict:
    running.command(LEAD, "review other")
    running.press(LEAD, running.find_button("review_role_edit"))
    return running.opened_view()


def _submit(running: SlackDriver, view: dict, **contact: dict) -> dict | None:
    values = {
        "id": text_value(input_value(view, "id")),
        "name": text_value(input_value(view, "name")),
        "handles": text_value("Alles wat naar buiten gaat"),
        "keywords": text_value(""),
    } | contact
    return running.submit(LEAD, view, values)


def _contact(running: SlackDriver, role_id: str) -> str:
    with running.db.session() as session:
        role = session.scalars(select(DraftRole).where(DraftRole.role_id == role_id)).one()
        return role.contact


def _names(running: SlackDriver) -> dict[str, str]:
    with running.db.session() as session:
        return {k.slack_id: k.name for k in session.scalars(select(KnownName))}


def test_contacts_are_picked_or_typed_and_kept_with_their_names(running: SlackDriver) -> None:
    _scene(running)
    view = _role_modal(running)
    role_id = input_value(view, "id")
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"] if b["type"] == "input"}
    assert kinds["contact_user"] == "users_select"
    assert kinds["contact_channel"] == "conversations_select"
    assert kinds["contact_usergroup"] == "static_select"  # Slack has no user-group picker
    assert kinds["contact_email"] == kinds["contact_typed"] == "plain_text_input"

    picked = {"a": {"type": "users_select", "selected_user": LOTTE}}
    assert _submit(running, view, contact_user=picked) is None
    assert _contact(running, role_id) == f"@{LOTTE}"
    assert _names(running)[LOTTE] == "lotte"  # users.info, when chosen

    for typed, stored, name in (
        ("@webcare", WEBCARE, "webcare"),
        ("#communicatie", f"#{COMMS}", "communicatie"),
        ("@lotte", f"@{LOTTE}", "lotte"),
    ):
        assert _submit(running, _role_modal(running), contact_typed=text_value(typed)) is None
        assert _contact(running, role_id) == stored
        assert _names(running)[stored.lstrip("@#")] == name
    # The modal opens again with the contact in its picker.
    assert _role_modal(running)["blocks"][3]["element"].get("initial_user") == LOTTE

    # Only Slack's answer shows nobody goes by the name: told after the ack, nothing saved.
    assert _submit(running, _role_modal(running), contact_typed=text_value("@nobody")) is None
    told = running.fake.bot_messages(running.fake.im_for(LEAD))[-1].text
    assert "not saved" in told and "`@nobody`" in told
    both = _submit(
        running,
        _role_modal(running),
        contact_user=picked,
        contact_email=text_value("pers@voorbeeld.nl"),
    )
    assert both["response_action"] == "errors" and "contact_email" in both["errors"]
    none = _submit(running, _role_modal(running))
    assert none["response_action"] == "errors" and "contact_user" in none["errors"]
    assert _contact(running, role_id) == f"@{LOTTE}"  # nothing changed by the refusals

    # The review shows people by name (a mention), never a bare id.
    running.command(LEAD, "review other")
    assert f"<@{LOTTE}>" in running.all_reply_text()


def test_rename_events_refresh_the_names_of_known_ids(
    running: SlackDriver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _scene(running)
    view = _role_modal(running)
    role_id = input_value(view, "id")
    _submit(running, view, contact_typed=text_value("#communicatie"))
    with running.db.session() as session:  # learned now, by the app's clock
        now = running.clock.now()
        directory.remember_name(session, LOTTE, directory.USER, "lotte", now)
        directory.remember_name(session, WEBCARE, directory.USERGROUP, "webcare", now)

    running.event({"type": "channel_rename", "channel": {"id": COMMS, "name": "comms-team"}})
    running.event(
        {
            "type": "user_change",
            "user": {"id": LOTTE, "name": "lotte", "profile": {"display_name": "Lotte de Vries"}},
        }
    )
    running.event({"type": "subteam_updated", "subteam": {"id": WEBCARE, "handle": "webcare-nl"}})
    running.event(
        {"type": "user_change", "user": {"id": "U0STRANGER", "profile": {"display_name": "X"}}}
    )
    names = _names(running)
    assert names[COMMS] == "comms-team" and names[LOTTE] == "Lotte de Vries"
    assert names[WEBCARE] == "webcare-nl"
    assert "U0STRANGER" not in names  # nobody's contact: not collected

    # A command-line export, without Slack, shows the names.
    target = tmp_path / "draft.md"
    monkeypatch.setenv("DATABASE_URL", running.db.url)
    monkeypatch.setenv("POLICYBOT_LANGUAGE", "nl")
    assert main(["policy", "export", "--format", "md", "--draft", "-o", str(target)]) == 0
    exported = target.read_text(encoding="utf-8")
    assert "#comms-team" in exported and COMMS not in exported
    assert role_id


def test_stale_names_are_looked_up_again_when_the_lead_opens_the_review(
    running: SlackDriver,
) -> None:
    _scene(running)
    long_ago = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    with running.db.session() as session:
        directory.remember_name(session, LOTTE, directory.USER, "old name", long_ago)
    running.command(LEAD, "review")
    assert _names(running)[LOTTE] == "lotte"


def test_dates_in_messages_are_in_each_readers_time_zone(running: SlackDriver) -> None:
    _scene(running)
    running.adopt_from_slack()
    running.command(LEAD, "adopted")
    listed = running.last_reply_text()
    assert "<!date^" in listed and "^{date_short}|2026-01-20>" in listed
    announced = running.announcement()
    assert "<!date^" in str(announced["blocks"])
