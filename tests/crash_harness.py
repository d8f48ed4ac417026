"""What the kill -9 tests share: one instance of `policybot serve --http` in a process group
of its own, on the test's database with the stand-in Slack on 127.0.0.1, started, killed at
once (as a host dies) and restarted on the same port; a drafting thread to reply in; and
waits on the other process, each bounded by a deadline (nothing sleeps through time).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select

from bot.drafting import sessions
from bot.settings import Settings
from bot.storage import Database
from runtime.fakeslack import FakeSlack
from tests.driver import ADMIN, DRAFT_CHANNEL, SlackDriver
from tests.http_process import free_port
from tests.seed import working_group

ROOT = Path(__file__).resolve().parent.parent
START_WITHIN = 60.0  # seconds for the server to answer /healthz


class Instance:
    """One instance of the app, on a port of its own for the whole test (its restart takes
    the same one), with `extra` in its environment; `slack` signs requests for it."""

    def __init__(
        self,
        settings: Settings,
        fake_slack: FakeSlack,
        folder: Path,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self.settings, self.folder, self.extra = settings, folder, dict(extra or {})
        self.port = free_port()
        url = f"http://127.0.0.1:{self.port}/slack/events"
        self.slack = SlackDriver(url, fake_slack, signing_secret=settings.signing_secret or "")

    @contextmanager
    def serving(self) -> Iterator[subprocess.Popen[bytes]]:
        """`policybot serve --http --port PORT` in its own process group; stopped afterwards
        (unless the test killed it)."""
        settings = self.settings
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
        env |= self.extra
        port = str(self.port)
        command = [sys.executable, "-m", "runtime.cli", "serve", "--http", "--port", port]
        with (self.folder / f"server-{port}.log").open("ab") as log:
            process = subprocess.Popen(
                command, cwd=self.folder, env=env, stdout=log, stderr=log, start_new_session=True
            )
        try:
            until(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), START_WITHIN, "start")
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)


def kill_9(server: subprocess.Popen[bytes]) -> None:
    """The whole process group killed at once, as a host dies: nothing of it runs after."""
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=30)


def until(condition: Callable[[], bool], within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {within:.0f} s"
        time.sleep(0.05)  # polling another process, bounded by the deadline


def count(db: Database, model: type, *where: object) -> int:
    """How many rows of `model` match `where`, read now."""
    with db.session() as session:
        query = select(func.count()).select_from(model)
        return int(session.scalar(query.where(*where)) or 0)


def drafting_thread(db: Database, fake_slack: FakeSlack, starter: str, *others: str) -> str:
    """The identity section's drafting thread in the drafting channel, opened by `starter`
    with `others` in the working group too; its root's ts."""
    working_group(db, starter, *others)
    root = fake_slack.post_user_message(starter, DRAFT_CHANNEL, "Let's draft our identity.")
    with db.session() as session:
        sessions.open_session(
            session,
            section_id="identity",
            channel=DRAFT_CHANNEL,
            thread_ts=root,
            started_by=starter,
            language="en",
        )
    return root


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False
