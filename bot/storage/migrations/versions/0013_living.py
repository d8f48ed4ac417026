"""living: acknowledgements of adopted versions, crisis mode, answers asked again, the
assistant's threads

Revision ID: 0013_living
Revises: 0012_rhythm
Create Date: 2026-11-30 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision = "0013_living"
down_revision = "0012_rhythm"
branch_labels = None
depends_on = None


def _moment(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, bot.storage.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "ack_campaigns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False, index=True),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=True),
        sa.Column("started_by", sa.String(length=64), nullable=False),
        _moment("started_at", nullable=False),
        sa.Column("asked", sa.Integer(), nullable=False),
        sa.Column("document_link", sa.String(length=512), nullable=True),
    )
    op.create_table(
        "ack_requests",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.String(length=64), primary_key=True),
        sa.Column("campaign_id", sa.Integer(), nullable=False, index=True),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("since_version", sa.Integer(), nullable=True),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        _moment("asked_at", nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("ts", sa.String(length=32), nullable=True),
        _moment("acknowledged_at"),
        _moment("reminded_at"),
    )
    op.create_index("ix_ack_requests_acknowledged_at", "ack_requests", ["acknowledged_at"])
    op.create_table(
        "crisis_periods",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("open_marker", sa.String(length=8), nullable=True, unique=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("started_by", sa.String(length=64), nullable=False),
        _moment("started_at", nullable=False),
        sa.Column("ended_by", sa.String(length=64), nullable=True),
        _moment("ended_at"),
        sa.Column("announce_in", sa.String(length=64), nullable=True),
    )
    op.create_table(
        "recheck_runs",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
        _moment("ran_at", nullable=False),
        sa.Column("asked", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
    )
    op.create_table(
        "recheck_notices",
        sa.Column("question_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("asker", sa.String(length=64), nullable=False, index=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("old_verdict", sa.String(length=16), nullable=False),
        sa.Column("new_verdict", sa.String(length=16), nullable=False),
        sa.Column("rule_ids", sa.JSON(), nullable=False),
        _moment("created_at", nullable=False),
        _moment("sent_at"),
    )
    op.create_table(
        "assistant_threads",
        sa.Column("channel", sa.String(length=64), primary_key=True),
        sa.Column("thread_ts", sa.String(length=32), primary_key=True),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        _moment("started_at", nullable=False),
        sa.Column("context_channel", sa.String(length=64), nullable=True),
        sa.Column("pending", sa.String(length=8), nullable=True),
        sa.Column("titled", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("assistant_threads")
    for table in ("recheck_notices", "recheck_runs", "crisis_periods", "ack_requests"):
        op.drop_table(table)
    op.drop_table("ack_campaigns")
