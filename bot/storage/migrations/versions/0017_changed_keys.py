"""changed keys: the profile cache forgets only the people whose profile changed

Revision ID: 0017_changed_keys
Revises: 0016_signoff_asked
Create Date: 2026-12-03 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_changed_keys"
down_revision = "0016_signoff_asked"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Empty at first: a counter value without keys here makes a cache forget everything,
    # which is what every instance did before (and what one not yet upgraded still makes
    # the others do).
    op.create_table(
        "changed_keys",
        sa.Column("table_name", sa.String(64), primary_key=True),
        sa.Column("counter", sa.BigInteger(), primary_key=True),
        sa.Column("row_key", sa.String(255), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("changed_keys")
