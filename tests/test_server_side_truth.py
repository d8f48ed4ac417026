"""Finding 10: buttons and modals carry ids of server-side records, never the decision itself.
The "Ask ROLE" target and where the question was asked come from the question's record; a
forged value is refused with the usual words. A drafting button names a session of its own
channel; a modal's reply address is only ever Slack's. `/policy show` makes no mention out of
typed characters. With DEBUG logging, Slack's libraries log nothing people wrote."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy import select

from bot.i18n import t
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.asking import AskedQuestion, Escalation
from handlers.kit.payloads import AskRole, RuleForm
from handlers.kit.response_urls import is_response_url
from runtime.fakeslack import FakeSlack
from tests.driver import (
    DRAFT_CHANNEL,
    GENERAL,
    LEAD,
    WENDY,
    WILLEM,
    SlackDriver,
    add_sample_contacts,
)
from tests.payloads import buttons, select_value, text_value
from tests.seed import adopt, make_lead, working_group

POST = "mag ik dit posten: Onder ons bericht staan tientallen klachten, ik reageer wel"
STALE = (t("en", "common.stale"), t("nl", "common.stale"))


def _refused(text: str) -> bool:
    return any(words in text for words in STALE)


def _ask(slack: SlackDriver, user: str = "UEMP0001") -> tuple[str, Any, dict[str, Any]]:
    dm = slack.fake.im_for(user)
    slack.message(user, dm, POST)
    answer = slack.fake.bot_messages(dm)[-1]
    found = buttons(answer.blocks, "asking_escalate")
    assert found, "the answer offers no 'Ask <role>' button"
    return dm, answer, found[0]


def _press_ask(slack: SlackDriver, user: str, dm: str, answer: Any, value: str) -> None:
    action = {"action_id": "asking_escalate", "block_id": "asking_escalate", "value": value}
    message = {"ts": answer.ts, "text": answer.text, "blocks": answer.blocks}
    slack.block_action(user, action, channel=dm, message=message)


def _escalations(db: Database) -> list[Escalation]:
    with db.session() as session:
        return list(session.scalars(select(Escalation)))


def test_where_a_question_was_asked_comes_from_its_record(running: SlackDriver) -> None:
    # (A forged role: tests/test_asking_escalation.py, refused the same way.)
    adopt(running.db)
    add_sample_contacts(running.fake)
    dm, answer, button = _ask(running)
    question = AskRole.decode(button["value"]).question
    moved = json.dumps({"k": "ask", "question": question, "channel": GENERAL, "ts": "1.000001"})
    _press_ask(running, "UEMP0001", dm, answer, moved)
    (escalation,) = _escalations(running.db)
    with running.db.session() as session:
        asked = session.get(AskedQuestion, question)
        assert asked is not None and asked.asked_channel == dm
        assert (escalation.origin_channel, escalation.origin_ts) == (dm, asked.asked_ts)
    assert escalation.role_id == "webcare" and len(running.fake.bot_messages("C0WEBCARE")) == 1
    assert "1.000001" not in str(running.fake.calls)


def test_someone_elses_question_cannot_be_passed_on(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    _, answer, button = _ask(running, "UEMP0001")
    other_dm = running.fake.im_for("UEMP0002")
    _press_ask(running, "UEMP0002", other_dm, answer, button["value"])
    assert running.fake.bot_messages("C0WEBCARE") == [] and _escalations(running.db) == []


def test_a_drafting_button_naming_a_session_elsewhere_is_refused(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    root = running.start_draft(WENDY, "purpose")
    question = running.last_post(root)
    before = len(running.thread(root))
    # The same button, pressed on a message in another channel.
    moved = question.to_api() | {"channel": GENERAL}
    element = buttons(question.blocks, "drafting_nav_next")[0]
    action = {"action_id": "drafting_nav_next", "value": element["value"], "type": "button"}
    running.block_action(WILLEM, action, channel=GENERAL, message=moved)
    assert _refused(running.all_reply_text())
    assert len(running.thread(root)) == before  # the session did not move on


def test_a_modals_reply_address_is_only_ever_slacks(running: SlackDriver) -> None:
    make_lead(running.db)
    running.command(LEAD, "review employees")
    running.press(LEAD, running.find_button("review_rule_add"), channel=DRAFT_CHANNEL)
    view = running.opened_view()
    # The same modal, its metadata pointing its confirmation at someone else's server.
    forged = RuleForm(reply_url="https://evil.example/collect", channel=DRAFT_CHANNEL).encode()
    values = {
        "id": text_value("R1"),
        "text": text_value("Never post a colleague's phone number."),
        "verdict": select_value("forbidden"),
    }
    answer = running.submit(LEAD, view | {"private_metadata": forged}, values)
    assert answer is None
    confirmations = running.fake.calls_for("chat.postEphemeral")
    assert confirmations and "saved" in str(confirmations[-1].args).lower()


def test_response_urls_are_slacks_or_the_web_apis_own_host() -> None:
    api = "http://127.0.0.1:4000/api/"
    assert is_response_url("https://hooks.slack.com/commands/T1/2/abc", api)
    assert is_response_url("https://hooks.slack-gov.com/actions/T1/2/abc", api)
    assert is_response_url("http://127.0.0.1:4000/respond/k1", api)
    assert not is_response_url("http://127.0.0.1:4001/respond/k1", api)
    assert not is_response_url("http://hooks.slack.com/commands/x", api)  # not https
    assert not is_response_url("https://hooks.slack.com.evil.example/x", api)
    assert not is_response_url("https://evil.example/collect", api)
    assert not is_response_url("https://hooks.slack.com:99999/x", api)


def test_show_makes_no_mention_of_typed_characters(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    root = running.start_draft(WENDY, "purpose")
    # Typed as text (Slack sends it as is), next to a real mention of a colleague.
    running.message(WILLEM, DRAFT_CHANNEL, "Ask @U999EVIL1, or <@UWG00002>", thread_ts=root)
    running.command(WILLEM, "show purpose", DRAFT_CHANNEL)
    shown = running.all_reply_text()
    assert "Ask @U999EVIL1, or <@UWG00002>" in shown  # the colleague by name, the rest as typed
    assert "<@U999EVIL1>" not in shown


def test_debug_logging_never_carries_what_people_wrote(
    settings: Settings,
    fake_slack: FakeSlack,
    db: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # before the app exists: as `LOG_LEVEL=DEBUG` starts it
    slack = SlackDriver.serving(settings, fake_slack, db)
    try:
        adopt(db)
        secret = "Zeldzaamwoord Kwispeltaart"
        slack.dm("UEMP0001", f"mag ik dit posten: {secret} op Instagram")
        slack.command("UEMP0002", f"check {secret} op Facebook")
        forged = slack.signed_headers("x") | {"X-Slack-Signature": "v0=" + "0" * 64}
        slack.post_form({"command": "/policy", "text": f"check {secret}"}, headers=forged)
    finally:
        slack.close()
    assert logging.getLogger("handlers").isEnabledFor(logging.DEBUG)
    assert any("bad signature" in r.getMessage() for r in caplog.records)  # logging worked
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Zeldzaamwoord" not in logged and "Kwispeltaart" not in logged
