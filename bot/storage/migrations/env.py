"""Alembic environment: the engine comes from `Database.alembic_config()`, not an ini file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from bot.storage import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # `alembic` run by hand: -x url=sqlite:///policybot.db
        engine = create_engine(context.get_x_argument(as_dictionary=True)["url"])
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE on SQLite
            compare_type=True,
        )
        context.run_migrations()


run_migrations()
