"""A language model's second opinion is asked outside the answer's unit of work (issues 10
and 13): on SQLite a slow model asked after the answer's first write would hold the writer
turn every other request's write waits for, other people's acks (the inbox INSERT)
included; on PostgreSQL a transaction and a pooled connection for the model's whole time.
The stand-in model holds its reply while another person's direct message is acknowledged
and answered, and on PostgreSQL no transaction of the app begun before the model was asked
is still open; once the model replies, the asker's answer follows it, once. Killed while
the model thinks, the restarted server answers the question once."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.answering import SecondOpinion
from bot.storage.models.asking import AskedQuestion
from bot.storage.models.delivery import InboxRecord
from bot.storage.models.slack_cache import UserProfile
from runtime.fakellm import FakeLLM
from runtime.fakeslack import FakeSlack
from tests.crash_harness import Instance, count, kill_9, until
from tests.driver import ERIK, WENDY, SlackDriver
from tests.held import answered_while_held, open_since, server_now
from tests.payloads import text_of
from tests.seed import adopt

# A number in the post: the rules are sure (a detector), no model is asked.
QUESTION = "Mag ik dit posten: Baasje gezocht! Bel de vinder, mevrouw Bakker, op 06-12345678"
UNSURE = "Iemand wil alle interne mails over de nieuwe rotonde."  # the rules are not


@pytest.fixture
def held_model() -> Iterator[FakeLLM]:
    """The stand-in model, holding every reply until the test releases it."""
    fake = FakeLLM(mode="slow", answers={"rotonde": ["R14"]}).start()
    yield fake
    fake.stop()


def served(settings: Settings, fake: FakeSlack, db: Database, model: FakeLLM) -> SlackDriver:
    # The longest wait the settings allow: the held reply must not run into the timeout.
    return SlackDriver.serving(
        settings.with_overrides(
            llm_url=model.url, llm_model="fake-1", llm_api_key="sk-test", llm_timeout_ms=60000
        ),
        fake,
        db,
    )


def test_the_model_is_asked_with_no_transaction_open(
    settings: Settings, fake_slack: FakeSlack, db: Database, held_model: FakeLLM
) -> None:
    adopt(db)
    running = served(settings, fake_slack, db, held_model)
    try:
        running.dm(WENDY, QUESTION)  # Wendy's profile stored; her question asks no model
        assert held_model.requests == []
        # Erik's profile is not stored: his answer keeps what Slack says of him (a write).
        with ThreadPoolExecutor(max_workers=1) as pool:
            done = pool.submit(running.command, ERIK, "check " + UNSURE)
            try:
                held_model.wait_for_request()
                arrived = server_now(db)
                answered_while_held(running, WENDY, QUESTION)
                assert open_since(db, arrived) == 0, "a transaction open over the model's call"
                assert not any("fake-1" in text_of(r) for r in running.replies())  # not yet
            finally:
                held_model.release()
            done.result(timeout=60)  # bounds a failure only
        running.wait()
        replies = [text_of(r) for r in running.replies()]
    finally:
        running.close()
    assert "Ik ben ermee bezig" in replies[-2]  # the note, before the model was asked
    assert "taalmodel (fake-1)" in replies[-1] and "R14" in replies[-1]
    assert sum("fake-1" in reply for reply in replies) == 1  # answered once
    assert len(held_model.requests) == 1
    with db.session() as session:
        logged = session.scalar(
            select(func.count()).select_from(AskedQuestion).where(AskedQuestion.asker == ERIK)
        )
        kept = session.scalars(select(SecondOpinion.rules)).all()
        profile = session.get(UserProfile, ERIK)
    assert logged == 1 and kept == [["R14"]]  # logged once; the opinion cached
    assert profile is not None and profile.language == "nl"  # kept, though asked before


def test_killed_while_the_model_thinks_the_question_is_answered_once(
    settings: Settings, fake_slack: FakeSlack, db: Database, held_model: FakeLLM, tmp_path: Path
) -> None:
    adopt(db)
    model = {
        "POLICYBOT_LLM_URL": held_model.url,
        "POLICYBOT_LLM_MODEL": "fake-1",
        "POLICYBOT_LLM_TIMEOUT_MS": "60000",
    }
    instance = Instance(settings, fake_slack, tmp_path, model)
    slack = instance.slack
    im = fake_slack.im_for(ERIK)
    with instance.serving() as server:
        slack.message(ERIK, im, "Mag ik dit posten: " + UNSURE)
        assert slack.acks[-1].status == 200
        held_model.wait_for_request(timeout=60)
        kill_9(server)  # while the model thinks
    assert fake_slack.bot_messages(im) == []  # no answer yet
    held_model.release()  # the restarted server's model answers at once

    with instance.serving():  # the same instance, restarted
        until(
            lambda: (
                count(db, InboxRecord, InboxRecord.state == "pending") == 0
                and bool(fake_slack.bot_messages(im))
            ),
            60.0,
            "the question answered",
        )
    answers = [text_of(m) for m in fake_slack.bot_messages(im)]
    assert len(answers) == 1 and "fake-1" in answers[0] and "R14" in answers[0]  # once
    assert count(db, AskedQuestion, AskedQuestion.asker == ERIK) == 1
    assert len(held_model.requests) == 2  # asked again: nothing was kept before the kill
