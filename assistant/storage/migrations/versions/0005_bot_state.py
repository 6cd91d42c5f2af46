"""bot_conversations and bot_seen_activities: the Teams bot's conversation references and replay guard.

Written by hand to match `assistant.storage.models.BotConversation` and `SeenActivity`.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bot_conversations",
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("service_url", sa.Text(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("bot_id", sa.String(length=255), nullable=True),
        sa.Column("teams_channel", sa.String(length=255), nullable=True),
        sa.Column("team_thread", sa.String(length=255), nullable=True),
        sa.Column("team_group", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_bot_conversations")),
    )
    for column in ("teams_channel", "team_thread", "team_group"):
        op.create_index(op.f(f"ix_bot_conversations_{column}"), "bot_conversations", [column])
    op.create_table(
        "bot_seen_activities",
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_bot_seen_activities")),
    )
    op.create_index(op.f("ix_bot_seen_activities_expires_at"), "bot_seen_activities", ["expires_at"])


def downgrade() -> None:
    op.drop_table("bot_seen_activities")
    op.drop_table("bot_conversations")
