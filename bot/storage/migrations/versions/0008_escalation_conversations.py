"""asking: escalations as conversations (both threads, each relayed turn, marked answered);
the asker's own work contact details in the cached profile

Revision ID: 0008_escalation_conversations
Revises: 0007_engine
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision = "0008_escalation_conversations"
down_revision = "0007_engine"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("escalations") as batch:
        batch.add_column(sa.Column("asker_channel", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("asker_thread_ts", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("answered_by", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("answered_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_index(
        "ix_escalations_asker_thread", "escalations", ["asker_channel", "asker_thread_ts"]
    )
    op.create_table(
        "escalation_turns",
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
            name=op.f("fk_escalation_turns_escalation_id_escalations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("channel", "ts", name=op.f("pk_escalation_turns")),
    )
    op.create_index(
        op.f("ix_escalation_turns_escalation_id"), "escalation_turns", ["escalation_id"]
    )
    with op.batch_alter_table("user_profiles") as batch:
        batch.add_column(sa.Column("phone", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("email", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user_profiles") as batch:
        batch.drop_column("email")
        batch.drop_column("phone")
    op.drop_index(op.f("ix_escalation_turns_escalation_id"), table_name="escalation_turns")
    op.drop_table("escalation_turns")
    op.drop_index("ix_escalations_asker_thread", table_name="escalations")
    with op.batch_alter_table("escalations") as batch:
        batch.drop_column("answered_at")
        batch.drop_column("answered_by")
        batch.drop_column("asker_thread_ts")
        batch.drop_column("asker_channel")
