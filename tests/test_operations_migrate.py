"""Migrations: several instances starting together on one fresh PostgreSQL database take
turns under an advisory lock and all succeed; the schema's head is known without Alembic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.storage import Database
from bot.storage.models import everything
from bot.storage.schema import head_revision
from tests.conftest import PG_URL

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
        assert set(everything().tables) <= set(inspect(database.engine).get_table_names())
    finally:
        database.dispose()
