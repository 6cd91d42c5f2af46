"""app_state: the versioned key/value table later features keep their cursors and caches in.

Written by hand to match `assistant.storage.models.AppState`; types are spelled out here rather than
imported so that later model changes cannot rewrite history.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_state",
        sa.Column("namespace", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("namespace", "key", name=op.f("pk_app_state")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_app_state_version_positive")),
    )


def downgrade() -> None:
    op.drop_table("app_state")
