"""The Alembic migrations build exactly the schema the models describe, on either backend (the
suite runs on SQLite and on PostgreSQL), and every step can be undone and redone."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.storage import Base, Database


def differences_from_the_models(db: Database) -> list[Any]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def revisions(db: Database) -> tuple[str, ...]:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_heads()


def schema(db: Database) -> dict[str, Any]:
    """Every table with its columns, keys and indexes, as the database reports them."""
    inspector = inspect(db.engine)
    return {
        table: {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted(
                (tuple(fk["constrained_columns"]), fk["referred_table"])
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"] or "", tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
            ),
        }
        for table in sorted(inspector.get_table_names())
    }


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
