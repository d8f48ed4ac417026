"""Reminders that respect people: each goes out once, on a working day outside the quiet
hours, from scheduled work kept in the database and claimed by one instance."""

from __future__ import annotations

import datetime as dt

from bot.reviewing.draft import put_setting
from bot.rhythm.project import REMINDERS_OFF
from bot.scheduling import jobs
from bot.settings import Settings
from bot.storage import Database
from runtime.fakeslack import FakeSlack
from tests.driver import LEAD, WENDY, WILLEM
from tests.rhythm_scene import DAY, HOUR, dms, plan, serving, turn
from tests.seed import make_lead, working_group


def test_a_section_owner_is_reminded_before_the_deadline_and_after_it_once_each(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    working_group(db, WENDY)
    plan(db, "identity", WENDY, dt.date(2026, 12, 10))  # Thursday
    with serving(settings, fake_slack, db) as slack:
        turn(slack)  # Monday: two working days ahead is Tuesday
        assert dms(slack, WENDY) == []
        slack.clock.advance(DAY)  # Tuesday 09:00
        turn(slack)
        turn(slack)  # a second look says nothing again
        soon = dms(slack, WENDY)
        assert len(soon) == 1
        assert "due" in soon[0] and "<!date^" in soon[0] and "0 of" in soon[0]
        slack.clock.advance(3 * DAY)  # Friday 09:00: the deadline has passed
        turn(slack)
        turn(slack)
        after = dms(slack, WENDY)
        assert len(after) == 2 and "deadline" in after[1] and "was" in after[1]


def test_reminders_wait_for_the_end_of_the_quiet_hours_and_for_a_working_day(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    plan(db, "identity", WENDY, dt.date(2026, 12, 14))  # Monday: reminded Thursday
    with serving(settings, fake_slack, db) as slack:
        slack.clock.advance(3 * DAY - 2 * HOUR)  # Thursday 07:00 in Amsterdam: quiet
        turn(slack)
        assert dms(slack, WENDY) == []
        slack.clock.advance(2 * HOUR)  # 09:00
        turn(slack)
        assert len(dms(slack, WENDY)) == 1
    plan(db, "purpose", WILLEM, dt.date(2026, 12, 11))  # passed: reminded next working day
    with serving(settings, fake_slack, db, dt.datetime(2026, 12, 12, 10, tzinfo=dt.UTC)) as slack:
        turn(slack)  # Saturday: not a working day
        assert dms(slack, WILLEM) == []
        slack.clock.advance(2 * DAY)  # Monday
        turn(slack)
        (reminded,) = dms(slack, WILLEM)
        assert "De deadline van het onderdeel" in reminded  # Willem reads Dutch


def test_a_new_deadline_cancels_the_old_reminders_and_a_switched_off_kind_says_nothing(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    plan(db, "identity", WENDY, dt.date(2026, 12, 9))  # reminded Monday (today)
    plan(db, "purpose", WILLEM, dt.date(2026, 12, 9))
    with serving(settings, fake_slack, db) as slack:
        plan(db, "identity", WENDY, dt.date(2026, 12, 23))
        with db.session() as session:
            put_setting(session, REMINDERS_OFF, ["section_complete"], LEAD)
        turn(slack)
        assert dms(slack, WENDY) == []  # the 23rd is far away
        assert len(dms(slack, WILLEM)) == 1
        with db.session() as session:
            put_setting(session, REMINDERS_OFF, ["deadlines"], LEAD)
        slack.clock.advance(3 * DAY)  # Thursday: both deadlines passed… had they been on
        turn(slack)
        assert len(dms(slack, WILLEM)) == 1
        with db.session() as session:  # switched off: looked at when due, and skipped
            key = f"deadline-passed:purpose:{WILLEM}:2026-12-09"
            assert jobs.state_of(session, key) == jobs.SKIPPED
