"""kill -9: `policybot serve --http` in a process of its own, 200 drafting replies
acknowledged, then killed at once (the whole process group, as a host dies). Restarted, it
takes back what it held, and every reply is recorded exactly once: none lost, none twice.

Runs on the test's database (an SQLite file, or PostgreSQL), with the stand-in Slack on
127.0.0.1. Waiting for the server is bounded by deadlines; nothing sleeps through time.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select

from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.delivery import InboxRecord
from bot.storage.models.drafting import Contribution
from runtime.fakeslack import FakeSlack
from tests.crash_harness import Instance, count, drafting_thread, kill_9, until
from tests.driver import DRAFT_CHANNEL, WENDY, WILLEM

REPLIES = 200
DRAIN_WITHIN = 60.0  # seconds for the restarted server to finish what was left


def test_kill_9_after_the_acks_loses_no_reply_and_records_none_twice(
    settings: Settings, fake_slack: FakeSlack, db: Database, tmp_path: Path
) -> None:
    root = drafting_thread(db, fake_slack, WENDY, WILLEM)
    instance = Instance(settings, fake_slack, tmp_path)
    slack = instance.slack

    def reply(n: int) -> int:
        author = (WENDY, WILLEM)[n % 2]
        return slack.message(author, DRAFT_CHANNEL, f"Reply {n}: we answer.", root) and (
            slack.acks[-1].status if slack.acks else 0
        )

    with instance.serving() as server:
        with ThreadPoolExecutor(max_workers=8) as senders:
            list(senders.map(reply, range(REPLIES)))
        kill_9(server)  # at once, after the last ack
    assert len(slack.acks) == REPLIES and {a.status for a in slack.acks} == {200}
    recorded_before = count(db, Contribution)

    with instance.serving():  # the same instance, restarted
        until(
            lambda: count(db, InboxRecord, InboxRecord.state == "pending") == 0,
            DRAIN_WITHIN,
            "draining the inbox",
        )
    with db.session() as session:
        texts = session.scalars(select(Contribution.text)).all()
    assert sorted(texts) == sorted(f"Reply {n}: we answer." for n in range(REPLIES))
    print(f"recorded before the kill: {recorded_before}; after the restart: {len(texts)}")
