"""A database that does not answer makes requests fail fast, and the person is told; it never
hangs them (finding 6's frozen database). Locked: SQLite's busy timeout, PostgreSQL's
statement_timeout. Frozen (PostgreSQL stopped mid-conversation, the kernel still accepting):
the connect timeout and the client's own deadline."""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.i18n import t
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.people import RoleGrant
from bot.storage.timeouts import Timeouts
from runtime.fakeslack import FakeSlack
from tests.driver import ADMIN, SlackDriver

FAST = Timeouts(connect_ms=2000, statement_ms=300)
UNAVAILABLE = t("en", "delivery.unavailable")


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
    settings: Settings, fake_slack: FakeSlack, db_url: str
) -> None:
    db = Database(db_url, FAST)
    try:
        with _serving(settings, fake_slack, db) as slack:
            with _locked(db_url):
                started = time.monotonic()
                # waits until done
                answer = slack.command(ADMIN, "role add <@UEMP0001> working-group")
                elapsed = time.monotonic() - started
            assert elapsed < 5.0, f"the request took {elapsed:.1f} s"
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
    try:
        with db.session() as session:
            assert session.scalar(text("SELECT 1")) == 1
        proxy.flowing.clear()  # frozen
        for _ in range(2):  # a pooled connection, then a new one
            started = time.monotonic()
            with pytest.raises(OperationalError), db.session() as session:
                session.scalar(text("SELECT 1"))
            assert time.monotonic() - started < 4.0
        proxy.flowing.set()  # back
        with db.session() as session:
            assert session.scalar(text("SELECT 1")) == 1
    finally:
        db.dispose()


def test_a_frozen_postgresql_gets_the_person_an_answer_not_a_hang(
    frozen_proxy: tuple[FreezableProxy, str], settings: Settings, fake_slack: FakeSlack
) -> None:
    proxy, url = frozen_proxy
    db = Database(url, FAST)
    try:
        with _serving(settings, fake_slack, db) as slack:
            slack.command(ADMIN, "help")  # connections made while all is well
            proxy.flowing.clear()
            started = time.monotonic()
            answer = slack.command(ADMIN, "role add <@UEMP0001> working-group")
            elapsed = time.monotonic() - started
            proxy.flowing.set()
            assert elapsed < 8.0, f"the request took {elapsed:.1f} s"
            told = answer.json()["text"] if answer.body else slack.last_reply_text()
            assert UNAVAILABLE in told
    finally:
        db.dispose()
