"""Fixtures: a fresh real database per test, the fake Slack Web API, and the app over HTTP.

The database is SQLite by default. Set POLICYBOT_TEST_DATABASE_URL to a PostgreSQL server
URL (any database on it, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres) and every
test gets its own PostgreSQL database instead, cloned from a migrated template.
"""

from __future__ import annotations

import os
import shutil
import socketserver
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.settings import Settings
from bot.storage import Database
from runtime.app_factory import create_app
from runtime.executor import TrackingExecutor
from runtime.fakeslack import FakeSlack
from runtime.local_server import PromptShutdownMixin
from runtime.serve import wsgi_application
from tests.slack_requests import SlackSender

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
ADMIN = "UADMIN01"
PG_URL = os.environ.get("POLICYBOT_TEST_DATABASE_URL", "").strip()


def pytest_report_header() -> str:
    return f"policybot database backend: {'postgresql' if PG_URL else 'sqlite'}"


# -- databases ------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database that every test's database is cloned from (migrations run once)."""
    if PG_URL:
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        name = f"pbt_template_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        database = Database(url)
        database.migrate()
        database.dispose()
        yield name
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        database = Database(f"sqlite:///{path}")
        database.migrate()
        database.dispose()
        yield str(path)


@pytest.fixture
def db_url(_template: str, tmp_path: Path) -> Iterator[str]:
    if PG_URL:
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        name = f"pbt_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_template}"'))
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = tmp_path / "policybot.db"
        shutil.copyfile(_template, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


# -- Slack ------------------------------------------------------------------------------------
@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        for user, name, locale in (
            (ADMIN, "admin", "en-US"),
            ("UCOMMS01", "carla", "en-US"),
            ("UWG00001", "willem", "nl-NL"),
            ("UWG00002", "wendy", "en-GB"),
            ("UEMP0001", "erik", "nl-NL"),
            ("UEMP0002", "emma", "en-US"),
        ):
            fake.add_user(user, name, locale=locale)
        fake.add_channel("C0GENERAL", "general")
        fake.add_channel("C0DRAFT", "beleid-werkgroep")
        yield fake


@pytest.fixture
def settings(db_url: str, fake_slack: FakeSlack) -> Settings:
    return Settings(
        bot_token="xoxb-test-token",
        signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        database_url=db_url,
        admins=frozenset({ADMIN}),
        language="en",
    )


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _ThreadingWSGIServer(PromptShutdownMixin, socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class RunningApp:
    """The app served over HTTP on 127.0.0.1, with its executor and database at hand."""

    def __init__(self, settings: Settings, fake: FakeSlack, database: Database) -> None:
        self.settings, self.fake, self.db = settings, fake, database
        self.executor = TrackingExecutor(max_workers=8)
        self.app = create_app(settings, database, listener_executor=self.executor)
        self.server = make_server(
            "127.0.0.1",
            0,
            wsgi_application(self.app),
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler,
        )
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{port}/slack/events"
        self.slack = SlackSender(
            self.url,
            settings.signing_secret or "",
            fake,
            bot_user_id=fake.bot_user_id,
            wait=self.wait,
        )

    def wait(self) -> None:
        assert self.executor.wait_idle(15), "the app did not finish reacting within 15 s"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.executor.shutdown(wait=True)


@pytest.fixture
def running(settings: Settings, fake_slack: FakeSlack, db: Database) -> Iterator[RunningApp]:
    app = RunningApp(settings, fake_slack, db)
    yield app
    app.close()


@pytest.fixture
def slack(running: RunningApp) -> SlackSender:
    return running.slack
