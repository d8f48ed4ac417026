"""Crisis mode: `/policy crisis on|off` by the lead, announced and in the audit trail; every
"may I post this?" answer at least review, to the crisis role, with the reason; the command
line's `check --json` carries `crisis`."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from bot.living import crisis
from bot.storage import Database
from bot.storage.models.policy import AuditEntry
from runtime.cli import main
from runtime.fakeslack.inbound import app_home_opened_event
from tests.driver import ADMIN, EMMA, ERIK, GENERAL, LEAD, SlackDriver
from tests.payloads import text_of
from tests.samples import sample_policy_data
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

    running.command(LEAD, "crisis on again")  # on already: nothing twice
    assert "already on" in running.last_reply_text()
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


def test_the_home_shows_the_banner_and_the_lead_sees_coverage(running: SlackDriver) -> None:
    data = sample_policy_data() | {"review": {"every": "1 year", "month": 3}}
    adopt(running.db, data)  # approved 2026-01-20: reviewed by the end of March 2027
    make_lead(running.db)
    running.command(LEAD, "crisis on")
    running.event(app_home_opened_event(EMMA, "D0EMMA"))
    texts = text_of({"blocks": running.fake.home_view(EMMA)["blocks"]})
    assert "Crisis mode is on" in texts and "no reason given" in texts
    assert "Next review: *<!date^" in texts and "|2027-03-31>" in texts
    assert "Living by the policy" not in texts  # the lead's part is the lead's
    running.event(app_home_opened_event(LEAD, "D0CARLA"))
    texts = text_of({"blocks": running.fake.home_view(LEAD)["blocks"]})
    assert "Living by the policy" in texts and "Nobody has been asked" in texts
    running.command(LEAD, "status")
    assert "|2027-03-31>" in running.last_reply_text()


def test_check_json_carries_crisis_on_the_command_line(cli_env: Database, capsys) -> None:  # type: ignore[no-untyped-def]
    adopt(cli_env)
    with cli_env.session() as session:
        crisis.turn_on(session, ADMIN, "Storm", None, dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC))
    code = main(["check", "--json", "Proud of our team: the new benches are in place!"])
    answer = json.loads(capsys.readouterr().out)
    assert code == 0 and answer["verdict"] == "review"
    assert answer["crisis"] == {"since": "2026-11-30T09:00:00+00:00", "reason": "Storm"}
    assert answer["role"]["id"] == "crisis"
    main(["check", "Proud of our team: the new benches are in place!"])
    assert "Crisis mode is on (Storm)" in capsys.readouterr().out


def test_the_lead_names_the_channel_to_announce_in(running: SlackDriver) -> None:
    adopt(running.db)
    make_lead(running.db)
    running.fake.add_channel("C0CRISIS", "crisisteam")
    running.command(LEAD, "crisis aan <#C0CRISIS|crisisteam> Storing bij de telefooncentrale")
    said = text_of(running.fake.bot_messages("C0CRISIS")[-1])
    assert "Storing bij de telefooncentrale" in said and "crisisteam" not in said.split(":")[0]
    running.command(LEAD, "crisis")
    assert "Crisis mode is on since" in running.last_reply_text()
    running.command(LEAD, "crisis uit")
    assert "De crisismodus staat weer uit" in text_of(running.fake.bot_messages("C0CRISIS")[-1])
