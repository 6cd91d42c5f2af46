"""meetings, meeting_documents, decisions, action_items: what agendas and minutes produced.

Written by hand to match `assistant.storage.models`; types are spelled out so later model changes cannot
rewrite history.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.String(length=512), nullable=False),
        sa.Column("project", sa.String(length=64), nullable=False),
        sa.Column("series_id", sa.String(length=512), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    op.create_table(
        "meeting_documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.String(length=512), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("web_url", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_documents")),
        sa.UniqueConstraint("meeting_id", "kind", "version", name=op.f("uq_meeting_documents_meeting_id")),
        sa.CheckConstraint("kind IN ('agenda', 'minutes')", name=op.f("ck_meeting_documents_kind_known")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_meeting_documents_version_positive")),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.String(length=512), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    op.create_index(op.f("ix_decisions_meeting_id"), "decisions", ["meeting_id"])
    op.create_table(
        "action_items",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("project", sa.String(length=64), nullable=False),
        sa.Column("meeting_id", sa.String(length=512), nullable=False),
        sa.Column("series_id", sa.String(length=512), nullable=True),
        sa.Column("meeting_subject", sa.Text(), nullable=False),
        sa.Column("meeting_day", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner_text", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.String(length=64), nullable=True),
        sa.Column("owner_name", sa.Text(), nullable=True),
        sa.Column("owner_email", sa.Text(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("planner_task_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_items")),
        sa.CheckConstraint("status IN ('open', 'done')", name=op.f("ck_action_items_status_known")),
    )
    op.create_index(op.f("ix_action_items_project"), "action_items", ["project"])


def downgrade() -> None:
    op.drop_index(op.f("ix_action_items_project"), table_name="action_items")
    op.drop_table("action_items")
    op.drop_index(op.f("ix_decisions_meeting_id"), table_name="decisions")
    op.drop_table("decisions")
    op.drop_table("meeting_documents")
    op.drop_table("meetings")
