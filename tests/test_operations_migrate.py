"""Migrations: several instances starting together on one fresh database take turns (under an
advisory lock on PostgreSQL, SQLite's write lock on a file) and all succeed; a first start that
fails half-way leaves nothing behind; the schema's head is known without Alembic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Index, Integer, MetaData, Table, inspect
from sqlalchemy.exc import DBAPIError

from bot.storage import Database
from bot.storage.database import migration_engine
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
