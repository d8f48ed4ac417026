"""No Slack call inside an open unit of work when a consolidation modal is submitted by a lead
whose profile has expired (issue 13). A modal answered only after its unit of work (its ack
waits for it) asks Slack nothing: before the ack a listener's words use the stored profile
or the language last spoken with the lead (`Phase.AWAITING_ACK`). The decisions modal is
acked first, so its confirmation's language, when not stored, is asked of Slack before its
unit of work's first write (`kit.asker`): that call is held in the stand-in Web API while
another person's question is acknowledged and answered; once Slack answers, the lead is told
what they were told before."""

from __future__ import annotations

from typing import Any

from tests.driver import GENERAL, LEAD, WENDY, WILLEM, SlackDriver, approval_values
from tests.held import forget, held_in_turn
from tests.payloads import input_value, select_value, text_value
from tests.seed import add_contribution, adopt, load_sample_draft, make_lead
from tests.test_listeners_slack_outside_transaction import QUESTION


def _opened_then_expired(running: SlackDriver, button: str, section: str = "") -> dict[str, Any]:
    """The modal of `button` on `/policy review SECTION`, opened by the lead, whose profile
    then expires (Wendy's stored: her answers meanwhile ask Slack for none)."""
    running.command(LEAD, f"review {section}".strip())
    running.press(LEAD, running.find_button(button))
    view = running.opened_view()
    running.dm(WENDY, QUESTION)
    forget(running.db, LEAD)
    return view


def _saved_asking_slack_nothing(
    running: SlackDriver, view: dict[str, Any], values: dict[str, Any]
) -> None:
    start = len(running.fake.calls)
    assert running.submit(LEAD, view, values) is None  # saved: the modal closes
    running.wait()
    assert [c for c in running.fake.calls[start:] if c.method == "users.info"] == []


def _scene(running: SlackDriver) -> None:
    adopt(running.db)
    load_sample_draft(running.db)
    make_lead(running.db)


def test_a_section_text_saved_before_the_ack_asks_slack_nothing(running: SlackDriver) -> None:
    _scene(running)
    add_contribution(running.db, "identity", "identity.mission", WILLEM, "Open en nabij.")
    view = _opened_then_expired(running, "review_edit_text", "identity")
    values = {"title": text_value("Identiteit"), "text_0": text_value("Open.")}
    _saved_asking_slack_nothing(running, view, values)
    assert "The text of *Identiteit* is saved in the draft." in running.last_reply_text()


def test_a_rule_saved_before_the_ack_asks_slack_nothing(running: SlackDriver) -> None:
    _scene(running)
    view = _opened_then_expired(running, "review_rule_add", "employees")
    rule = {
        "id": text_value("R-EXPIRED"),
        "verdict": select_value("allowed"),
        "text": text_value("Employees may share the municipality's own posts."),
        "section": select_value("employees"),
        "keywords": text_value("share, repost"),
    }
    _saved_asking_slack_nothing(running, view, rule)
    assert "Rule *R-EXPIRED* is saved in the draft." in running.last_reply_text()


def test_the_settings_saved_before_the_ack_ask_slack_nothing(running: SlackDriver) -> None:
    _scene(running)
    view = _opened_then_expired(running, "review_settings")
    settings = {
        "organisation": text_value("Gemeente Voorbeeld"),
        "language": select_value("nl"),
        "version": text_value("2026.2"),
        "default_verdict": select_value("allowed"),
        "default_role": select_value("communicatie"),
    }
    _saved_asking_slack_nothing(running, view, settings)
    assert "The document settings are saved." in running.last_reply_text()


def test_the_decisions_saved_after_the_ack_are_confirmed_in_a_language_asked_before(
    running: SlackDriver,
) -> None:
    _scene(running)
    view = _opened_then_expired(running, "review_decisions_edit", "voorblad")
    values = {"decisions": text_value("Employees may post about their work")}

    def submit() -> None:
        assert running.submit(LEAD, view, values) is None  # acked at once

    held_in_turn(running, ["users.info"], submit, WENDY, QUESTION)
    assert "The cover now proposes 1 decision." in running.last_reply_text()  # Carla: en-US


def test_an_adoption_by_a_lead_whose_profile_expired_asks_slack_outside_its_work(
    running: SlackDriver,
) -> None:
    _scene(running)
    running.command(LEAD, "adopt")
    confirm = running.opened_view()
    asks = any(b.get("block_id") == "confirm_unready" for b in confirm["blocks"])
    tick = {"a": {"type": "checkboxes", "selected_options": [{"value": "confirmed"}]}}
    running.dm(WENDY, QUESTION)
    forget(running.db, LEAD)
    step2 = running.submit(LEAD, confirm, {"confirm_unready": tick} if asks else {})
    assert step2["response_action"] == "update"  # the approval step: `on_confirmed`
    forget(running.db, LEAD)
    approval = step2["view"] | {"id": confirm["id"]}
    done = running.submit(LEAD, approval, approval_values())  # `on_approved`
    assert done["response_action"] == "update"
    running.wait()  # what follows (announcement, follow-ups, after the ack) may ask Slack
    # for Carla, outside: the guard (conftest) fails the test on any call inside.
    assert running.fake.bot_messages(GENERAL)  # announced


def test_a_group_saved_before_the_ack_asks_slack_nothing(running: SlackDriver) -> None:
    """The group modal is answered in its ack: the lead's expired profile is not asked for
    (`Phase.AWAITING_ACK`); the group is saved and the lead told in the language last spoken
    with them."""
    _scene(running)
    running.fake.add_usergroup("S0BOAS001", "boas", [WILLEM])
    running.command(LEAD, "groups")
    running.press(LEAD, running.find_button("review_group_add"))
    view = running.opened_view()
    running.dm(WENDY, QUESTION)
    forget(running.db, LEAD)
    group = {
        "id": text_value("handhaving"),
        "name": text_value("Boa's"),
        "slack": select_value("@boas"),
        "slack_typed": text_value(""),
    }
    _saved_asking_slack_nothing(running, view, group)
    assert "Group *handhaving* is saved in the draft." in running.last_reply_text()


def test_a_role_whose_contact_slack_names_tells_the_lead_in_a_language_asked_before_the_step(
    running: SlackDriver,
) -> None:
    """The role modal is acked before Slack is asked who its contact is (`users.info` for the
    picked person, an outbox read); the read's completion step saves the role and tells the
    lead, whose expired profile it asks of Slack outside its unit of work (`asker_known` in
    the completion's `first_outside`). Each call is held while Wendy's question is answered."""
    _scene(running)
    view = _opened_then_expired(running, "review_role_edit", "other")
    picked = {"a": {"type": "users_select", "selected_user": WILLEM}}
    values = {
        "id": text_value(input_value(view, "id")),
        "name": text_value(input_value(view, "name")),
        "handles": text_value("Alles wat naar buiten gaat"),
        "keywords": text_value(""),
        "contact_user": picked,
    }

    def submit() -> None:
        assert running.submit(LEAD, view, values) is None  # acked at once

    held_in_turn(running, ["users.info", "users.info"], submit, WENDY, QUESTION)
    told = running.fake.bot_messages(running.fake.im_for(LEAD))[-1].text
    assert f"is saved in the draft, with <@{WILLEM}> as its contact." in told  # Carla: en-US
