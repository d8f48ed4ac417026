"""document: the names known for Slack ids, so documents show people, not ids

Revision ID: 0006_document_names
Revises: 0005_merge
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision = "0006_document_names"
down_revision = "0005_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "known_names",
        sa.Column("slack_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("learned_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("slack_id", name=op.f("pk_known_names")),
    )
    op.create_index(op.f("ix_known_names_learned_at"), "known_names", ["learned_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_known_names_learned_at"), table_name="known_names")
    op.drop_table("known_names")
