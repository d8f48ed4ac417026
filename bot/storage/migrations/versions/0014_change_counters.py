"""change counters: in-process caches that stay correct across instances

Revision ID: 0014_change_counters
Revises: 0013_living
Create Date: 2026-12-01 02:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_change_counters"
down_revision = "0013_living"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_counters",
        sa.Column("table_name", sa.String(64), primary_key=True),
        sa.Column("counter", sa.BigInteger(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("change_counters")
