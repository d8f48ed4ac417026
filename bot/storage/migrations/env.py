"""Alembic environment: the engine comes from `Database.alembic_config()`, not an ini file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from bot.storage.models import everything

config = context.config
target_metadata = everything()


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # Database.migrate(): its transaction, holding the lock
        _configure(connection)
        context.run_migrations()
        return
    engine = config.attributes.get("engine")
    if engine is None:  # `alembic` run by hand: -x url=sqlite:///policybot.db
        engine = create_engine(context.get_x_argument(as_dictionary=True)["url"])
    with engine.begin() as connection:
        _configure(connection)
        context.run_migrations()


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE on SQLite
        compare_type=True,
    )


run_migrations()
