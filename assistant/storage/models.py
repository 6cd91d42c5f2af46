"""Declarative models: the schema as Python sees it.

Migrations in `migrations/versions/` are written by hand to match; `tests/storage/test_migrate.py` compares
the two so that neither drifts silently.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Index, Integer, MetaData, String, Text, UniqueConstraint
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


ACTION_STATUSES = ("open", "done")
DOCUMENT_KINDS = ("agenda", "minutes")


class MeetingSeen(Base):
    """A meeting Coordinator wrote a document for: the anchor of its documents, decisions and actions."""

    __tablename__ = "meetings"

    id: Mapped[str] = mapped_column(String(512), primary_key=True)  # Graph event ids run to ~150 characters
    project: Mapped[str] = mapped_column(String(64), nullable=False)
    series_id: Mapped[str | None] = mapped_column(String(512), nullable=True)
    subject: Mapped[str] = mapped_column(Text, nullable=False)
    start: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class MeetingDocument(Base):
    """Each generated agenda or minutes, numbered per meeting; the file in the channel is replaced, not added."""

    __tablename__ = "meeting_documents"
    __table_args__ = (
        UniqueConstraint("meeting_id", "kind", "version"),
        CheckConstraint("kind IN ('agenda', 'minutes')", name="kind_known"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[str] = mapped_column(String(512), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    web_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class Decision(Base):
    """A decision recorded in a meeting's minutes (replaced as a whole when the minutes are regenerated)."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[str] = mapped_column(String(512), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class ActionRow(Base):
    """An action item; its id is derived from the meeting and the notes line, so re-running adds nothing."""

    __tablename__ = "action_items"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'done')", name="status_known"),
        Index("ix_action_items_project_number", "project", "number", unique=True),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    project: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    number: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1, 2, … per project, for good: `done N`
    meeting_id: Mapped[str] = mapped_column(String(512), nullable=False)
    series_id: Mapped[str | None] = mapped_column(String(512), nullable=True)
    meeting_subject: Mapped[str] = mapped_column(Text, nullable=False)
    meeting_day: Mapped[date] = mapped_column(Date, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    owner_text: Mapped[str] = mapped_column(Text, nullable=False)
    owner_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    owner_name: Mapped[str | None] = mapped_column(Text, nullable=True)
    owner_email: Mapped[str | None] = mapped_column(Text, nullable=True)
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(8), nullable=False)
    planner_task_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class MeetingNotes(Base):
    """The notes typed for a meeting, as given; minutes can be made again from them without the file."""

    __tablename__ = "meeting_notes"

    meeting_id: Mapped[str] = mapped_column(String(512), primary_key=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class BotConversation(Base):
    """Where the Teams bot may post without being asked: the conversation reference of a channel or team.

    Kept from every verified activity (the install event, any message), keyed by the channel-level conversation
    id (`19:…@thread.tacv2`, without `;messageid=`). `team_group` (the Microsoft 365 group id a project calls
    `team_id`) comes with install events; `team_thread` (the team's General channel id) with every channel
    activity, which links the channels of one team to its install event. See storage/bot_state.py.
    """

    __tablename__ = "bot_conversations"

    conversation_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    service_url: Mapped[str] = mapped_column(Text, nullable=False)
    channel_id: Mapped[str] = mapped_column(String(32), nullable=False)  # Bot Framework channel: "msteams"
    tenant_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    bot_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    teams_channel: Mapped[str | None] = mapped_column(String(255), nullable=True, index=True)
    team_thread: Mapped[str | None] = mapped_column(String(255), nullable=True, index=True)
    team_group: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class SeenActivity(Base):
    """An inbound bot activity already accepted, until `expires_at`: the replay guard, shared by all processes.

    The key is the primary key, so of two requests carrying the same activity exactly one inserts it; the
    other is a replay. Expired rows are deleted by later inserts.
    """

    __tablename__ = "bot_seen_activities"

    key: Mapped[str] = mapped_column(String(512), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, index=True)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
