"""asking: question log, escalations, housekeeping marks, channel-name cache

Revision ID: 0003_asking
Revises: 0001
Create Date: 2026-11-23 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision = "0003_asking"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "asked_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asked_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("asker", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("text_purged_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=True),
        sa.Column("rule_ids", sa.JSON(), nullable=False),
        sa.Column("role_id", sa.String(length=64), nullable=True),
        sa.Column("policy_version", sa.String(length=64), nullable=True),
        sa.Column("policy_number", sa.Integer(), nullable=True),
        sa.Column("covered", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asked_questions")),
    )
    op.create_index("ix_asked_questions_asked_at", "asked_questions", ["asked_at"])
    op.create_index(
        "ix_asked_questions_covered_asked_at", "asked_questions", ["covered", "asked_at"]
    )

    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("created_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("asker", sa.String(length=64), nullable=False),
        sa.Column("asker_language", sa.String(length=2), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=True),
        sa.Column("rule_ids", sa.JSON(), nullable=False),
        sa.Column("policy_version", sa.String(length=64), nullable=True),
        sa.Column("role_id", sa.String(length=64), nullable=False),
        sa.Column("role_name", sa.String(length=255), nullable=False),
        sa.Column("contact", sa.String(length=255), nullable=False),
        sa.Column("origin_channel", sa.String(length=64), nullable=True),
        sa.Column("origin_ts", sa.String(length=32), nullable=True),
        sa.Column("origin_link", sa.String(length=512), nullable=True),
        sa.Column("posted_channel", sa.String(length=64), nullable=True),
        sa.Column("posted_ts", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reply_text", sa.Text(), nullable=True),
        sa.Column("replied_by", sa.String(length=64), nullable=True),
        sa.Column("replied_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["asked_questions.id"],
            name=op.f("fk_escalations_question_id_asked_questions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalations")),
    )
    op.create_index("ix_escalations_question_id", "escalations", ["question_id"])
    op.create_index("ix_escalations_created_at", "escalations", ["created_at"])
    op.create_index("ix_escalations_asker", "escalations", ["asker"])
    op.create_index("ix_escalations_posted", "escalations", ["posted_channel", "posted_ts"])

    op.create_table(
        "housekeeping_marks",
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("last_run_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job", name=op.f("pk_housekeeping_marks")),
    )
    op.create_table(
        "channel_names",
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=True),
        sa.Column("fetched_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_channel_names")),
    )


def downgrade() -> None:
    op.drop_table("channel_names")
    op.drop_table("housekeeping_marks")
    op.drop_index("ix_escalations_posted", table_name="escalations")
    op.drop_index("ix_escalations_asker", table_name="escalations")
    op.drop_index("ix_escalations_created_at", table_name="escalations")
    op.drop_index("ix_escalations_question_id", table_name="escalations")
    op.drop_table("escalations")
    op.drop_index("ix_asked_questions_covered_asked_at", table_name="asked_questions")
    op.drop_index("ix_asked_questions_asked_at", table_name="asked_questions")
    op.drop_table("asked_questions")
