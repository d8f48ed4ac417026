"""The inbox: every request is recorded before it is acknowledged, done once with its effects,
refused when it is replayed, and run again (by whichever instance) when its run died.

A captured request sent again, byte for byte, within Slack's five-minute window is a replay:
it is acknowledged and does nothing. Records a crashed instance left are taken over when
their lease runs out (the test moves the instances' clock past it).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot import inbox, outbox
from bot.i18n import t
from bot.outbox import Letter
from bot.storage import Database
from bot.storage.models.asking import AskedQuestion
from bot.storage.models.delivery import InboxRecord
from bot.storage.models.drafting import Contribution, DraftingSession
from bot.storage.models.policy import DraftSection
from tests.driver import (
    ADMIN,
    DRAFT_CHANNEL,
    EMMA,
    ERIK,
    GENERAL,
    LEAD,
    WENDY,
    WILLEM,
    SlackDriver,
)
from tests.payloads import text_value
from tests.seed import add_contribution, adopt, make_lead, working_group

CRASHED = "crashed-instance"


def count(db: Database, model: type) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def states(db: Database) -> dict[str, int]:
    with db.session() as session:
        rows = session.execute(
            select(InboxRecord.state, func.count()).group_by(InboxRecord.state)
        ).all()
    return {state: n for state, n in rows}


# -- replays ------------------------------------------------------------------------------------
def test_a_replayed_check_is_answered_once(running: SlackDriver) -> None:
    adopt(running.db)
    running.command(EMMA, "check a photo of our stand at the fair")
    captured = running.sent[-1]
    again = running.replay(captured)
    assert again.status == 200 and again.body == ""
    assert len(running.fake.calls_for("response_url")) == 1
    assert count(running.db, AskedQuestion) == 1


def test_a_replayed_draft_opens_one_session(running: SlackDriver) -> None:
    working_group(running.db, WENDY)
    running.command(WENDY, "draft identity", DRAFT_CHANNEL)
    running.replay(running.sent[-1])
    assert count(running.db, DraftingSession) == 1
    assert len(running.fake.bot_messages(DRAFT_CHANNEL)) == 2  # its message and first question


def test_a_replayed_role_add_does_not_grant_again_what_was_removed(
    running: SlackDriver,
) -> None:
    running.command(ADMIN, "role add <@UEMP0001> working-group")
    granted = running.sent[-1]
    running.command(ADMIN, "role remove <@UEMP0001> working-group")
    running.replay(granted)
    running.command(ADMIN, "role list working-group")
    assert "UEMP0001" not in running.last_reply_text()


def test_a_replayed_button_click_does_nothing(running: SlackDriver) -> None:
    make_lead(running.db)
    contribution = add_contribution(running.db, "purpose", "purpose.why", WILLEM, "Be near.")
    running.command(LEAD, "review purpose")
    running.press(LEAD, running.find_button("review_accept"))
    accepted = running.sent[-1]
    running.press(LEAD, running.find_button("review_reject"))
    replies = len(running.replies())
    running.replay(accepted)
    with running.db.session() as session:
        assert session.get(Contribution, contribution).review == "rejected"
    assert len(running.replies()) == replies


def test_a_replayed_modal_submission_does_nothing(running: SlackDriver) -> None:
    make_lead(running.db)
    running.command(LEAD, "review purpose")
    running.press(LEAD, running.find_button("review_edit_text"))
    view = running.opened_view()
    running.submit(LEAD, view, {"title": text_value("Why"), "text_0": text_value("First.")})
    first = running.sent[-1]
    running.submit(LEAD, view, {"title": text_value("Why"), "text_0": text_value("Second.")})
    answer = running.replay(first)
    assert answer.status == 200 and answer.body == ""
    with running.db.session() as session:
        assert session.get(DraftSection, "purpose").text == "Second."


def test_a_redelivered_event_is_acknowledged_without_effect(running: SlackDriver) -> None:
    adopt(running.db)
    channel = running.fake.im_for(ERIK)
    event = {"type": "message", "channel": channel, "user": ERIK, "channel_type": "im"}
    event |= {"text": "may I post this: our stand", "ts": "1700000000.000100"}
    running.event(event, event_id="Ev0SAME0001")
    again = running.event(event, event_id="Ev0SAME0001", retry=1)
    with running.another_instance() as second:  # Slack's next try reaches another instance
        later = second.event(event, event_id="Ev0SAME0001", retry=2)
    assert again.status == later.status == 200
    assert len(running.fake.bot_messages(channel)) == 1
    assert count(running.db, AskedQuestion) == 1


# -- records that are done ----------------------------------------------------------------------
def test_every_request_is_done_and_keeps_no_text(running: SlackDriver) -> None:
    adopt(running.db)
    running.command(EMMA, "check a photo of our stand")  # an answer
    running.message(EMMA, GENERAL, "a channel message nobody listens to")  # ignored
    running.command(EMMA, "help")  # an answer that changes nothing in the database
    assert states(running.db) == {inbox.DONE: 3}
    with running.db.session() as session:
        assert session.scalars(select(InboxRecord.body)).all() == [None, None, None]


# -- runs that died -------------------------------------------------------------------------------
def _taken_in_by_a_crashed_instance(running: SlackDriver, bodies: list[dict]) -> None:
    """Records as an instance leaves them that took requests in and died before their work."""
    now = running.clock.now()
    with running.db.session() as session:
        for n, body in enumerate(bodies):
            kind = "event" if body.get("type") == "event_callback" else "action"
            key = f"event:{body['event_id']}" if kind == "event" else f"sig:crashed{n}"
            assert inbox.take_in(session, key, kind, body, {}, claimant=CRASHED, now=now)


def _thread_reply(running: SlackDriver, author: str, text: str, root: str) -> dict:
    ts = running.fake.post_user_message(author, DRAFT_CHANNEL, text, thread_ts=root)
    event = {"type": "message", "channel": DRAFT_CHANNEL, "user": author, "text": text}
    event |= {"ts": ts, "thread_ts": root, "channel_type": "channel", "event_ts": ts}
    return running.event_envelope(event)


def _direct_message(running: SlackDriver, user: str, text: str) -> dict:
    channel = running.fake.im_for(user)
    ts = running.fake.post_user_message(user, channel, text)
    event = {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts}
    return running.event_envelope(event | {"channel_type": "im", "event_ts": ts})


def test_a_dead_runs_records_are_run_by_another_instance_once_its_lease_is_over(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    _taken_in_by_a_crashed_instance(running, [_direct_message(running, ERIK, "may I post this")])
    running.clock.advance(5)  # its lease still holds: the crashed instance might be slow
    running.wait()
    assert states(running.db) == {inbox.PENDING: 1}
    running.clock.advance(inbox.LEASE.total_seconds())
    running.wait()
    assert states(running.db) == {inbox.DONE: 1}
    assert len(running.fake.bot_messages(running.fake.im_for(ERIK))) == 1


def test_two_instances_drain_what_a_crashed_one_left_each_record_once(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    working_group(running.db, WENDY, WILLEM)
    root = running.start_draft(WENDY, "identity")
    bodies = [
        _thread_reply(running, (WENDY, WILLEM)[n % 2], f"Reply {n}.", root) for n in range(30)
    ]
    bodies += [_direct_message(running, (ERIK, EMMA)[n % 2], f"may I post {n}") for n in range(20)]
    _taken_in_by_a_crashed_instance(running, bodies)
    now = running.clock.now()
    with running.db.session() as session:  # and posts it had written but not sent
        letters = [
            Letter("post", GENERAL, {"channel": GENERAL, "text": f"Note {n}"}) for n in range(10)
        ]
        outbox.write(session, letters, request=None, claimant=CRASHED, claim="gone", now=now)
    with running.another_instance("second-instance") as second:
        running.clock.advance((outbox.LEASE + timedelta(seconds=1)).total_seconds())
        for _ in range(3):  # the two wake together and share the work
            running.wait()
            second.wait()
    assert states(running.db) == {inbox.DONE: 51}  # with the /policy draft of the scene
    with running.db.session() as session:
        texts = session.scalars(select(Contribution.text)).all()
        assert sorted(texts) == sorted(f"Reply {n}." for n in range(30))
        assert outbox.unsent(session) == 0
    for asker in (ERIK, EMMA):
        assert len(running.fake.bot_messages(running.fake.im_for(asker))) == 10
    notes = [m.text for m in running.fake.bot_messages(GENERAL)]
    assert notes == [f"Note {n}" for n in range(10)]  # each once, in order


def test_a_modal_too_late_to_open_after_a_crash_is_explained(running: SlackDriver) -> None:
    make_lead(running.db)
    running.command(LEAD, "review purpose")
    button = running.find_button("review_edit_text")
    url = running.fake.response_url_for("late", user=LEAD, channel=GENERAL)
    payload = {
        "type": "block_actions",
        "user": {"id": LEAD, "name": "carla"},
        "team": {"id": "T0TEST"},
        "api_app_id": "A0POLICY",
        "trigger_id": "trigger.expired",
        "response_url": url,
        "channel": {"id": GENERAL},
        "container": {"type": "message", "channel_id": GENERAL},
        "actions": [{"type": "button", "action_id": button["action_id"], "value": button["value"]}],
    }
    _taken_in_by_a_crashed_instance(running, [payload])
    running.fake.fail_next("views.open", status=200, error="expired_trigger_id")
    running.clock.advance(inbox.LEASE.total_seconds() + 1)
    running.wait()
    assert t("en", "delivery.too_late") in running.last_reply_text()
    assert states(running.db) == {inbox.DONE: 1, inbox.FAILED: 1}  # the review, the click
