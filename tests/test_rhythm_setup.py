"""`/policy setup` (and the Home tab's button): the project's start in one modal, every choice
changeable later and in the audit trail; the lead is an admin's to change."""

from __future__ import annotations

from typing import Any

from bot import audit, people
from bot.rhythm import project
from bot.settings import Settings
from bot.storage import Database
from runtime.fakeslack import FakeSlack
from runtime.fakeslack.inbound import app_home_opened_event
from tests.driver import ADMIN, EMMA, ERIK, LEAD, WENDY, WILLEM
from tests.payloads import select_value, text_value
from tests.rhythm_scene import dms, serving
from tests.seed import working_group


def _people(*users: str) -> dict[str, Any]:
    return {"a": {"type": "multi_users_select", "selected_users": list(users)}}


def _setup_values(**changes: Any) -> dict[str, Any]:
    values = {
        "organisation": text_value("Gemeente Wijkstad"),
        "language": select_value("nl"),
        "leads": _people(LEAD),
        "working_group": _people(WENDY),
        "usergroup": select_value("S0ONLINE"),
        "approvers": _people(ERIK, EMMA),
        "target_date": {"a": {"type": "datepicker", "selected_date": "2027-03-01"}},
        "reminders": {
            "a": {
                "type": "checkboxes",
                "selected_options": [{"value": "deadlines"}, {"value": "digest"}],
            }
        },
    }
    return values | changes


def test_an_admin_starts_the_project_and_the_lead_changes_it_later(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    fake_slack.add_usergroup("S0ONLINE", "online-actief", [WILLEM])
    with serving(settings, fake_slack, db) as slack:
        slack.command(ADMIN, "setup")
        view = slack.opened_view()
        assert "active online" in str(view)  # the method's advice, in the modal
        assert slack.submit(ADMIN, view, _setup_values()) is None
        with db.session() as session:
            found = project.project(session, "en")
            assert found.organisation == "Gemeente Wijkstad" and found.language == "nl"
            assert found.leads == (LEAD,)
            assert set(found.working_group) == {WENDY, WILLEM}  # the user group's too
            assert found.approvers == (ERIK, EMMA)
            assert str(found.target_date) == "2027-03-01"
            assert found.reminders_off == {
                "idle_threads",
                "escalations",
                "section_complete",
                "acknowledgements",
                "review_cycle",
            }
        assert "set up" in dms(slack, ADMIN)[-1]
        # The lead opens it again: everything as it was chosen; changes the approvers.
        slack.command(LEAD, "setup")
        again = slack.opened_view()
        assert LEAD in str(again) and "2027-03-01" in str(again)
        assert slack.submit(LEAD, again, _setup_values(approvers=_people(EMMA))) is None
        answer = slack.submit(LEAD, again, _setup_values(leads=_people(WENDY)))
        assert answer["response_action"] == "errors" and "leads" in answer["errors"]
        with db.session() as session:
            assert project.project(session, "en").approvers == (EMMA,)
            assert people.has_role(session, frozenset(), LEAD, people.COMMS_LEAD)
            trail = [c for c in audit.history(session) if c.entity in ("project", "setting")]
        assert len(trail) >= 2


def test_the_home_tab_offers_the_setup_to_the_lead_only(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    working_group(db, WENDY)
    with serving(settings, fake_slack, db) as slack:
        slack.event(app_home_opened_event(ADMIN, "D0ADMIN"))
        home = slack.fake.home_view(ADMIN)
        assert home is not None
        (block,) = [b for b in home["blocks"] if "rhythm_setup_open" in str(b)]
        action = {"action_id": block["accessory"]["action_id"], "value": ""}
        slack.block_action(ADMIN, action, view=home)
        assert slack.fake.open_views()[-1]["callback_id"] == "rhythm_setup"
        slack.event(app_home_opened_event(WENDY, "D0WENDY"))
        assert "rhythm_setup_open" not in str(slack.fake.home_view(WENDY))
        slack.command(WENDY, "setup")
        assert "communications lead" in slack.last_reply_text().lower()
