"""Events are acknowledged at the door (`runtime.event_door`): recorded in the inbox, answered,
and only then run through Bolt. What Bolt then ignores is done; what comes from a bot takes
Bolt's own path and is never recorded."""

from __future__ import annotations

import json

from sqlalchemy import String, cast, select

from bot import inbox
from bot.inbox import INBOX
from bot.storage.models.delivery import InboxRecord
from runtime.event_door import EventDoor
from tests.driver import ERIK, SlackDriver
from tests.seed import adopt


def _records(running: SlackDriver) -> list[tuple[str, str]]:
    with running.db.session() as session:
        return [(r.key, r.state) for r in session.scalars(select(InboxRecord))]


def test_a_dm_taken_in_at_the_door_is_answered_once_and_done(running: SlackDriver) -> None:
    adopt(running.db)
    channel = running.fake.im_for(ERIK)
    ts = running.fake.post_user_message(ERIK, channel, "may I post this: our stand")
    event = {"type": "message", "channel": channel, "user": ERIK, "channel_type": "im"}
    acked = running.event(event | {"text": "may I post this: our stand", "ts": ts}, "Ev0DOOR01")
    running.wait()
    assert acked.status == 200
    assert len(running.fake.bot_messages(channel)) == 1
    assert _records(running) == [("event:Ev0DOOR01", inbox.DONE)]


def test_an_event_of_the_bot_itself_is_ignored_by_bolt_and_done(running: SlackDriver) -> None:
    # The bot's own user (no bot_id: a reaction it added) passes the door; Bolt, having
    # authorised the request, ignores it before our middleware, and the record is done.
    channel = running.fake.im_for(ERIK)
    event = {"type": "reaction_added", "user": running.fake.bot_user_id, "reaction": "eyes"}
    event |= {"item": {"type": "message", "channel": channel, "ts": "1700000000.000100"}}
    assert running.event(event, "Ev0DOOR02").status == 200
    running.wait()
    assert _records(running) == [("event:Ev0DOOR02", inbox.DONE)]
    assert running.fake.bot_messages(channel) == []


def test_the_bots_own_post_takes_bolts_path_and_is_never_recorded(running: SlackDriver) -> None:
    channel = running.fake.im_for(ERIK)
    event = {"type": "message", "subtype": "bot_message", "bot_id": running.fake.bot_id}
    event |= {"channel": channel, "text": "Dat mag.", "ts": "1700000000.000200"}
    assert running.event(event | {"channel_type": "im"}, "Ev0DOOR03").status == 200
    running.wait()
    assert _records(running) == []
    assert running.fake.bot_messages(channel) == []


def test_the_inbox_keeps_an_events_body_as_slack_sent_it(running: SlackDriver) -> None:
    # Not json.dumps's spelling of the parsed body: the bytes that came, escapes, spacing and
    # non-ASCII letters as they were, which read back as the same object; cleared once done.
    adopt(running.db)
    channel = running.fake.im_for(ERIK)
    text = 'mag ik dit posten: café \\u00e9 \\/ \\"stand\\"'
    sent = (
        '{"type":"event_callback",  "event_id":"Ev0DOOR04","team_id":"T1",'
        f'"event":{{"type":"message","channel":"{channel}","user":"{ERIK}",'
        f'"channel_type":"im","ts":"1700000000.000300","text":"{text}"}}}}\n'
    )
    door = EventDoor(running.app.intake)
    answered = door(json.loads(sent), sent.encode(), {})
    assert answered is not None and answered[0] == 200
    stored = cast(INBOX.c.body, String)
    with running.db.session() as session:
        assert session.execute(select(stored)).scalar_one() == sent
        assert session.scalars(select(InboxRecord.body)).one() == json.loads(sent)
    assert answered[1] is not None
    answered[1]()  # the ack written: the record runs
    running.wait()
    assert _records(running) == [("event:Ev0DOOR04", inbox.DONE)]
    with running.db.session() as session:
        assert session.scalars(select(InboxRecord.body)).one() is None
