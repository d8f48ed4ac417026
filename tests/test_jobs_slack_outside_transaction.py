"""No Slack call inside a scheduled job's unit of work (issue 13): a job that tells someone
whose profile (their language) is not stored asks Slack for it with no transaction open, then
runs again (`handlers.kit.people`). Each test holds `users.info` in the stand-in Web API while
the scheduler's turn waits on it; meanwhile another person's direct message is acknowledged
and answered, and on PostgreSQL no transaction of the app is open over the call. Once Slack
answers, the job says what it said before, in the reader's language, once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from bot.drafting.template import load_template
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.drafting import DraftingSession
from bot.storage.models.policy import PolicyVersion
from runtime.fakeslack import FakeSlack
from tests.driver import ADMIN, EMMA, ERIK, LEAD, WENDY, WILLEM, SlackDriver
from tests.escalating import open_escalation
from tests.held import forget, held_in_turn
from tests.payloads import text_of
from tests.rhythm_scene import DAY, MONDAY, dms, plan, serving, turn
from tests.samples import sample_policy_data
from tests.seed import add_contribution, adopt, make_lead, working_group

QUESTION = "Mag ik een foto van ons nieuwe kantoor op LinkedIn zetten?"


def _held_turn(slack: SlackDriver, calls: int) -> None:
    """One turn of the scheduler while Slack holds each of its next `calls` `users.info`."""
    held_in_turn(slack, ["users.info"] * calls, lambda: turn(slack), EMMA, QUESTION)


def test_a_deadline_reminder_asks_for_the_owners_language_before_its_work(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    working_group(db, WENDY)
    plan(db, "identity", WENDY, dt.date(2026, 12, 10))  # Thursday: due soon on Tuesday
    with serving(settings, fake_slack, db) as slack:
        slack.dm(EMMA, QUESTION)  # the other person's profile stored
        slack.clock.advance(DAY)
        forget(db, WENDY)
        _held_turn(slack, 1)
        (soon,) = dms(slack, WENDY)
        assert "due" in soon and "0 of" in soon  # in English, as Slack said
        turn(slack)
        assert len(dms(slack, WENDY)) == 1


def test_an_idle_thread_reminds_its_starter_in_their_language_asked_before_its_work(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    working_group(db, WENDY)
    with serving(settings, fake_slack, db) as slack:
        slack.dm(EMMA, QUESTION)
        # The digest is due too (drafting under way), to the admin (no lead named): their
        # profile stored, so that the one call held is the idle reminder's, for its starter.
        slack.dm(ADMIN, QUESTION)
        slack.start_draft(WENDY, "identity")
        with db.session() as session:  # started last Monday (the drafting code's own clock)
            week_ago = MONDAY - dt.timedelta(days=7)
            session.execute(update(DraftingSession).values(last_activity_at=week_ago))
        forget(db, WENDY)
        asked_before = len(fake_slack.calls_for("users.info"))
        _held_turn(slack, 1)
        asked = [c.args.get("user") for c in fake_slack.calls_for("users.info")[asked_before:]]
        assert asked == [WENDY]
        (idle,) = dms(slack, WENDY)
        assert "quiet for a week" in idle  # in English, as Slack said
        turn(slack)
        assert len(dms(slack, WENDY)) == 1


def test_the_digest_asks_for_the_leads_language_before_its_work(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    working_group(db, WENDY, WILLEM)
    plan(db, "identity", WENDY, dt.date(2026, 12, 18))  # under way: a digest is due
    with serving(settings, fake_slack, db) as slack:
        slack.dm(EMMA, QUESTION)
        forget(db, LEAD)
        _held_turn(slack, 1)
        (digest,) = [text for text in dms(slack, LEAD) if "weekly digest" in text]
        assert f"<@{WILLEM}>" in digest  # not contributed yet
        (chart,) = slack.fake.uploaded_files()
        assert chart.content is not None and chart.content.startswith(b"\x89PNG")


def test_a_complete_section_asks_for_its_readers_languages_before_its_work(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    plan(db, "purpose", WENDY, dt.date(2026, 12, 18))
    for question in load_template().section("purpose").questions:
        add_contribution(db, "purpose", question.id, WILLEM, "Our answer.", review="accepted")
    with serving(settings, fake_slack, db) as slack:
        slack.dm(EMMA, QUESTION)
        forget(db, WENDY, LEAD)
        _held_turn(slack, 2)  # the owner's and the lead's, asked together
        (to_owner,) = dms(slack, WENDY)
        assert "is complete" in to_owner and f"<@{WILLEM}>" in to_owner
        assert len([t for t in dms(slack, LEAD) if "is complete" in t]) == 1


def test_a_follow_up_asks_for_the_leads_language_before_its_work(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    adopt(db)
    _recorded_at(db, 1, MONDAY - dt.timedelta(days=30))
    make_lead(db)
    with serving(settings, fake_slack, db) as slack:
        slack.command(ERIK, "check Proud of our team: the new benches are in place!")
        slack.dm(EMMA, QUESTION)
        data = sample_policy_data() | {"version": "2026.2"}
        next(r for r in data["rules"] if r["id"] == "R10")["verdict"] = "review"
        adopt(db, data)  # as `policybot policy import --adopt` does
        _recorded_at(db, 2, MONDAY)
        forget(db, LEAD)
        _held_turn(slack, 1)
        (follow_up,) = [t for t in dms(slack, LEAD) if "Version 2026.2 is adopted" in t]
        assert "1 answer" in follow_up
        told = [m for m in fake_slack.bot_messages(fake_slack.im_for(ERIK)) if "R10" in text_of(m)]
        assert len(told) == 1


def test_an_escalation_reaches_the_lead_in_their_language_asked_before_its_work(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    open_escalation(db, fake_slack, ERIK, MONDAY)
    with serving(settings, fake_slack, db) as slack:
        slack.dm(EMMA, QUESTION)
        slack.clock.advance(DAY)
        turn(slack)  # the role's reminder, in its thread: nobody's language
        slack.clock.advance(DAY)
        forget(db, LEAD)
        _held_turn(slack, 1)
        (to_lead,) = dms(slack, LEAD)
        assert "Webcare" in to_lead and "two working days" in to_lead


def test_the_review_notice_asks_for_the_leads_language_before_its_work(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    adopt(db, sample_policy_data() | {"review": {"every": "1 year"}})  # approved 2026-01-20
    _recorded_at(db, 1, MONDAY - dt.timedelta(days=30))
    make_lead(db)
    with serving(settings, fake_slack, db) as slack:
        slack.dm(EMMA, QUESTION)
        slack.clock.advance(14 * DAY)  # thirty days before 20 January
        forget(db, LEAD)
        _held_turn(slack, 1)
        (notice,) = [t for t in dms(slack, LEAD) if "due for review" in t]
        assert "reviewed every 1 year" in notice


def _recorded_at(db: Database, number: int, when: dt.datetime) -> None:
    """The version as recorded at `when` (the scheduler's clock, not the machine's)."""
    with db.session() as session:
        session.execute(
            update(PolicyVersion).where(PolicyVersion.number == number).values(recorded_at=when)
        )
