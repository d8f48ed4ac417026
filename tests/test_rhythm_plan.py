"""`/policy plan`: a section's owner and deadline, set by the lead in either language, shown
in `/policy status` and the Home tab with the late ones marked, and in the audit trail."""

from __future__ import annotations

from bot import audit
from bot.settings import Settings
from bot.storage import Database
from runtime.fakeslack import FakeSlack
from runtime.fakeslack.inbound import app_home_opened_event
from tests.driver import LEAD, WENDY, WILLEM
from tests.payloads import select_value
from tests.rhythm_scene import DAY, dms, serving
from tests.seed import make_lead, working_group


def test_the_lead_plans_a_section_and_the_owner_hears_of_it(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    working_group(db, WENDY, WILLEM)
    with serving(settings, fake_slack, db) as slack:
        slack.command(LEAD, f"plan identity <@{WENDY}|wendy> 2026-12-18")
        reply = slack.last_reply_text()
        assert "Online identity" in reply or "identity" in reply.lower()
        assert f"<@{WENDY}>" in reply and "<!date^" in reply
        (told,) = dms(slack, WENDY)
        assert "owner" in told and "<!date^" in told
        slack.command(LEAD, "plan identiteit 2026-12-21")  # Dutch name; the owner stays
        assert f"<@{WENDY}>" in slack.last_reply_text()
        assert len(dms(slack, WENDY)) == 1  # not told again: the same owner
        slack.command(LEAD, f"plan 3 <@{WILLEM}|willem> 2026-12-08")  # by number
        slack.command(LEAD, "plan")
        overview = slack.last_reply_text()
        assert f"<@{WENDY}>" in overview and f"<@{WILLEM}>" in overview
        slack.clock.advance(3 * DAY)  # Thursday: the deadline of section 3 has passed
        slack.command(WILLEM, "status")
        status = slack.last_reply_text()
        assert "te laat" in status and f"<@{WILLEM}>" in status  # Willem reads Dutch
        with db.session() as session:
            entries = [e for e in audit.history(session) if e.entity == "plan"]
        assert len(entries) == 3


def test_bad_plans_are_refused_and_change_nothing(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    working_group(db, WILLEM)
    with serving(settings, fake_slack, db) as slack:
        slack.command(LEAD, f"plan nowhere <@{WENDY}> 2026-12-18")
        assert "nowhere" in slack.last_reply_text()
        slack.command(LEAD, f"plan identity <@{WENDY}> 2026-13-45")
        assert "not a date" in slack.last_reply_text()
        slack.command(LEAD, f"plan identity <@{WENDY}> 2026-12-01")
        assert "passed" in slack.last_reply_text()
        slack.command(WILLEM, f"plan identity <@{WENDY}> 2026-12-18")  # not the lead
        assert "communicatieleider" in slack.last_reply_text()  # Willem reads Dutch
        slack.command(LEAD, "plan")
        assert f"<@{WENDY}>" not in slack.last_reply_text()


def test_the_lead_plans_a_section_from_the_home_tab(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    with serving(settings, fake_slack, db) as slack:
        slack.event(app_home_opened_event(LEAD, "D0CARLA"))
        home = slack.fake.home_view(LEAD)
        assert home is not None
        (block,) = [b for b in home["blocks"] if "rhythm_plan_open" in str(b)]
        slack.block_action(LEAD, {"action_id": "rhythm_plan_open", "value": ""}, view=home)
        modal = slack.fake.open_views()[-1]
        values = {
            "section": select_value("identity"),
            "owner": {"a": {"type": "users_select", "selected_user": WENDY}},
            "deadline": {"a": {"type": "datepicker", "selected_date": "2026-12-18"}},
        }
        assert slack.submit(LEAD, modal, values) is None
        past = values | {"deadline": {"a": {"type": "datepicker", "selected_date": "2026-11-01"}}}
        answer = slack.submit(LEAD, modal, past)
        assert answer["response_action"] == "errors" and "deadline" in answer["errors"]
        slack.event(app_home_opened_event(LEAD, "D0CARLA"))
        assert f"<@{WENDY}>" in str(slack.fake.home_view(LEAD))
        assert block
