"""acknowledgement requests remember the link to the person's own copy of the document

Revision ID: 0015_ack_own_copy
Revises: 0014_change_counters
Create Date: 2026-12-01 10:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_ack_own_copy"
down_revision = "0014_change_counters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ack_requests") as batch:
        batch.add_column(sa.Column("document_link", sa.String(512), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ack_requests") as batch:
        batch.drop_column("document_link")
