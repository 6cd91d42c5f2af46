"""The Teams bot's state in the database: conversation references (for proactive posts) and the replay guard.

Both used to live in memory, per process; in the database they survive restarts and are shared by every
process behind a load balancer. The bot reaches them through small protocols (`bot/conversations.py`,
`bot/auth.py`) that these stores satisfy, so the bot itself knows nothing about SQL.

The replay guard is an INSERT of the activity's key (ON CONFLICT DO NOTHING) judged by its row count, like the
claims in `deliveries.py`: of two requests carrying the same activity, even at the same moment in two
processes, exactly one inserts the row and the other is a replay. The stores never read a clock.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import delete, or_, select

from assistant.storage.db import Database
from assistant.storage.models import BotConversation, SeenActivity
from assistant.storage.writes import check_now, dialect_insert, rows_written

MAX_KEY = 512


class ReferenceFields(Protocol):
    """What a conversation reference holds (the bot's `ConversationReference` has exactly these fields)."""

    @property
    def service_url(self) -> str: ...
    @property
    def conversation_id(self) -> str: ...
    @property
    def channel_id(self) -> str: ...
    @property
    def tenant_id(self) -> str | None: ...
    @property
    def teams_channel(self) -> str | None: ...
    @property
    def bot_id(self) -> str | None: ...
    @property
    def team_thread(self) -> str | None: ...
    @property
    def team_group(self) -> str | None: ...


@dataclass(frozen=True)
class StoredConversation:
    service_url: str
    conversation_id: str
    channel_id: str
    tenant_id: str | None
    teams_channel: str | None
    bot_id: str | None
    team_thread: str | None
    team_group: str | None
    updated_at: datetime


def _stored(row: BotConversation) -> StoredConversation:
    return StoredConversation(
        service_url=row.service_url,
        conversation_id=row.conversation_id,
        channel_id=row.channel_id,
        tenant_id=row.tenant_id,
        teams_channel=row.teams_channel,
        bot_id=row.bot_id,
        team_thread=row.team_thread,
        team_group=row.team_group,
        updated_at=row.updated_at,
    )


class BotConversations:
    """Conversation references, one per channel-level conversation, the latest activity's values winning."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def save(self, ref: ReferenceFields, *, now: datetime) -> None:
        """Insert or refresh `ref`; a known team (`team_group`) is not forgotten by an activity that lacks it."""
        check_now(now)
        values = {
            "conversation_id": ref.conversation_id, "service_url": ref.service_url, "channel_id": ref.channel_id,
            "tenant_id": ref.tenant_id, "bot_id": ref.bot_id, "teams_channel": ref.teams_channel,
            "team_thread": ref.team_thread, "team_group": ref.team_group, "updated_at": now,
        }  # fmt: skip
        with self._database.session() as session:
            statement = dialect_insert(session)(BotConversation).values(values)
            changes = {k: statement.excluded[k] for k in values if k not in ("conversation_id", "team_group")}
            changes["team_group"] = ref.team_group if ref.team_group else BotConversation.team_group
            session.execute(statement.on_conflict_do_update(index_elements=["conversation_id"], set_=changes))

    def get(self, conversation_id: str) -> StoredConversation | None:
        with self._database.session() as session:
            row = session.get(BotConversation, conversation_id)
            return _stored(row) if row is not None else None

    def all(self) -> list[StoredConversation]:
        with self._database.session() as session:
            rows = session.scalars(select(BotConversation).order_by(BotConversation.conversation_id))
            return [_stored(row) for row in rows]

    def forget_team(self, team_thread: str | None, team_group: str | None) -> int:
        """Drop every reference of a team the bot was removed from (its channels and its install); returns how
        many. A proactive post there then says the bot is not installed instead of failing at the Bot Connector."""
        conditions = []
        if team_thread:
            conditions.append(BotConversation.team_thread == team_thread)
        if team_group:
            conditions.append(BotConversation.team_group == team_group)
        if not conditions:
            return 0
        with self._database.session() as session:
            return rows_written(session, delete(BotConversation).where(or_(*conditions)))

    def for_channel(self, team_group: str, teams_channel: str) -> StoredConversation | None:
        """The newest reference that can reach `teams_channel` of the team `team_group`.

        The channel itself when the bot was spoken to there; else the team's install event (it names the
        group); else any channel of the same team (linked to the install by the team's thread id).
        """
        with self._database.session() as session:
            threads = select(BotConversation.team_thread).where(
                BotConversation.team_group == team_group, BotConversation.team_thread.is_not(None)
            )
            rows = list(
                session.scalars(
                    select(BotConversation).where(
                        or_(
                            BotConversation.teams_channel == teams_channel,
                            BotConversation.team_group == team_group,
                            BotConversation.team_thread.in_(threads),
                        )
                    )
                )
            )
        if not rows:
            return None
        rows.sort(key=lambda r: (r.teams_channel == teams_channel, r.updated_at), reverse=True)
        return _stored(rows[0])


class SeenActivities:
    """The replay guard's memory: an activity key is accepted once until it expires."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def first_sighting(self, key: str, *, until: datetime, now: datetime) -> bool:
        """Record `key` until `until`; False when it was already recorded and has not expired (a replay)."""
        check_now(now)
        check_now(until)
        if len(key) > MAX_KEY:  # conversation ids have no documented bound; the column has
            key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
        with self._database.session() as session:
            session.execute(delete(SeenActivity).where(SeenActivity.expires_at <= now))
            statement = (
                dialect_insert(session)(SeenActivity)
                .values(key=key, expires_at=until, seen_at=now)
                .on_conflict_do_nothing(index_elements=["key"])
            )
            return rows_written(session, statement) == 1
