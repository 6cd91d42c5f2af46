"""Declarative models: the schema as Python sees it.

Migrations in `migrations/versions/` are written by hand to match; `tests/storage/test_migrate.py` compares
the two so that neither drifts silently.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from assistant.storage.types import UtcDateTime

# Named constraints: SQLite's batch migrations can only drop or alter constraints that have names.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AppState(Base):
    """A small versioned key/value row: delta links, token caches, schedule cursors.

    `value` is JSON kept as text so both backends store it byte for byte; `version` starts at 1 and grows
    by one per write, which is what compare-and-set compares.
    """

    __tablename__ = "app_state"
    __table_args__ = (CheckConstraint("version >= 1", name="version_positive"),)

    namespace: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


DELIVERY_STATUSES = ("pending", "delivered", "partial", "failed", "unknown")


class Delivery(Base):
    """One report delivery (project, report kind, period) and what became of it; see services/delivery.py.

    `idempotency_key` is unique: inserting it is how a run claims the delivery, so a second run, even a
    concurrent one, finds the row and posts nothing. `run` counts the claims (a retry after a failure, or a
    forced re-post, takes the row over with run + 1). `attempts` is a JSON list of every step of every run.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("idempotency_key"),
        CheckConstraint("run >= 1", name="run_positive"),
        CheckConstraint("status IN ('pending', 'delivered', 'partial', 'failed', 'unknown')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), nullable=False)
    project: Mapped[str] = mapped_column(String(64), nullable=False)
    report: Mapped[str] = mapped_column(String(32), nullable=False)
    period: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    run: Mapped[int] = mapped_column(Integer, nullable=False)
    method: Mapped[str | None] = mapped_column(String(32), nullable=True)
    message_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    document_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
