"""sign-off requests remember whether their approvers have been asked

Revision ID: 0016_signoff_asked
Revises: 0015_ack_own_copy
Create Date: 2026-12-03 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_signoff_asked"
down_revision = "0015_ack_own_copy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing requests keep NULL: asked in the modal's ack (before `steady`), or to be asked
    # by a completion step still queued, which asks them as it would have.
    with op.batch_alter_table("signoff_requests") as batch:
        batch.add_column(sa.Column("approvers_asked", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("signoff_requests") as batch:
        batch.drop_column("approvers_asked")
