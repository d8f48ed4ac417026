"""A post made once, even when the connection drops after Slack has read it
(`kit.courier.post_once`).

The keep-alive pool sends a request again when its connection turns out to have been closed;
for a post that is only safe when Slack never read the first one. The stand-in Web API here
makes the post and then closes the connection without an answer, as a server or a proxy
that dies at the wrong moment does: the bot finds its message by the row's metadata and
does not post it again.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from bot.storage.models.delivery import OutboxRow
from handlers.kit.courier import EVENT_TYPE
from handlers.kit.keepalive import MaybeSent, PooledWebClient, never_resent
from runtime.fakeslack import FakeSlack
from tests.driver import EMMA, SlackDriver
from tests.seed import adopt

QUESTION = "may I post this: our team won the cup!"


def _states(running: SlackDriver) -> list[str]:
    with running.db.session() as session:
        return list(session.scalars(select(OutboxRow.state)))


def test_an_answer_whose_post_lost_its_answer_is_posted_once(running: SlackDriver) -> None:
    adopt(running.db)
    channel = running.fake.im_for(EMMA)
    running.fake.drop_after_reading("chat.postMessage")
    running.message(EMMA, channel, QUESTION)
    running.wait()
    answers = running.fake.bot_messages(channel)
    assert len(answers) == 1, "the answer was posted twice (or not at all)"
    assert answers[0].metadata is not None
    assert answers[0].metadata["event_type"] == EVENT_TYPE
    assert running.fake.calls_for("conversations.history"), "it did not look before posting"
    assert set(_states(running)) == {"sent"}  # recorded as made: nothing left to send


def test_a_reply_in_a_thread_whose_answer_was_lost_is_found_in_the_thread(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    channel = running.fake.im_for(EMMA)
    root = running.message(EMMA, channel, "hello")
    running.wait()

    def replies() -> list[str]:
        return [m.ts for m in running.fake.bot_messages(channel, thread_ts=root) if m.is_reply]

    before = replies()
    running.fake.drop_after_reading("chat.postMessage")
    running.message(EMMA, channel, QUESTION, thread_ts=root)
    running.wait()
    assert len(replies()) == len(before) + 1, "the answer was posted twice (or not at all)"
    assert running.fake.calls_for("conversations.replies")
    assert "pending" not in _states(running)


def test_a_post_that_was_not_made_is_made_after_the_look(running: SlackDriver) -> None:
    adopt(running.db)
    channel = running.fake.im_for(EMMA)
    running.fake.fail_next("chat.postMessage", status=500)  # refused for now: not made
    running.message(EMMA, channel, QUESTION)
    running.clock.advance(5)  # past the back-off: the background sender tries again
    running.wait()
    assert len(running.fake.bot_messages(channel)) == 1
    # an earlier try that failed may have been made: the sender looked first
    assert running.fake.calls_for("conversations.history")
    assert set(_states(running)) == {"sent"}


def test_the_pool_resends_a_read_but_not_a_post_on_a_dropped_connection(
    fake_slack: FakeSlack,
) -> None:
    client = PooledWebClient(token="xoxb-test", base_url=fake_slack.api_url, retry_handlers=[])
    client.auth_test()  # the connection is open and kept: the next call reuses it
    fake_slack.drop_after_reading("auth.test")
    assert client.auth_test()["ok"]  # a read: sent again on a fresh connection
    assert len(fake_slack.calls_for("auth.test")) == 3
    channel = fake_slack.im_for(EMMA)
    client.auth_test()
    fake_slack.drop_after_reading("chat.postMessage")
    with pytest.raises(MaybeSent), never_resent():
        client.chat_postMessage(channel=channel, text="once")
    assert [m.text for m in fake_slack.bot_messages(channel)] == ["once"]


def test_a_post_made_just_before_a_crash_is_not_made_again(running: SlackDriver) -> None:
    """The one window the outbox had left: the post made, its record not yet written, the
    process gone. The row is put back as the dead process left it (pending, its text still
    there, its sender's lease run out); the sender that takes it over finds the post in
    Slack by its metadata and does not post it again."""
    adopt(running.db)
    channel = running.fake.im_for(EMMA)
    running.message(EMMA, channel, QUESTION)
    running.wait()
    assert len(running.fake.bot_messages(channel)) == 1
    call = running.fake.calls_for("chat.postMessage")[-1]
    args = {k: v for k, v in call.args.items() if k not in ("metadata", "token")}
    with running.db.session() as session:  # as it was between the post and its record
        session.execute(
            update(OutboxRow).values(
                state="pending", args=args, finished_at=None, claimed_by="dead", lease_until=None
            )
        )
    running.clock.advance(1)  # the background sender looks for due rows
    running.wait()
    assert len(running.fake.bot_messages(channel)) == 1, "posted again after the crash"
    assert set(_states(running)) == {"sent"}
