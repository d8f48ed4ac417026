"""kill -9: `policybot serve --http` in a process of its own, 200 drafting replies
acknowledged, then killed at once (the whole process group, as a host dies). Restarted, it
takes back what it held, and every reply is recorded exactly once: none lost, none twice.

Runs on the test's database (an SQLite file, or PostgreSQL), with the stand-in Slack on
127.0.0.1. Waiting for the server is bounded by deadlines; nothing sleeps through time.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select

from bot.drafting import sessions
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.delivery import InboxRecord
from bot.storage.models.drafting import Contribution
from runtime.fakeslack import FakeSlack
from tests.driver import ADMIN, DRAFT_CHANNEL, WENDY, WILLEM, SlackDriver
from tests.seed import working_group

ROOT = Path(__file__).resolve().parent.parent
REPLIES = 200
START_WITHIN = 60.0  # seconds for the server to answer /healthz
DRAIN_WITHIN = 60.0  # seconds for the restarted server to finish what was left


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _until(condition: Callable[[], bool], within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {within:.0f} s"
        time.sleep(0.05)  # polling another process, bounded by the deadline


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


@contextmanager
def serving(
    settings: Settings, port: int, folder: Path, extra: Mapping[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`policybot serve --http --port PORT` in its own process group, with `extra` in its
    environment; stopped afterwards (unless the test killed it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POLICYBOT_"))}
    env |= {
        "SLACK_BOT_TOKEN": settings.bot_token or "",
        "SLACK_SIGNING_SECRET": settings.signing_secret or "",
        "SLACK_API_URL": settings.slack_api_url,
        "DATABASE_URL": settings.database_url,
        "POLICYBOT_ADMINS": ADMIN,
        "POLICYBOT_LANGUAGE": "en",
        "PYTHONPATH": str(ROOT),
    }
    env |= dict(extra or {})
    command = [sys.executable, "-m", "runtime.cli", "serve", "--http", "--port", str(port)]
    with (folder / f"server-{port}.log").open("ab") as log:
        process = subprocess.Popen(
            command, cwd=folder, env=env, stdout=log, stderr=log, start_new_session=True
        )
    try:
        _until(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), START_WITHIN, "start")
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def _count(db: Database, *where: object, model: type = Contribution) -> int:
    with db.session() as session:
        query = select(func.count()).select_from(model)
        return int(session.scalar(query.where(*where)) or 0)


def test_kill_9_after_the_acks_loses_no_reply_and_records_none_twice(
    settings: Settings, fake_slack: FakeSlack, db: Database, tmp_path: Path
) -> None:
    working_group(db, WENDY, WILLEM)
    root = fake_slack.post_user_message(WENDY, DRAFT_CHANNEL, "Let's draft our identity.")
    with db.session() as session:
        sessions.open_session(
            session,
            section_id="identity",
            channel=DRAFT_CHANNEL,
            thread_ts=root,
            started_by=WENDY,
            language="en",
        )
    port = _free_port()
    url = f"http://127.0.0.1:{port}/slack/events"
    slack = SlackDriver(url, fake_slack, signing_secret=settings.signing_secret or "")

    def reply(n: int) -> int:
        author = (WENDY, WILLEM)[n % 2]
        return slack.message(author, DRAFT_CHANNEL, f"Reply {n}: we answer.", root) and (
            slack.acks[-1].status if slack.acks else 0
        )

    with serving(settings, port, tmp_path) as server:
        with ThreadPoolExecutor(max_workers=8) as senders:
            list(senders.map(reply, range(REPLIES)))
        os.killpg(server.pid, signal.SIGKILL)  # at once, after the last ack
        server.wait(timeout=30)
    assert len(slack.acks) == REPLIES and {a.status for a in slack.acks} == {200}
    recorded_before = _count(db)

    with serving(settings, port, tmp_path):  # the same instance, restarted
        _until(
            lambda: _count(db, InboxRecord.state == "pending", model=InboxRecord) == 0,
            DRAIN_WITHIN,
            "draining the inbox",
        )
    with db.session() as session:
        texts = session.scalars(select(Contribution.text)).all()
    assert sorted(texts) == sorted(f"Reply {n}: we answer." for n in range(REPLIES))
    print(f"recorded before the kill: {recorded_before}; after the restart: {len(texts)}")
