"""Crisis mode: `/policy crisis on|off` by the lead, announced and in the audit trail; every
"may I post this?" answer at least review, to the crisis role, with the reason; the command
line's `check --json` carries `crisis`."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models.policy import AuditEntry
from tests.driver import EMMA, ERIK, GENERAL, LEAD, SlackDriver
from tests.payloads import text_of
from tests.seed import adopt, make_lead

ALLOWED_POST = "check Proud of our team: the new benches are in place!"


def test_crisis_mode_makes_every_answer_review_by_the_crisis_role(running: SlackDriver) -> None:
    adopt(running.db)
    make_lead(running.db)
    running.command(EMMA, ALLOWED_POST)
    assert "You may post this" in running.last_reply_text()

    running.command(LEAD, "crisis on Fire at the depot")
    told = running.last_reply_text()
    assert "Crisis mode is on" in told and "Crisisteam" in told
    announced = running.fake.bot_messages(GENERAL)[-1]
    # the channel hears it in the policy's language (Dutch)
    assert "De crisismodus staat aan" in text_of(announced)
    assert "Fire at the depot" in text_of(announced)

    running.command(EMMA, ALLOWED_POST)
    answer = running.last_reply_text()
    assert "You may post this" not in answer
    assert "Crisis mode is on" in answer and "Fire at the depot" in answer
    assert "Crisisteam" in answer

    posted = len(running.fake.bot_messages(GENERAL))
    running.command(ERIK, "crisis uit")  # an employee may not
    assert "communicatieleider" in running.last_reply_text().lower()
    assert len(running.fake.bot_messages(GENERAL)) == posted

    running.command(LEAD, "crisis off")
    assert "Crisis mode is off" in running.last_reply_text()
    assert "De crisismodus staat weer uit" in text_of(running.fake.bot_messages(GENERAL)[-1])
    running.command(EMMA, ALLOWED_POST)
    assert "You may post this" in running.last_reply_text()
    with running.db.session() as session:
        actions = [
            e.action
            for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "crisis"))
        ]
    assert actions == ["on", "off"]
