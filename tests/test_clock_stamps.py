"""Every time the core writes comes from the app's injectable clock, not the machine's: move
the clock and the stamps of drafting, escalations and the question log follow it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.clock import ManualClock
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.asking import AskedQuestion, Escalation
from bot.storage.models.drafting import Contribution, DraftingSession
from runtime.fakeslack import FakeSlack
from tests.driver import DRAFT_CHANNEL, WENDY, WILLEM, SlackDriver, add_sample_contacts
from tests.escalating import ask_by_dm, press_ask
from tests.seed import adopt, working_group

# Far from the machine's time, so a stamp taken from it cannot pass for the clock's.
START = dt.datetime(2031, 3, 4, 9, 30, tzinfo=dt.UTC)
DAY = 24 * 3600.0


def test_drafting_and_escalation_rows_are_stamped_by_the_apps_clock(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    adopt(db)
    working_group(db, WENDY, WILLEM)
    add_sample_contacts(fake_slack)
    slack = SlackDriver.serving(settings, fake_slack, db, ManualClock(START))
    try:
        root = slack.start_draft(WENDY, "identity")
        slack.message(WENDY, DRAFT_CHANNEL, "We are warm and clear online.", root)
        with db.session() as session:
            started = session.scalars(select(DraftingSession)).one()
            assert started.started_at == START and started.last_activity_at == START
            first = session.scalars(select(Contribution)).one()
            assert first.created_at == first.updated_at == START

        slack.clock.advance(DAY)
        slack.message(WILLEM, DRAFT_CHANNEL, "And we answer within a day.", root)
        asked = ask_by_dm(slack, "UEMP0001", "mag ik dit posten: klachten onder ons bericht")
        press_ask(slack, asked)
        later = START + dt.timedelta(days=1)
        with db.session() as session:
            assert session.scalars(select(DraftingSession)).one().last_activity_at == later
            second = session.scalars(select(Contribution).where(Contribution.author == WILLEM))
            assert second.one().created_at == later
            assert session.scalars(select(AskedQuestion)).one().asked_at == later
            assert session.scalars(select(Escalation)).one().created_at == later
    finally:
        slack.close()
