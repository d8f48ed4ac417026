"""Who may do what: a working-group member cannot adopt or export; an employee cannot see
the draft; nobody below comms lead can press the consolidation buttons or submit its modals."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.storage.models.drafting import Contribution
from bot.storage.models.policy import DraftSection, PolicyVersion
from tests.driver import EMPLOYEE, MEMBER, SlackDriver
from tests.payloads import text_value
from tests.seed import add_contribution, load_sample_draft, make_lead, make_member


@pytest.mark.parametrize("command", ["adopt", "export docx draft", "export yaml", "adopted"])
def test_working_group_member_cannot_adopt_or_export(running: SlackDriver, command: str) -> None:
    make_member(running.db)
    load_sample_draft(running.db)
    running.command(MEMBER, command)
    assert "communicatieleider" in running.last_reply_text()  # Willem reads Dutch
    assert running.fake.last("views.open") is None
    assert not running.fake.uploaded_files()
    with running.db.session() as session:
        assert session.scalars(select(PolicyVersion)).first() is None


@pytest.mark.parametrize("command", ["review purpose", "export md draft", "groups", "review"])
def test_employee_cannot_see_the_draft(running: SlackDriver, command: str) -> None:
    add_contribution(running.db, "purpose", "purpose.why", "UWG00001", "A secret draft line.")
    running.command(EMPLOYEE, command)
    text = running.last_reply_text()
    assert "communications lead" in text and "secret draft line" not in text
    assert not running.fake.uploaded_files()


def test_buttons_are_refused_below_comms_lead(running: SlackDriver) -> None:
    make_lead(running.db)
    contribution = add_contribution(running.db, "purpose", "purpose.why", "UWG00001", "Hi.")
    value = json.dumps({"c": contribution, "s": "purpose"})
    for action_id in ("review_accept", "review_decide_more", "review_accept_all"):
        running.block_action(
            EMPLOYEE, {"action_id": action_id, "value": value}, channel="C0GENERAL"
        )
        assert "communications lead" in running.last_reply_text()
    assert "communications lead" in running.last_reply_text()
    running.block_action(
        EMPLOYEE, {"action_id": "review_edit_text", "value": value}, channel="C0GENERAL"
    )
    assert running.fake.last("views.open") is None
    with running.db.session() as session:
        assert session.get(Contribution, contribution).review == "pending"


def test_modal_submissions_are_refused_below_comms_lead(running: SlackDriver) -> None:
    view = {
        "id": "V0FORGED",
        "type": "modal",
        "callback_id": "review_text_modal",
        "private_metadata": json.dumps({"s": "purpose"}),
        "blocks": [{"type": "input", "block_id": "title", "label": {}, "element": {}}],
    }
    answer = running.submit(MEMBER, view, {"title": text_value("Hacked")})
    assert answer["response_action"] == "errors" and "title" in answer["errors"]
    with running.db.session() as session:
        assert session.get(DraftSection, "purpose") is None  # nothing written
