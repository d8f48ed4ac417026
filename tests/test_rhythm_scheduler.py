"""The scheduler: work kept in the database, claimed so that each reminder goes out once,
whichever instance runs it, whenever one dies; `serve` runs it on its own, `policybot tick`
once."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.scheduling import jobs
from bot.settings import Settings
from bot.storage import Database
from runtime.cli import main
from runtime.fakeslack import FakeSlack
from tests.driver import ADMIN, CARLA, EMMA, ERIK, LEAD, WENDY, WILLEM, SlackDriver
from tests.rhythm_scene import DAY, dms, plan, serving, turn

SECTIONS = ("ownership", "purpose", "identity", "employees", "communications")
OWNERS = (WENDY, WILLEM, ERIK, EMMA, CARLA)
PASSED = dt.date(2026, 12, 4)  # last Friday: each owner hears of it on Monday


def _plan_passed(db: Database) -> None:
    for section, owner in zip(SECTIONS, OWNERS, strict=True):
        plan(db, section, owner, PASSED)


def _reminded(slack: SlackDriver) -> Counter[str]:
    return Counter({owner: len(dms(slack, owner)) for owner in OWNERS})


def _drain(slack: SlackDriver, name: str, start: threading.Barrier) -> None:
    """An instance taking due jobs three at a time until none is left, without the turn's
    lease: the jobs' own claims keep two such instances apart."""
    scheduler, clock = slack.app.background.scheduler, slack.clock
    start.wait()
    while True:
        with slack.db.session() as session:
            due = jobs.claim_due(session, claimant=name, now=clock.now(), may_disturb=True, limit=3)
        if not due:
            return
        for job in due:
            scheduler.run(job)


def _together(*work: Callable[[], None]) -> None:
    threads = [threading.Thread(target=w) for w in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)


def test_two_instances_on_one_database_send_each_reminder_once(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    _plan_passed(db)
    with serving(settings, fake_slack, db) as first, first.another_instance("second") as second:
        first.app.background.scheduler.plan()
        second.app.background.scheduler.plan()  # planning twice schedules nothing twice
        start = threading.Barrier(2)
        _together(lambda: _drain(first, "first", start), lambda: _drain(second, "second", start))
        first.wait()
        second.wait()
        assert _reminded(first) == Counter(dict.fromkeys(OWNERS, 1))
        # And whole turns at once: one instance has the turn, the other finds it taken.
        first.clock.advance(DAY)
        plan(db, "practice", CARLA, dt.date(2026, 12, 7))  # a new deadline, passed today
        turns = threading.Barrier(2)

        def whole_turn(slack: SlackDriver) -> None:
            turns.wait()
            slack.app.background.scheduler.turn(force=True)

        _together(lambda: whole_turn(first), lambda: whole_turn(second))
        first.wait()
        second.wait()
        assert len(dms(first, CARLA)) == 2  # the old deadline's, and the new one's, once


def test_a_tick_that_dies_mid_turn_leaves_its_reminders_to_the_next_once_its_lease_ends(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    _plan_passed(db)
    with serving(settings, fake_slack, db) as slack:
        slack.app.background.scheduler.plan()
        with db.session() as session:  # a tick claims every job, then its process dies
            taken = jobs.claim_due(
                session, claimant="dead-tick", now=slack.clock.now(), may_disturb=True
            )
        assert len(taken) == len(OWNERS) + 1  # and the weekly digest
        turn(slack)
        assert sum(_reminded(slack).values()) == 0  # still leased to the dead tick
        slack.clock.advance((jobs.LEASE + dt.timedelta(seconds=1)).total_seconds())
        turn(slack)
        turn(slack)
        assert _reminded(slack) == Counter(dict.fromkeys(OWNERS, 1))
        with db.session() as session:
            assert {
                jobs.state_of(session, f"deadline-passed:{s}:{o}:{PASSED}")
                for s, o in zip(SECTIONS, OWNERS, strict=True)
            } == {jobs.DONE}


def test_serve_runs_the_scheduled_work_on_its_own(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    plan(db, "identity", WENDY, dt.date(2026, 12, 9))  # reminded Monday
    with serving(settings.with_overrides(scheduler=True), fake_slack, db) as slack:
        slack.clock.advance(61)  # the background loop asks for the turn every minute
        slack.wait()
        assert len(dms(slack, WENDY)) == 1
        slack.clock.advance(DAY)
        slack.wait()
        assert len(dms(slack, WENDY)) == 1


def test_policybot_tick_runs_what_is_due_once_and_exits(
    settings: Settings,
    fake_slack: FakeSlack,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    plan(db, "identity", WENDY, today - dt.timedelta(days=1))
    plan(db, "purpose", LEAD, today - dt.timedelta(days=1))
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_API_URL": settings.slack_api_url,
        "DATABASE_URL": settings.database_url,
        "POLICYBOT_WORKING_DAYS": "mon-sun",  # the real clock: any day, any hour
        "POLICYBOT_QUIET_HOURS": "",
        "POLICYBOT_ADMINS": ADMIN,  # the lead's stand-in: the week's digest is theirs
        "POLICYBOT_LANGUAGE": "en",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["tick", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first == {"ran": True, "sent": 3, "skipped": 0, "failed": 0, "unsent": 0}
    assert main(["tick"]) == 0
    assert "0 sent" in capsys.readouterr().out
    assert len([m for m in fake_slack.bot_messages(fake_slack.im_for(WENDY))]) == 1
    assert len([m for m in fake_slack.bot_messages(fake_slack.im_for(LEAD))]) == 1
    (chart,) = fake_slack.uploaded_files()  # the digest's progress chart, to the admin
    assert chart.content is not None and chart.content.startswith(b"\x89PNG")
