"""Migrations: several instances starting together on one fresh database take turns (under an
advisory lock on PostgreSQL, SQLite's write lock on a file) and all succeed; a first start that
fails half-way leaves nothing behind; the schema's head is known without Alembic."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Index, Integer, MetaData, Table, inspect
from sqlalchemy.exc import DBAPIError

from bot.storage import Database
from bot.storage.database import migration_engine
from bot.storage.migration_lock import lock_path, migrating_alone
from bot.storage.models import everything
from bot.storage.schema import create_at_head, head_revision, is_empty

ROOT = Path(__file__).resolve().parent.parent


def test_the_head_read_from_the_files_is_alembics(db: Database) -> None:
    assert head_revision() == ScriptDirectory.from_config(db.alembic_config()).get_current_head()
    assert db.at_head()


def test_a_database_behind_is_not_at_head_until_migrated(empty_db_url: str) -> None:
    database = Database(empty_db_url)
    try:
        assert not database.at_head()
        database.migrate()
        assert database.at_head()
    finally:
        database.dispose()


def test_instances_migrating_together_all_succeed(empty_db_url: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POLICYBOT_"))}
    env |= {"DATABASE_URL": empty_db_url, "PYTHONPATH": str(ROOT)}
    migrations = [
        subprocess.Popen(
            [sys.executable, "-m", "runtime.cli", "migrate"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [(process.wait(timeout=120), process.stderr) for process in migrations]
    errors = [stderr.read() if stderr else "" for code, stderr in results if code != 0]
    assert not errors, errors[0]
    database = Database(empty_db_url)
    try:
        assert database.at_head()
        assert set(everything().tables) <= set(inspect(database.engine).get_table_names())
    finally:
        database.dispose()


def test_an_instance_waits_for_another_migrating_sqlite_however_long_it_takes(
    empty_db_url: str, tmp_path: Path
) -> None:
    """As on PostgreSQL's advisory lock: while another instance migrates (here: this test,
    holding the turn), `policybot migrate` waits in the kernel, not in a busy timeout (made
    the shortest allowed here, 100 ms), until the turn is given back; then it migrates."""
    path = lock_path(empty_db_url)
    if path is None:
        pytest.skip("PostgreSQL's instances wait at its advisory lock")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POLICYBOT_"))}
    env |= {"DATABASE_URL": empty_db_url, "PYTHONPATH": str(ROOT)}
    env |= {"POLICYBOT_DB_STATEMENT_TIMEOUT_MS": "100"}
    with migrating_alone(empty_db_url):
        waiting = subprocess.Popen(
            [sys.executable, "-m", "runtime.cli", "migrate"],
            cwd=tmp_path,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        _until_blocked_on(path, waiting)  # however long the holder takes, from here
    _, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, stderr
    database = Database(empty_db_url)
    try:
        assert database.at_head()
    finally:
        database.dispose()


def _until_blocked_on(path: str, process: subprocess.Popen[str]) -> None:
    """Until `process` waits for the lock on `path` (a blocked `flock`, in /proc/locks)."""
    inode = f":{os.stat(path).st_ino} "
    deadline = time.monotonic() + 60  # a failure's bound only: the event ends the wait
    while time.monotonic() < deadline:
        assert process.poll() is None, "it did not wait for the turn"
        with open("/proc/locks", encoding="ascii") as locks:
            if any(
                "-> FLOCK" in line and f" {process.pid} " in line and inode in line
                for line in locks
            ):
                return
        time.sleep(0.01)
    raise AssertionError("the instance never waited for the turn")


def test_a_first_start_that_fails_half_way_leaves_nothing_behind(empty_db_url: str) -> None:
    # Two tables, the second of which the database refuses after the first was created: an
    # index name is unique across a database, on SQLite as on PostgreSQL.
    refused = MetaData()
    Table("first", refused, Column("id", Integer, primary_key=True), Index("ix_taken", "id"))
    Table("second", refused, Column("id", Integer, primary_key=True), Index("ix_taken", "id"))
    engine = migration_engine(empty_db_url)
    try:
        with pytest.raises(DBAPIError), engine.begin() as connection:
            create_at_head(connection, refused)
        with engine.connect() as connection:
            assert is_empty(connection)
    finally:
        engine.dispose()
    database = Database(empty_db_url)
    try:
        database.migrate()
        assert database.at_head()
    finally:
        database.dispose()
