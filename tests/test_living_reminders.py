"""Living by the policy on the scheduler, with the clock in the test's hand: a reminder to
acknowledge a few working days later, on a working day outside the quiet hours, once, only to
those who have not; the lead's notice before the review is due; the follow-up of a version
adopted outside Slack's /policy adopt; and two instances sending each reminder once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from bot.reviewing.draft import put_setting
from bot.rhythm import project
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.policy import PolicyVersion
from runtime.fakeslack import FakeSlack
from tests.driver import EMMA, ERIK, GENERAL, LEAD
from tests.payloads import text_of
from tests.rhythm_scene import DAY, HOUR, MONDAY, dms, serving, turn
from tests.samples import sample_policy_data
from tests.seed import adopt, make_lead

READ = "living_ack_read"


def adopted_at(db: Database, number: int, when: dt.datetime) -> None:
    """The version as recorded at `when` (the scheduler's clock, not the machine's)."""
    with db.session() as session:
        session.execute(
            update(PolicyVersion).where(PolicyVersion.number == number).values(recorded_at=when)
        )


def reminders_to(fake: FakeSlack, user: str) -> list[str]:
    return [
        m.text
        for m in fake.bot_messages(fake.im_for(user))
        if m.text.startswith(("A reminder", "Een herinnering"))
    ]


def test_those_who_have_not_acknowledged_are_reminded_once_on_a_working_morning(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    adopt(db)
    adopted_at(db, 1, MONDAY - dt.timedelta(days=30))  # long adopted: no follow-up now
    make_lead(db)
    fake_slack.add_channel(GENERAL, "general", [ERIK, EMMA])
    with serving(settings, fake_slack, db) as slack:
        slack.command(LEAD, "acknowledge #general")  # Monday 09:00 in Amsterdam
        request = [m for m in fake_slack.bot_messages(fake_slack.im_for(EMMA)) if m.blocks][-1]
        slack.click(EMMA, request, READ)
        turn(slack)
        slack.clock.advance(3 * DAY - 2 * HOUR)  # Thursday 07:00: three working days, quiet
        turn(slack)
        assert reminders_to(fake_slack, ERIK) == []
        slack.clock.advance(2 * HOUR)  # Thursday 09:00
        turn(slack)
        turn(slack)  # a second look says nothing again
        reminded = reminders_to(fake_slack, ERIK)
        assert len(reminded) == 1 and "versie 2026.1" in reminded[0]  # in Erik's Dutch
        assert reminders_to(fake_slack, EMMA) == []  # she has read it
        last = fake_slack.bot_messages(fake_slack.im_for(ERIK))[-1]
        assert READ in str(last.blocks)  # the button again, with the rules
        slack.clock.advance(7 * DAY)
        turn(slack)
        assert len(reminders_to(fake_slack, ERIK)) == 1  # once


def test_a_reminder_links_to_the_persons_own_copy_of_the_document(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """A user group and no announcement channel: each person got the document in their own
    direct messages; the reminder links to that copy, as the request did."""
    adopt(db)
    adopted_at(db, 1, MONDAY - dt.timedelta(days=30))
    make_lead(db)
    fake_slack.add_usergroup("S0MIXED", "gemengd", [ERIK])
    with serving(settings, fake_slack, db) as slack:
        slack.command(
            LEAD, "acknowledge <!subteam^S0MIXED|@gemengd>", channel=fake_slack.im_for(LEAD)
        )
        turn(slack)
        (own,) = [f for f in fake_slack.uploaded_files() if f.filename.endswith(".docx")]
        assert own.channel == fake_slack.im_for(ERIK)
        slack.clock.advance(3 * DAY)  # Thursday 09:00
        turn(slack)
        (reminder,) = [
            m
            for m in fake_slack.bot_messages(fake_slack.im_for(ERIK))
            if m.text.startswith("Een herinnering")
        ]
        assert own.id in str(reminder.blocks) and "Lees het hele beleid" in str(reminder.blocks)


def test_the_lead_hears_of_the_review_before_it_is_due(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    adopt(db, sample_policy_data() | {"review": {"every": "1 year"}})  # approved 2026-01-20
    adopted_at(db, 1, MONDAY - dt.timedelta(days=30))
    make_lead(db)
    with serving(settings, fake_slack, db) as slack:
        turn(slack)
        assert not any("due for review" in t for t in dms(slack, LEAD))
        slack.clock.advance(14 * DAY)  # Monday 21 December: thirty days before 20 January
        turn(slack)
        turn(slack)
        notices = [t for t in dms(slack, LEAD) if "due for review" in t]
        assert len(notices) == 1 and "reviewed every 1 year" in notices[0]


def test_reminders_switched_off_in_the_setup_say_nothing(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    adopt(db, sample_policy_data() | {"review": {"every": "1 year"}})
    adopted_at(db, 1, MONDAY - dt.timedelta(days=30))
    make_lead(db)
    fake_slack.add_channel(GENERAL, "general", [ERIK])
    with db.session() as session:  # as the setup modal saves the lead's choice
        put_setting(session, project.REMINDERS_OFF, [project.ACKNOWLEDGE, project.REVIEW], LEAD)
    with serving(settings, fake_slack, db) as slack:
        slack.command(LEAD, "acknowledge #general")
        slack.clock.advance(14 * DAY)  # past three working days, and thirty days before review
        turn(slack)
        turn(slack)
        assert reminders_to(fake_slack, ERIK) == []
        assert not any("due for review" in t for t in dms(slack, LEAD))


def test_a_version_adopted_outside_slack_is_followed_up_once(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    adopt(db)
    adopted_at(db, 1, MONDAY - dt.timedelta(days=30))
    make_lead(db)
    with serving(settings, fake_slack, db) as slack:
        slack.command(EMMA, "check Proud of our team: the new benches are in place!")
        data = sample_policy_data() | {"version": "2026.2"}
        next(r for r in data["rules"] if r["id"] == "R10")["verdict"] = "review"
        adopt(db, data)  # as `policybot policy import --adopt` does
        adopted_at(db, 2, MONDAY)
        with slack.another_instance() as second:
            turn(slack)
            second.app.background.scheduler.turn(force=True)
            second.wait()
        told = [m for m in fake_slack.bot_messages(fake_slack.im_for(EMMA)) if "changed" in m.text]
        assert len(told) == 1 and "it is now *ask first*" in text_of(told[0])
        follow_up = [t for t in dms(slack, LEAD) if "Version 2026.2 is adopted" in t]
        assert len(follow_up) == 1
