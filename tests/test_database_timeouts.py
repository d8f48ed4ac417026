"""A database that does not answer makes requests fail fast, and the person is told; it never
hangs them (finding 6's frozen database). Locked: SQLite's busy timeout, PostgreSQL's
statement_timeout. Frozen (PostgreSQL stopped mid-conversation, the kernel still accepting):
the connect timeout and the client's own deadline."""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.i18n import t
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.people import RoleGrant
from bot.storage.timeouts import Timeouts
from runtime.fakeslack import FakeSlack
from tests.driver import ADMIN, SlackDriver

FAST = Timeouts(connect_ms=2000, statement_ms=300)
UNAVAILABLE = t("en", "delivery.unavailable")
# What each configured timeout says when it fires: how a test knows which one ended a wait.
LOCKED = ("database is locked", "canceling statement due to statement timeout")
CLIENT_DEADLINE = (f"did not answer within {FAST.client_deadline_s:g} s",)
CONNECT_TIMEOUT = ("timeout expired",)  # libpq's connect_timeout, as psycopg reports it


def _timed_out(error: BaseException | str, said: tuple[str, ...]) -> bool:
    return any(words in str(error) for words in said)


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The database's errors as the app logged them while serving: refused to record (with
    the traceback), or "the database failed under it" (the error in the line)."""
    found: list[str] = []
    for record in caplog.records:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, DBAPIError):
            found.append(str(error))
        elif "the database failed under it" in record.getMessage():
            found.append(record.getMessage())
    return found


def _raised_within_a_minute(work: Callable[[], None]) -> BaseException | None:
    """What `work` raised, run in a thread of its own; a minute bounds a failure (a wait that no
    deadline ends) so that it fails the test instead of hanging the suite."""
    raised: list[BaseException | None] = [None]

    def run() -> None:
        try:
            work()
        except BaseException as error:  # noqa: BLE001 (handed to the test)
            raised[0] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "no deadline ended the wait"
    return raised[0]


@contextmanager
def _serving(settings: Settings, fake_slack: FakeSlack, db: Database) -> Iterator[SlackDriver]:
    driver = SlackDriver.serving(settings, fake_slack, db)
    try:
        yield driver
    finally:
        driver.close()


@contextmanager
def _locked(db_url: str) -> Iterator[None]:
    """Another process holds the lock that granting a role needs, until the block ends."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        other = sqlite3.connect(url.database or "", isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    engine = create_engine(db_url)
    with engine.connect() as other:
        other.execute(text("LOCK TABLE role_grants IN ACCESS EXCLUSIVE MODE"))
        yield
        other.rollback()
    engine.dispose()


def test_a_locked_database_fails_the_request_fast_and_the_person_is_told(
    settings: Settings, fake_slack: FakeSlack, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(db_url, FAST)
    try:
        with _serving(settings, fake_slack, db) as slack:
            with _locked(db_url):
                # Waits until done; the lock is held throughout, so only the configured
                # timeout can end it (a hang would pass the driver's 15 s, a failure's bound).
                answer = slack.command(ADMIN, "role add <@UEMP0001> working-group")
            # The timeout that fired: SQLite's busy timeout, PostgreSQL's statement_timeout.
            assert _errors(caplog) and all(_timed_out(e, LOCKED) for e in _errors(caplog))
            # Told to try again: in the acknowledgement when even the inbox could not take
            # the request in (SQLite, all locked), else through the response_url.
            told = answer.json()["text"] if answer.body else slack.last_reply_text()
            assert UNAVAILABLE in told
            with db.session() as session:
                assert session.scalars(select(RoleGrant)).all() == []
            # The lock gone, the same request works.
            slack.command(ADMIN, "role add <@UEMP0001> working-group")
            assert "working group" in slack.last_reply_text()
    finally:
        db.dispose()


# -- PostgreSQL frozen ---------------------------------------------------------------------------
class FreezableProxy:
    """A TCP proxy to the database that can freeze: from then on it forwards nothing either
    way, while connections stay open and new ones are accepted (a stopped server's kernel)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.flowing = threading.Event()
        self.flowing.set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = [self._listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                client, _ = self._listener.accept()
                server = socket.create_connection(self.target)
                self._sockets += [client, server]
                for a, b in ((client, server), (server, client)):
                    threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                self.flowing.wait()
                target.sendall(data)

    def close(self) -> None:
        self.flowing.set()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()


@pytest.fixture
def frozen_proxy(db_url: str) -> Iterator[tuple[FreezableProxy, str]]:
    url = make_url(db_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("a frozen server is PostgreSQL's case; SQLite's is the lock above")
    proxy = FreezableProxy((url.host or "127.0.0.1", url.port or 5432))
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    yield proxy, proxied
    proxy.close()


def test_a_frozen_postgresql_fails_statements_and_connections_fast_then_recovers(
    frozen_proxy: tuple[FreezableProxy, str],
) -> None:
    proxy, url = frozen_proxy
    db = Database(url, FAST)

    def select_one() -> None:
        with db.session() as session:
            session.scalar(text("SELECT 1"))

    try:
        with db.session() as session:
            assert session.scalar(text("SELECT 1")) == 1
        proxy.flowing.clear()  # frozen
        # A pooled connection, then a new one: each ended by its own deadline, the client's
        # (statement timeout plus a second) and the connect timeout.
        for deadline in (CLIENT_DEADLINE, CONNECT_TIMEOUT):
            error = _raised_within_a_minute(select_one)
            assert isinstance(error, OperationalError) and _timed_out(error, deadline), error
        proxy.flowing.set()  # back
        with db.session() as session:
            assert session.scalar(text("SELECT 1")) == 1
    finally:
        db.dispose()


def test_a_frozen_postgresql_gets_the_person_an_answer_not_a_hang(
    frozen_proxy: tuple[FreezableProxy, str],
    settings: Settings,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    proxy, url = frozen_proxy
    db = Database(url, FAST)
    try:
        with _serving(settings, fake_slack, db) as slack:
            slack.command(ADMIN, "help")  # connections made while all is well
            proxy.flowing.clear()
            caplog.clear()
            # Nothing but a deadline can end it (the driver's 15 s bounds a failure only).
            answer = slack.command(ADMIN, "role add <@UEMP0001> working-group")
            proxy.flowing.set()
            errors = _errors(caplog)
            assert errors and all(_timed_out(e, CLIENT_DEADLINE + CONNECT_TIMEOUT) for e in errors)
            told = answer.json()["text"] if answer.body else slack.last_reply_text()
            assert UNAVAILABLE in told
    finally:
        db.dispose()
