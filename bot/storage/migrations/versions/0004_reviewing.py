"""reviewing: what an adopted version remembers beside its document

Revision ID: 0004_reviewing
Revises: 0001
Create Date: 2026-11-23 19:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision = "0004_reviewing"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "version_records",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("contributors", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["number"],
            ["policy_versions.number"],
            name=op.f("fk_version_records_number_policy_versions"),
        ),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_version_records")),
    )


def downgrade() -> None:
    op.drop_table("version_records")
