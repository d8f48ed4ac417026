"""Migrations: several instances starting together on one fresh PostgreSQL database take
turns under an advisory lock and all succeed; the schema's head is known without Alembic."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from bot.storage import Base, Database
from bot.storage.schema import head_revision
from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def empty_db_url(tmp_path: Path) -> Iterator[str]:
    """A database that exists but was never migrated."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"pbt_fresh_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


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


@pytest.mark.skipif(not PG_URL, reason="several instances share PostgreSQL, not SQLite")
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
        assert set(Base.metadata.tables) <= set(inspect(database.engine).get_table_names())
    finally:
        database.dispose()
