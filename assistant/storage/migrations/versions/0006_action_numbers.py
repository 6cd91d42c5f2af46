"""action_items.number: each project's action items numbered 1, 2, … in the order they were recorded, for good.

The bot's `done N` names an item by this number, so closing one never renumbers the others (with positions in a
list, "done 4" typed after someone else closed item 2 would close the wrong item). Existing items are numbered
in the order `actions` listed them: meeting day, then when recorded.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain column and a unique index, not NOT NULL and a constraint: SQLite would need a batch table copy,
    # which `alembic upgrade --sql` cannot print. The code always writes a number.
    op.add_column("action_items", sa.Column("number", sa.Integer(), nullable=True))
    # One statement, so `alembic upgrade --sql` can print it too: an item's number counts the items of its project
    # listed up to it (meeting day, then when recorded, then id), itself included.
    op.execute(
        """
        UPDATE action_items SET number = (
            SELECT COUNT(*) FROM action_items AS earlier
            WHERE earlier.project = action_items.project
              AND (earlier.meeting_day < action_items.meeting_day
                   OR (earlier.meeting_day = action_items.meeting_day
                       AND (earlier.created_at < action_items.created_at
                            OR (earlier.created_at = action_items.created_at AND earlier.id <= action_items.id)))))
        """
    )
    op.create_index(op.f("ix_action_items_project_number"), "action_items", ["project", "number"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_action_items_project_number"), table_name="action_items")
    with op.batch_alter_table("action_items") as batch:
        batch.drop_column("number")
