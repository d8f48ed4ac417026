"""drafting: notices given once per person and session

Revision ID: 0002_drafting
Revises: 0001
Written by hand (several capability branches start from 0001).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision = "0002_drafting"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafting_notices",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("told_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["drafting_sessions.id"],
            name=op.f("fk_drafting_notices_session_id_drafting_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "user_id", "kind", name=op.f("pk_drafting_notices")),
    )


def downgrade() -> None:
    op.drop_table("drafting_notices")
