"""engine: cached second opinions of a language model

Revision ID: 0007_engine
Revises: 0006_document_names
Create Date: 2026-12-01 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision = "0007_engine"
down_revision = "0006_document_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "second_opinions",
        sa.Column("policy_number", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=128), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "policy_number", "model", "text_hash", name=op.f("pk_second_opinions")
        ),
    )
    op.create_index(
        op.f("ix_second_opinions_created_at"), "second_opinions", ["created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_second_opinions_created_at"), table_name="second_opinions")
    op.drop_table("second_opinions")
