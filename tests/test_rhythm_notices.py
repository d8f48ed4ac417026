"""What the other reminders say, and to whom: an idle drafting thread to whoever started it,
an unanswered escalation to the role and then to the lead, the weekly digest (with its chart)
to the lead, a complete section to its owner and the lead. Each once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from bot.drafting.template import load_template
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.drafting import DraftingSession
from runtime.fakeslack import FakeSlack
from tests.driver import DRAFT_CHANNEL, EMMA, GENERAL, LEAD, WENDY, WILLEM
from tests.escalating import open_escalation
from tests.rhythm_scene import DAY, MONDAY, dms, plan, serving, turn
from tests.seed import add_contribution, make_lead, working_group


def test_a_drafting_thread_idle_for_a_week_reminds_whoever_started_it_once(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    working_group(db, WENDY)
    with serving(settings, fake_slack, db) as slack:
        slack.start_draft(WENDY, "identity")
        with db.session() as session:  # started last Monday (the drafting code's own clock)
            week_ago = MONDAY - dt.timedelta(days=7)
            session.execute(update(DraftingSession).values(last_activity_at=week_ago))
        turn(slack)
        turn(slack)
        (idle,) = dms(slack, WENDY)
        assert "quiet for a week" in idle and f"<#{DRAFT_CHANNEL}>" in idle
        slack.clock.advance(DAY)
        turn(slack)
        assert len(dms(slack, WENDY)) == 1  # the same quiet spell: once


def test_an_unanswered_escalation_reminds_the_role_then_the_lead(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    posted = open_escalation(db, fake_slack, EMMA, MONDAY)
    with serving(settings, fake_slack, db) as slack:
        turn(slack)
        assert slack.fake.bot_messages(GENERAL, posted) == []
        slack.clock.advance(DAY)  # a working day later
        turn(slack)
        (nudge,) = slack.fake.bot_messages(GENERAL, posted)
        assert nudge.thread_ts == posted and "*Webcare*" in nudge.text
        assert "waited a working day" in nudge.text
        assert dms(slack, LEAD) == []
        slack.clock.advance(DAY)
        turn(slack)
        turn(slack)
        (to_lead,) = dms(slack, LEAD)
        assert "Webcare" in to_lead and "two working days" in to_lead
        assert len(slack.fake.bot_messages(GENERAL, posted)) == 1


def test_the_weekly_digest_tells_the_lead_what_happened_with_a_chart(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    working_group(db, WENDY, WILLEM)
    plan(db, "identity", WENDY, dt.date(2026, 12, 4))  # late
    with serving(settings, fake_slack, db) as slack:
        slack.start_draft(WENDY, "purpose")
        add_contribution(db, "purpose", "purpose.why", WENDY, "Because we are online.")
        turn(slack)
        turn(slack)
        texts = dms(slack, LEAD)
        digest = next(text for text in texts if "weekly digest" in text)
        assert "1 answer waits for your review" in digest
        assert "Late:" in digest and f"<@{WENDY}>" in digest
        assert f"<@{WILLEM}>" in digest  # not contributed yet
        (chart,) = slack.fake.uploaded_files()
        assert chart.content is not None and chart.content.startswith(b"\x89PNG")
        assert chart.filename.startswith("progress-2026-W50")
        slack.clock.advance(DAY)
        turn(slack)
        assert len([t for t in dms(slack, LEAD) if "weekly digest" in t]) == 1


def test_a_complete_section_is_told_to_its_owner_and_the_lead_once(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    plan(db, "purpose", WENDY, dt.date(2026, 12, 18))
    section = load_template().section("purpose")
    for question in section.questions:
        add_contribution(db, "purpose", question.id, WILLEM, "Our answer.", review="accepted")
    with serving(settings, fake_slack, db) as slack:
        turn(slack)
        turn(slack)
        (to_owner,) = dms(slack, WENDY)
        assert "is complete" in to_owner and f"<@{WILLEM}>" in to_owner
        assert len([t for t in dms(slack, LEAD) if "is complete" in t]) == 1
