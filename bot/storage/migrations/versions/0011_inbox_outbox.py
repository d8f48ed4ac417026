"""inbox and outbox: requests taken in before the ack, Slack calls written with the work;
the inbox replaces processed_deliveries

Revision ID: 0011_inbox_outbox
Revises: 0010_consolidation
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision = "0011_inbox_outbox"
down_revision = "0010_consolidation"
branch_labels = None
depends_on = None

RowId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = bot.storage.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", RowId, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=96), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("body", sa.JSON(), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=True),
        sa.Column("received_at", When(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("claim", sa.String(length=32), nullable=True),
        sa.Column("claimed_by", sa.String(length=128), nullable=True),
        sa.Column("lease_until", When(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("finished_at", When(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox")),
        sa.UniqueConstraint("key", name=op.f("uq_inbox_key")),
    )
    op.create_index("ix_inbox_due", "inbox", ["state", "lease_until"], unique=False)
    op.create_index(op.f("ix_inbox_finished_at"), "inbox", ["finished_at"], unique=False)
    op.create_table(
        "outbox",
        sa.Column("id", RowId, autoincrement=True, nullable=False),
        sa.Column("conversation", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("args", sa.JSON(), nullable=True),
        sa.Column("then_hook", sa.String(length=64), nullable=True),
        sa.Column("then_args", sa.JSON(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("request", RowId, nullable=True),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", When(timezone=True), nullable=True),
        sa.Column("claim", sa.String(length=32), nullable=True),
        sa.Column("claimed_by", sa.String(length=128), nullable=True),
        sa.Column("lease_until", When(timezone=True), nullable=True),
        sa.Column("created_at", When(timezone=True), nullable=False),
        sa.Column("finished_at", When(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index("ix_outbox_queue", "outbox", ["state", "conversation", "id"], unique=False)
    op.create_index("ix_outbox_finished_at", "outbox", ["finished_at"], unique=False)
    with op.batch_alter_table("processed_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_deliveries_received_at"))
    op.drop_table("processed_deliveries")


def downgrade() -> None:
    op.create_table(
        "processed_deliveries",
        sa.Column("delivery_id", sa.String(length=128), nullable=False),
        sa.Column("received_at", When(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("delivery_id", name=op.f("pk_processed_deliveries")),
    )
    with op.batch_alter_table("processed_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_processed_deliveries_received_at"), ["received_at"], unique=False
        )
    op.drop_index("ix_outbox_finished_at", table_name="outbox")
    op.drop_index("ix_outbox_queue", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index(op.f("ix_inbox_finished_at"), table_name="inbox")
    op.drop_index("ix_inbox_due", table_name="inbox")
    op.drop_table("inbox")
