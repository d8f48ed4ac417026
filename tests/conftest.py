"""Fixtures: a fresh real database per test, the fake Slack Web API, and the app over HTTP.

The database is SQLite by default. Set POLICYBOT_TEST_DATABASE_URL to a PostgreSQL server
URL (any database on it, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres) and every
test gets its own PostgreSQL database instead, cloned from a migrated template.
"""

from __future__ import annotations

import logging
import os
import shutil
import types
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.settings import Settings
from bot.storage import Database
from runtime.fakeslack import FakeSlack
from tests.driver import ADMIN, SIGNING_SECRET, SlackDriver, populate

PG_URL = os.environ.get("POLICYBOT_TEST_DATABASE_URL", "").strip()

# Every process a test starts (the CLI, `serve --http`, the shell) runs this checkout's code.
# Without it a child run outside the checkout imports whatever the virtualenv's editable
# install points at, which is another checkout when worktrees share one virtualenv: a test
# of a changed server would then pass on the unchanged one.
CHECKOUT = str(Path(__file__).resolve().parents[1])
os.environ["PYTHONPATH"] = os.pathsep.join(
    [CHECKOUT, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
)


def pytest_report_header() -> str:
    return f"policybot database backend: {'postgresql' if PG_URL else 'sqlite'}"


# -- databases ------------------------------------------------------------------------------
class _PostgresClones:
    """Fresh PostgreSQL databases cloned from the migrated template, one made ahead.

    Cloning takes about 0.2 s of the server's time, as long as a typical test; made in the
    background while the previous test runs, a test rarely waits for its database.
    """

    def __init__(self, template: str) -> None:
        self._admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        self._template = template
        self._maker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-clone")
        self._next = self._maker.submit(self._clone)

    def take(self) -> str:
        """The name of a new database of its own for one test; `drop` it afterwards."""
        name = self._next.result()
        self._next = self._maker.submit(self._clone)
        return name

    def drop(self, name: str) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        self.drop(self._next.result())
        self._maker.shutdown()
        self._admin.dispose()

    def _clone(self) -> str:
        name = f"pbt_{uuid.uuid4().hex[:12]}"
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"'))
        return name


def _pg_url(database: str) -> str:
    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database that every test's database is cloned from (migrations run once):
    a PostgreSQL database name, or an SQLite file's path."""
    if PG_URL:
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        name = f"pbt_template_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        database = Database(_pg_url(name))
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


@pytest.fixture(scope="session")
def _pg_clones(_template: str) -> Iterator[_PostgresClones | None]:
    if not PG_URL:
        yield None
        return
    clones = _PostgresClones(_template)
    yield clones
    clones.close()


@pytest.fixture
def db_url(_template: str, _pg_clones: _PostgresClones | None, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh migrated database of this test's own."""
    if _pg_clones is not None:
        name = _pg_clones.take()
        yield _pg_url(name)
        _pg_clones.drop(name)
    else:
        path = tmp_path / "policybot.db"
        shutil.copyfile(_template, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def empty_db_urls(tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Makes databases that exist but were never migrated (dropped after the test)."""
    made: list[str] = []
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT") if PG_URL else None

    def make() -> str:
        name = f"pbt_fresh_{uuid.uuid4().hex[:10]}"
        made.append(name)
        if admin is None:
            return f"sqlite:///{tmp_path / f'{name}.db'}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return _pg_url(name)

    yield make
    if admin is not None:
        with admin.connect() as connection:
            for name in made:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_db_url(empty_db_urls: Callable[[], str]) -> str:
    """A database that exists but was never migrated."""
    return empty_db_urls()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def cli_env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The command line's surroundings: this test's database in DATABASE_URL, English, no
    Slack tokens, a working directory without a stray .env. Yields the database."""
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "POLICYBOT_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("POLICYBOT_LANGUAGE", "en")
    database = Database(db_url)
    yield database
    database.dispose()


# -- Slack ------------------------------------------------------------------------------------
@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """The stand-in Web API with the cast of `tests/driver.py` in its workspace."""
    with FakeSlack() as fake:
        populate(fake)
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
        # Scheduled work (reminders, digests) runs where a test asks for it: the suite moves
        # the clock for leases, and a digest due then would surprise the other tests.
        scheduler=False,
    )


@pytest.fixture
def retry_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays slack_sdk's retry handlers wait before trying again, in seconds, recorded
    instead of slept: tests check that Retry-After is honoured without sleeping through it."""
    waits: list[float] = []
    clock = types.SimpleNamespace(sleep=waits.append)
    for module in ("slack_sdk.http_retry.handler", "slack_sdk.http_retry.builtin_handlers"):
        monkeypatch.setattr(f"{module}.time", clock)
    return waits


@pytest.fixture
def running(settings: Settings, fake_slack: FakeSlack, db: Database) -> Iterator[SlackDriver]:
    """The app served over HTTP, and the driver that talks to it as Slack does."""
    driver = SlackDriver.serving(settings, fake_slack, db)
    yield driver
    driver.close()


@pytest.fixture
def slack(running: SlackDriver) -> SlackDriver:
    """The same driver as `running`, for tests that read better as `slack.command(…)`."""
    return running


def _records_of_the_test(caplog: pytest.LogCaptureFixture, words: str) -> list[logging.LogRecord]:
    """The records holding `words` from the test's setup, call and teardown so far. At an
    autouse fixture's teardown `caplog.records` is the teardown phase's alone: read by
    itself it misses everything the test logged, and the check passes whatever happened."""
    phases = [*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records]
    return [r for r in phases if words in r.getMessage()]


@pytest.fixture(autouse=True)
def _slack_is_never_asked_holding_the_writer_turn(
    caplog: pytest.LogCaptureFixture,
) -> Iterator[None]:
    """No Slack call while the calling thread's transaction holds SQLite's writer turn (issue
    13): every other writer, another person's ack included, would wait for Slack's answer
    (`runtime.slack_client` warns). Courtesy notes made at once are the exception."""
    yield
    held = _records_of_the_test(caplog, "holds the database's writer turn")
    assert not held, "Slack asked while holding the writer turn:\n" + "\n".join(
        str(r.stack_info or "")[-1500:] for r in held
    )


@pytest.fixture(autouse=True)
def _slack_is_never_asked_inside_a_unit_of_work(
    caplog: pytest.LogCaptureFixture,
) -> Iterator[None]:
    """No Slack call while the calling thread has a unit of work open (issue 13), on either
    database: on PostgreSQL its pooled connection and open transaction would wait over the
    round trip, and slow Slack would starve the pool (`runtime.slack_client` warns). A flow
    asks Slack before its unit of work (`kit.outside`, `kit.people`, the router's profile)."""
    yield
    inside = _records_of_the_test(caplog, "while this thread has a unit of work open")
    assert not inside, "Slack asked inside a unit of work:\n" + "\n".join(
        str(r.stack_info or "")[-3000:] for r in inside
    )


@pytest.fixture(autouse=True)
def _requests_speak_within_their_unit_of_work(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """What a request says to Slack is written with its work, in one commit: a write after
    the work committed would be lost by a crash in between (kit.context warns)."""
    yield
    late = _records_of_the_test(caplog, "spoke after its work had committed")
    assert not late, "a request spoke after its work had committed:\n" + "\n".join(
        str(r.stack_info or "")[-1500:] for r in late
    )
