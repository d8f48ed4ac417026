"""The outbox: what the bot says is written with its work and sent after the commit; what
Slack refuses for now (429, 5xx) is sent later, once, in order per conversation, by the
background sender, and no listener thread ever waits for it.

Time is the app's clock (`running.clock`): a test moves it past Retry-After instead of
sleeping through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from bot import outbox
from bot.i18n import t
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.drafting import Contribution, DraftingSession
from bot.storage.models.people import RoleGrant
from runtime.fakellm import FakeLLM
from runtime.fakeslack import FakeSlack
from runtime.fakeslack.records import Call
from tests.driver import (
    ADMIN,
    CARLA,
    DRAFT_CHANNEL,
    EMMA,
    ERIK,
    GENERAL,
    WENDY,
    WILLEM,
    SlackDriver,
)
from tests.payloads import text_of
from tests.seed import adopt, working_group

ASKERS = (ERIK, EMMA, CARLA, ADMIN)


def unsent(running: SlackDriver) -> int:
    with running.db.session() as session:
        return outbox.unsent(session)


def made(calls: list[Call], method: str) -> list[Call]:
    """The calls to `method` Slack accepted."""
    return [c for c in calls if c.method == method and c.ok]


@pytest.mark.parametrize("status", [429, 500])
def test_a_window_of_refusals_loses_nothing_and_sends_each_once_in_order(
    running: SlackDriver, retry_waits: list[float], status: int
) -> None:
    adopt(running.db)
    working_group(running.db, WENDY, WILLEM)
    root = running.start_draft(WENDY, "identity")
    dms = {asker: running.fake.im_for(asker) for asker in ASKERS}
    start = len(running.fake.calls)
    replies: list[str] = []
    with running.fake.outage(status=status, retry_after=30):
        for n in range(40):  # drafting replies: each confirmed with a reaction
            author = (WENDY, WILLEM)[n % 2]
            ts = running.message(author, DRAFT_CHANNEL, f"Reply number {n} to the question.", root)
            replies.append(ts)
        for n in range(40):  # questions in direct messages: each answered there
            asker = ASKERS[n % len(ASKERS)]
            running.message(asker, dms[asker], f"may I post this: picture {n} of the team outing")
        for n in range(20):  # slash commands: each answered through its response_url
            running.command(ASKERS[n % len(ASKERS)], f"check our stand number {n} at the fair")
        acks = running.acks[-100:]
        assert unsent(running) > 0  # Slack took nothing of it yet
        refused = running.fake.calls_since(start)

    # Every request was acknowledged while Slack accepted nothing (so no ack waited for Slack
    # to take something: the driver's 15 s per request bounds a failure only), and no thread
    # slept on Slack's Retry-After.
    assert all(a.status == 200 for a in acks)
    assert refused and not any(c.ok for c in refused)
    assert retry_waits == []

    running.clock.advance(31)  # past Retry-After: the background sender catches up
    running.wait()
    assert unsent(running) == 0
    calls = running.fake.calls_since(start)

    # The reactions: each made once, in the order of the replies (one conversation).
    reacted = [c.args["timestamp"] for c in made(calls, "reactions.add")]
    assert reacted == replies
    with running.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Contribution)) == 40

    # The answers in each DM: one per question, in the order asked.
    for asker, channel in dms.items():
        asked = [n for n in range(40) if ASKERS[n % len(ASKERS)] == asker]
        answers = [c for c in made(calls, "chat.postMessage") if c.args["channel"] == channel]
        shown = [int(re.search(r"picture (\d+)", text_of(c.args)).group(1)) for c in answers]
        assert shown == asked

    # The command answers: one each.
    answered = [text_of(c.args) for c in made(calls, "response_url")]
    stands = sorted(int(m.group(1)) for a in answered if (m := re.search(r"number (\d+)", a)))
    assert stands == list(range(20))


def test_retry_after_is_honoured(running: SlackDriver) -> None:
    adopt(running.db)
    channel = running.fake.im_for(EMMA)
    running.fake.fail_next("chat.postMessage", status=429, retry_after=20)
    running.message(EMMA, channel, "may I post this: our stand at the fair")
    assert not running.fake.bot_messages(channel)
    running.clock.advance(15)  # not yet
    running.wait()
    assert not running.fake.bot_messages(channel)
    running.clock.advance(6)
    running.wait()
    assert len(running.fake.bot_messages(channel)) == 1
    # a later answer in the same conversation was never sent before it
    assert [c.ok for c in running.fake.calls_for("chat.postMessage")] == [False, True]


def test_a_later_message_waits_for_an_earlier_one_refused_for_now(running: SlackDriver) -> None:
    adopt(running.db)
    channel = running.fake.im_for(ERIK)
    running.fake.fail_next("chat.postMessage", status=500)
    running.message(ERIK, channel, "may I post this: first question about a photo")
    running.message(ERIK, channel, "may I post this: second question about a video")
    assert not running.fake.bot_messages(channel)  # the second waits for the first
    running.clock.advance(2)  # past the back-off
    running.wait()
    first, second = (text_of(m.to_api()) for m in running.fake.bot_messages(channel))
    assert "photo" in first and "video" in second


def test_a_slow_slack_gets_a_working_note_and_the_work_completes_later(
    running: SlackDriver,
) -> None:
    """/policy draft: Slack refuses the session message for now; the person hears it is on
    its way, and the session is stored (with its thread) once Slack has taken the post."""
    working_group(running.db, WENDY)
    running.fake.fail_next("chat.postMessage", status=429, retry_after=10)
    running.command(WENDY, "draft identity", DRAFT_CHANNEL)
    assert t("en", "delivery.working") in running.last_reply_text()
    with running.db.session() as session:
        assert session.scalar(select(func.count()).select_from(DraftingSession)) == 0
    running.clock.advance(11)
    running.wait()
    with running.db.session() as session:
        stored = session.scalars(select(DraftingSession)).one()
    posts = running.fake.bot_messages(DRAFT_CHANNEL, stored.thread_ts)
    assert len(posts) == 2  # the session message, and its first question in the thread
    assert stored.state.get("permalink")  # filled in once Slack gave it


def test_what_rolled_back_is_never_said(running: SlackDriver) -> None:
    """A refused role change says nothing but the refusal; nothing of it reaches Slack twice."""
    running.command(ERIK, "role add <@UEMP0002> admin")
    assert len(running.fake.calls_for("response_url")) == 1
    with running.db.session() as session:
        assert session.scalar(select(func.count()).select_from(RoleGrant)) == 0


def test_sent_rows_forget_their_text(running: SlackDriver) -> None:
    running.command(ADMIN, "role add <@UEMP0002> working-group", GENERAL)
    running.wait()
    with running.db.session() as session:
        rows = session.execute(select(outbox.OutboxRow.args, outbox.OutboxRow.state)).all()
    assert rows and all(args is None and state == outbox.SENT for args, state in rows)


QUESTION = "Someone wants copies of all internal emails about the new roundabout. May I?"


@contextmanager
def _slow_model(
    settings: Settings, fake_slack: FakeSlack, db: Database, timeout_ms: int
) -> Iterator[tuple[SlackDriver, FakeLLM]]:
    """The app, with a language model that holds every request until released (or until the
    app's client gives up on it, after `timeout_ms`)."""
    adopt(db)
    model = FakeLLM(mode="slow").start()
    slow = settings.with_overrides(
        llm_url=model.url, llm_model="fake-1", llm_api_key="sk-test", llm_timeout_ms=timeout_ms
    )
    running = SlackDriver.serving(slow, fake_slack, db)
    try:
        yield running, model
    finally:
        model.stop()
        running.close()


def test_a_model_that_may_be_slow_gets_its_own_note_first(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """A model that may take longer than Slack waits: the asker hears the bot is on it, once,
    before the model is asked, and the answer follows once the model has spoken."""
    with (
        _slow_model(settings, fake_slack, db, 20000) as (running, model),
        ThreadPoolExecutor(max_workers=1) as asker,
    ):
        asked = asker.submit(running.command, EMMA, f"check {QUESTION}")
        model.wait_for_request()
        running.clock.advance(3)  # no second, generic note
        working = fake_slack.wait_for("response_url")
        assert t("en", "asking.working") in text_of(working.args)
        model.release()
        assert asked.result(timeout=30).status == 200
    first, answer = running.replies()  # one note, then the answer
    assert "roundabout" in text_of(answer)


def test_work_still_running_two_seconds_in_gets_the_generic_note_first(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """A model whose timeout is inside the note's two seconds says nothing of its own; work
    still running two seconds (of the app's clock) in gets the generic note, once, before the
    answer. Slack holds the asker's profile (`users.info`, before the model) until the note
    has come: the order comes from events. (It was the model's own 1.5 s of wall-clock time
    that held the work, racing the test to the note: 8 failures in 40 runs under load.)"""
    with _slow_model(settings, fake_slack, db, 1500) as (running, model):
        profile = fake_slack.hold_next("users.info")
        with ThreadPoolExecutor(max_workers=1) as asker:
            asked = asker.submit(running.command, EMMA, f"check {QUESTION}")
            profile.wait_until_arrived()
            running.clock.advance(3)
            working = fake_slack.wait_for("response_url")
            assert t("en", "delivery.working") in text_of(working.args)
            profile.release()
            # Then the model is asked, and given up on: the rules' answer.
            assert asked.result(timeout=30).status == 200
        assert model.requests
    first, answer = running.replies()  # one note, then the answer
    assert "roundabout" in text_of(answer)
