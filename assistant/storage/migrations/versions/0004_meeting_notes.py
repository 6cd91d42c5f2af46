"""meeting_notes: the notes typed for a meeting, kept so its minutes can be made again.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_notes",
        sa.Column("meeting_id", sa.String(length=512), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_meeting_notes")),
    )


def downgrade() -> None:
    op.drop_table("meeting_notes")
