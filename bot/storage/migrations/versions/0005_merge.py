"""merge the capability branches: one linear history from here on

Revision ID: 0005_merge
Revises: 0002_drafting, 0003_asking, 0004_reviewing
Create Date: 2026-11-30 15:30:00

Until now each capability branched from 0001; from here every new revision follows the
previous one, so `alembic heads` is always a single revision.
"""

from __future__ import annotations

revision = "0005_merge"
down_revision = ("0002_drafting", "0003_asking", "0004_reviewing")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
