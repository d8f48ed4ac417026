"""Scenes for the rhythm tests: a clock at a known working moment, sections with owners and
deadlines, and a scheduler's turn run the way `serve` and `policybot tick` run it."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bot.clock import ManualClock
from bot.rhythm.plan import set_plan
from bot.settings import Settings
from bot.storage import Database
from handlers.kit.scheduler import Turned
from runtime.fakeslack import FakeSlack
from tests.driver import SlackDriver

# Monday 7 December 2026, 09:00 in Amsterdam: a working day, after the quiet hours.
MONDAY = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)
HOUR = 3600.0
DAY = 24 * HOUR


@contextmanager
def serving(
    settings: Settings, fake: FakeSlack, db: Database, start: dt.datetime = MONDAY
) -> Iterator[SlackDriver]:
    driver = SlackDriver.serving(settings, fake, db, ManualClock(start))
    try:
        yield driver
    finally:
        driver.close()


def plan(
    db: Database, section: str, owner: str | None, deadline: dt.date, by: str = "UADMIN01"
) -> None:
    """A section's owner and deadline, as `/policy plan` sets them (the past allowed here)."""
    with db.session() as session:
        set_plan(
            session,
            by,
            section,
            owner=owner,
            deadline=deadline,
            today=deadline,
            now=MONDAY,
        )


def turn(driver: SlackDriver, *, force: bool = True) -> Turned:
    """One turn of the instance's scheduler, then everything it said sent."""
    turned = driver.app.background.scheduler.turn(force=force)
    driver.wait()
    return turned


def dms(driver: SlackDriver, user: str) -> list[str]:
    return [m.text for m in driver.fake.bot_messages(driver.fake.im_for(user))]


def wait_for_ack(driver: SlackDriver, count: int, timeout: float = 30.0) -> None:
    """Until the app has given answer number `count` (another thread sending the request);
    `timeout` bounds a failure only."""
    deadline = time.monotonic() + timeout
    while len(driver.acks) < count:
        assert time.monotonic() < deadline, "no answer from the app"
        time.sleep(0.01)
