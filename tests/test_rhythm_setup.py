"""`/policy setup` (and the Home tab's button): the project's start in one modal, every choice
changeable later and in the audit trail; the lead is an admin's to change."""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import select

from bot import audit, people
from bot.rhythm import project
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.delivery import OutboxRow
from runtime.fakeslack import FakeSlack
from runtime.fakeslack.inbound import app_home_opened_event
from tests.driver import ADMIN, EMMA, ERIK, LEAD, WENDY, WILLEM, SlackDriver
from tests.payloads import select_value, text_value
from tests.rhythm_scene import dms, serving, wait_for_ack
from tests.seed import make_lead, working_group


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


# -- the modal's ack does not wait for Slack (issue 13) ---------------------------------------
def _setup_form(slack: SlackDriver, user: str = ADMIN) -> dict[str, Any]:
    slack.command(user, "setup")
    return slack.opened_view()


def _started(db: Database) -> bool:
    with db.session() as session:
        return project.project(session, "en").started


def _edits(db: Database) -> int:
    with db.session() as session:
        return len([c for c in audit.history(session) if c.entity == "project"])


def test_the_modal_is_answered_while_slack_holds_the_user_groups_members(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """The submission is acknowledged while `usergroups.users.list` is still held by Slack;
    the setup, with the group's members, is saved once Slack answers, and the lead told."""
    fake_slack.add_usergroup("S0ONLINE", "online-actief", [WILLEM])
    with serving(settings, fake_slack, db) as slack, ThreadPoolExecutor(max_workers=1) as pool:
        view = _setup_form(slack)
        answered = len(slack.acks)
        members = fake_slack.hold_next("usergroups.users.list")
        submitted = pool.submit(slack.view_submission, ADMIN, view, _setup_values())
        members.wait_until_arrived()
        wait_for_ack(slack, answered + 1)  # acknowledged while Slack still holds the read
        assert slack.acks[answered].status == 200 and slack.acks[answered].body == ""
        assert not _started(db) and dms(slack, ADMIN) == []  # nothing saved yet
        members.release()
        assert submitted.result(timeout=60).status == 200  # bounds for failures only
        slack.wait()
        with db.session() as session:
            found = project.project(session, "en")
            assert found.organisation == "Gemeente Wijkstad"
            assert set(found.working_group) == {WENDY, WILLEM}
            rows = session.scalars(select(OutboxRow).where(OutboxRow.kind == "usergroup_members"))
            (row,) = rows.all()
            assert row.request is not None  # the request's own write, before the ack
        (told,) = dms(slack, ADMIN)
        assert "set up" in told and "1 members" in told
        assert _edits(db) == 1


def test_bad_fields_are_answered_in_the_modal_and_change_nothing(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """In the asker's language (the admin's Slack says en-US, Erik's nl-NL); no read of the
    user group, nothing saved, nothing said."""
    fake_slack.add_usergroup("S0ONLINE", "online-actief", [WILLEM])
    make_lead(db, ERIK)
    bad = {
        "organisation": text_value(""),
        "target_date": {"a": {"type": "datepicker", "selected_date": "2020-01-01"}},
    }
    with serving(settings, fake_slack, db) as slack:
        for user, required, past in (
            (ADMIN, "Fill this in.", "That date has passed"),
            (ERIK, "Vul dit in.", "Die datum is al voorbij"),
        ):
            view = _setup_form(slack, user)
            values = _setup_values(leads=_people(ERIK), **bad)
            answer = slack.submit(user, view, values)
            assert answer["response_action"] == "errors"
            assert answer["errors"]["organisation"] == required
            assert answer["errors"]["target_date"].startswith(past)
        assert fake_slack.calls_for("usergroups.users.list") == []
        assert not _started(db) and _edits(db) == 0
        assert dms(slack, ADMIN) == [] and dms(slack, ERIK) == []
        with db.session() as session:
            assert session.scalars(select(OutboxRow)).all() == []


def test_a_user_group_too_big_reaches_the_lead_as_a_message_and_saves_nothing(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """Only Slack's answer shows the group has 100 members, with Wendy more than 100: the
    modal was answered already, so the lead is told in a direct message (Erik: in Dutch)."""
    fake_slack.add_usergroup("S0BIG", "iedereen", [f"U0MANY{n:04d}" for n in range(100)])
    make_lead(db, ERIK)
    with serving(settings, fake_slack, db) as slack:
        view = _setup_form(slack, ERIK)
        values = _setup_values(leads=_people(ERIK), usergroup=select_value("S0BIG"))
        assert slack.submit(ERIK, view, values) is None  # acknowledged
        (told,) = dms(slack, ERIK)
        assert "niet opgeslagen" in told and "Werkgroep" in told and "100 leden" in told
        assert not _started(db) and _edits(db) == 0
        with db.session() as session:
            assert project.role_holders(session, people.WORKING_GROUP) == ()


def test_slack_down_delays_the_setup_and_two_instances_save_it_once(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """Slack refuses the read for a while (429): the modal is answered all the same; once
    Slack is back, whichever of two instances takes the read saves the setup, once."""
    fake_slack.add_usergroup("S0ONLINE", "online-actief", [WILLEM])
    with serving(settings, fake_slack, db) as first, first.another_instance("second") as second:
        view = _setup_form(first)
        with fake_slack.outage(status=429, retry_after=30, methods={"usergroups.users.list"}):
            assert first.submit(ADMIN, view, _setup_values()) is None
        assert not _started(db) and dms(first, ADMIN) == []  # delayed, not lost
        first.clock.advance(31)  # the instances share the clock: both look for due work
        first.wait()
        second.wait()
        assert _started(db) and _edits(db) == 1
        assert len([t for t in dms(first, ADMIN) if "set up" in t]) == 1
        with db.session() as session:
            assert WILLEM in project.project(session, "en").working_group


def test_an_instance_gone_before_slack_answers_leaves_the_setup_to_the_next(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """The instance that acknowledged the modal stops while Slack still refuses the read; an
    instance started afterwards on the same database saves the setup once Slack answers."""
    fake_slack.add_usergroup("S0ONLINE", "online-actief", [WILLEM])
    with serving(settings, fake_slack, db) as first:
        view = _setup_form(first)
        with fake_slack.outage(status=429, retry_after=30, methods={"usergroups.users.list"}):
            assert first.submit(ADMIN, view, _setup_values()) is None
        first.close()
        assert not _started(db)
        with first.another_instance("after") as after:
            after.clock.advance(31)
            after.wait()
            assert _started(db) and _edits(db) == 1
            assert len([t for t in dms(after, ADMIN) if "set up" in t]) == 1


def test_a_setup_read_back_from_its_json_is_the_same_setup() -> None:
    setup = project.Setup(
        organisation="Gemeente Wijkstad",
        language="en",
        leads=(LEAD,),
        working_group=(WENDY, WILLEM),
        usergroup="S0ONLINE",
        usergroup_members=(),
        approvers=(ERIK, EMMA),
        target_date=dt.date(2027, 3, 1),
        reminders_off=frozenset({project.DIGEST, project.IDLE}),
    )
    stored = json.loads(json.dumps(setup.to_json()))  # as the outbox keeps it
    assert project.Setup.from_json(stored) == setup
    with_members = project.Setup.from_json(stored, (EMMA, ERIK))
    assert with_members.usergroup_members == (EMMA, ERIK)
    bare = project.Setup.from_json({"organisation": "X"})
    assert (bare.language, bare.usergroup, bare.target_date, bare.reminders_off) == (
        "nl",
        None,
        None,
        frozenset(),
    )
