"""Conversation references: where the bot may post later without being asked (proactive status posts).

Bot Framework docs, "Send proactive notifications": keep the `serviceUrl`, conversation id and tenant from an
activity of that conversation (install or any message), then POST to `{serviceUrl}/v3/conversations/{id}/activities`.
Kept in memory for now: a table in `storage/` comes with the proactive posts themselves.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from assistant.bot.activity import Activity


@dataclass(frozen=True)
class ConversationReference:
    service_url: str
    conversation_id: str
    channel_id: str  # Bot Framework channel: "msteams"
    tenant_id: str | None
    teams_channel: str | None  # the Teams channel, to match a project's channel_id
    bot_id: str | None


def reference(activity: Activity) -> ConversationReference:
    tenant = activity.conversation.tenant_id
    data_tenant = activity.channel_data.get("tenant")
    if tenant is None and isinstance(data_tenant, dict):
        tenant = data_tenant.get("id")
    return ConversationReference(
        service_url=activity.service_url,
        conversation_id=activity.conversation.id.split(";", 1)[0],  # the channel, not the one thread
        channel_id=activity.channel_id,
        tenant_id=tenant,
        teams_channel=activity.teams_channel,
        bot_id=activity.recipient.id if activity.recipient else None,
    )


class MemoryConversations:
    def __init__(self) -> None:
        self._by_id: dict[str, ConversationReference] = {}
        self._lock = threading.Lock()

    def save(self, ref: ConversationReference) -> None:
        with self._lock:
            self._by_id[ref.conversation_id] = ref

    def get(self, conversation_id: str) -> ConversationReference | None:
        with self._lock:
            return self._by_id.get(conversation_id)

    def all(self) -> list[ConversationReference]:
        with self._lock:
            return list(self._by_id.values())
