"""Conversation references: where the bot may post later without being asked (proactive status posts).

Bot Framework docs, "Send proactive notifications": keep the `serviceUrl`, conversation id and tenant from an
activity of that conversation (install or any message), then start a thread with `POST {serviceUrl}/v3/conversations`.
The bot saves them through the `ConversationStore` protocol: the composition root passes the database store
(`storage/bot_state.py`), so references survive restarts and are shared by every process; `MemoryConversations`
is for tests and the offline emulator.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Protocol

from assistant.bot.activity import Activity


@dataclass(frozen=True)
class ConversationReference:
    service_url: str
    conversation_id: str
    channel_id: str  # Bot Framework channel: "msteams"
    tenant_id: str | None
    teams_channel: str | None  # the Teams channel, to match a project's channel_id
    bot_id: str | None
    team_thread: str | None = None  # the team's id in Bot Framework terms (its General channel's thread id)
    team_group: str | None = None  # the team's Microsoft 365 group id (a project's team_id), sent on install


class ConversationStore(Protocol):
    def save(self, ref: ConversationReference, *, now: dt.datetime) -> None: ...

    def forget_team(self, team_thread: str | None, team_group: str | None) -> int: ...


def reference(activity: Activity) -> ConversationReference:
    tenant = activity.conversation.tenant_id
    data_tenant = activity.channel_data.get("tenant")
    if tenant is None and isinstance(data_tenant, dict):
        tenant = data_tenant.get("id")
    team = activity.channel_data.get("team")
    return ConversationReference(
        service_url=activity.service_url,
        conversation_id=activity.conversation.id.split(";", 1)[0],  # the channel, not the one thread
        channel_id=activity.channel_id,
        tenant_id=tenant,
        teams_channel=activity.teams_channel,
        bot_id=activity.recipient.id if activity.recipient else None,
        team_thread=str(team["id"]) if isinstance(team, dict) and team.get("id") else None,
        team_group=activity.teams_group,
    )


class MemoryConversations:
    def __init__(self) -> None:
        self._by_id: dict[str, ConversationReference] = {}
        self._lock = threading.Lock()

    def save(self, ref: ConversationReference, *, now: dt.datetime) -> None:
        with self._lock:
            self._by_id[ref.conversation_id] = ref

    def get(self, conversation_id: str) -> ConversationReference | None:
        with self._lock:
            return self._by_id.get(conversation_id)

    def all(self) -> list[ConversationReference]:
        with self._lock:
            return list(self._by_id.values())

    def forget_team(self, team_thread: str | None, team_group: str | None) -> int:
        with self._lock:
            gone = [k for k, r in self._by_id.items() if _of_team(r.team_thread, r.team_group, team_thread, team_group)]
            for key in gone:
                del self._by_id[key]
            return len(gone)


def _of_team(thread: str | None, group: str | None, team_thread: str | None, team_group: str | None) -> bool:
    return (team_thread is not None and thread == team_thread) or (team_group is not None and group == team_group)
