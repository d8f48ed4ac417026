"""The Alembic migrations build exactly the schema the models describe, on either backend (the
suite runs on SQLite and on PostgreSQL), and every step can be undone and redone.

A new database is not migrated step by step but created from the models and stamped at head
(`bot.storage.schema.create_at_head`, Alembic's recipe for a new database); the suite's own
databases are made that way. So the two are compared here: a database the migrations built
one revision after another, and one the models created, must be the same schema, and a
migration written later must apply to both."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.storage import Database
from bot.storage.models import everything
from bot.storage.schema import head_revision


def differences_from_the_models(db: Database) -> list[Any]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, everything())


def revisions(db: Database) -> tuple[str, ...]:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_heads()


def schema(db: Database) -> dict[str, Any]:
    """Every table with its columns (type, nullability, server default), its keys, indexes and
    constraints with their names, as the database reports them."""
    inspector = inspect(db.engine)
    return {
        table: {
            # By name: a column a migration added comes last in its table, and where the
            # models declare it does not matter to a query.
            "columns": sorted(
                (c["name"], str(c["type"]), c["nullable"], c.get("default"))
                for c in inspector.get_columns(table)
            ),
            "primary_key": (
                inspector.get_pk_constraint(table)["name"],
                inspector.get_pk_constraint(table)["constrained_columns"],
            ),
            "foreign_keys": sorted(
                (
                    fk["name"] or "",
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                    tuple(sorted((fk.get("options") or {}).items())),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (
                    i["name"] or "",
                    tuple(i["column_names"]),
                    bool(i["unique"]),
                    tuple(sorted((k, str(v)) for k, v in i.get("dialect_options", {}).items())),
                )
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"] or "", tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
            "checks": sorted(
                (c["name"] or "", " ".join(c["sqltext"].split()))
                for c in inspector.get_check_constraints(table)
            ),
        }
        for table in sorted(inspector.get_table_names())
    }


@pytest.fixture
def migrated(empty_db_urls: Callable[[], str]) -> Iterator[Database]:
    """A database Alembic built from nothing, one revision after another."""
    database = Database(empty_db_urls())
    command.upgrade(database.alembic_config(), "head")
    yield database
    database.dispose()


@pytest.fixture
def created(empty_db_urls: Callable[[], str]) -> Iterator[Database]:
    """A new database as every start makes it: created from the models, stamped at head."""
    database = Database(empty_db_urls())
    database.migrate()
    yield database
    database.dispose()


def test_history_is_one_line_to_a_single_head(db: Database) -> None:
    script = ScriptDirectory.from_config(db.alembic_config())
    head = script.get_current_head()  # raises if there were several heads
    assert head is not None and revisions(db) == (head,)


def test_migrated_schema_matches_the_models(db: Database) -> None:
    assert differences_from_the_models(db) == []


def test_migrating_twice_changes_nothing(db: Database) -> None:
    before, revision = schema(db), revisions(db)
    db.migrate()
    db.migrate()
    assert schema(db) == before
    assert revisions(db) == revision
    assert differences_from_the_models(db) == []


def test_upgrade_downgrade_upgrade(db: Database) -> None:
    """Down to an empty database and up again: each migration's downgrade undoes it fully."""
    config = db.alembic_config()
    migrated = schema(db)
    command.downgrade(config, "base")
    assert revisions(db) == ()
    assert set(schema(db)) <= {"alembic_version"}  # every table of ours is gone
    command.upgrade(config, "head")
    assert differences_from_the_models(db) == []
    assert schema(db) == migrated
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    assert schema(db) == migrated and differences_from_the_models(db) == []


def test_a_new_database_is_created_from_the_models_and_stamped_at_head(created: Database) -> None:
    head = ScriptDirectory.from_config(created.alembic_config()).get_current_head()
    assert revisions(created) == (head,) == (head_revision(),)
    assert created.at_head()
    assert differences_from_the_models(created) == []
    assert set(everything().tables) < set(inspect(created.engine).get_table_names())


def test_the_models_create_exactly_the_schema_the_migrations_build(
    migrated: Database, created: Database
) -> None:
    assert differences_from_the_models(migrated) == []
    built, made = schema(migrated), schema(created)
    assert set(built) == set(made)  # the same tables, alembic_version among them
    for table in built:
        assert made[table] == built[table], table


def test_migrating_a_created_database_changes_nothing(created: Database) -> None:
    before = schema(created)
    created.migrate()
    command.upgrade(created.alembic_config(), "head")
    assert schema(created) == before and revisions(created) == (head_revision(),)


LATER_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "9999_later"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("draft_settings") as batch:
        batch.add_column(sa.Column("later_note", sa.String(40), nullable=True))
        batch.create_index("ix_draft_settings_later_note", ["later_note"])


def downgrade() -> None:
    with op.batch_alter_table("draft_settings") as batch:
        batch.drop_index("ix_draft_settings_later_note")
        batch.drop_column("later_note")
"""


@pytest.mark.parametrize("how", ["migrated", "created"])
def test_a_later_migration_applies_to_a_database_however_it_was_made(
    how: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """A revision written after this one (here in a copy of the migrations) upgrades and
    downgrades a created database as it does a migrated one."""
    database: Database = request.getfixturevalue(how)
    location = tmp_path / "migrations"
    shutil.copytree(str(resources.files("bot.storage") / "migrations"), location)
    later = LATER_REVISION.format(head=head_revision())
    (location / "versions" / "9999_later.py").write_text(later, encoding="utf-8")
    config = database.alembic_config()
    config.set_main_option("script_location", str(location))
    before = schema(database)
    command.upgrade(config, "head")
    assert revisions(database) == ("9999_later",)
    columns = {c["name"] for c in inspect(database.engine).get_columns("draft_settings")}
    assert "later_note" in columns
    command.downgrade(config, "-1")
    assert schema(database) == before and revisions(database) == (head_revision(),)
