"""asking: where a question was asked, kept with it

The "Ask ROLE" button names only the question; where it was asked (for the link back in the
escalation) is read from the question's record, never from the button.

Revision ID: 0009_question_origin
Revises: 0008_escalation_conversations
Create Date: 2026-12-10 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_question_origin"
down_revision = "0008_escalation_conversations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("asked_questions") as batch:
        batch.add_column(sa.Column("asked_channel", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("asked_ts", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("asked_questions") as batch:
        batch.drop_column("asked_ts")
        batch.drop_column("asked_channel")
