"""The parts of a Bot Framework Activity the bot reads, validated at the edge (pydantic), and its replies.

Field names follow the Bot Framework Activity schema
(https://github.com/microsoft/botframework-sdk/blob/main/specs/botframework-activity/botframework-activity.md)
and Teams' `channelData` (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/conversation-basics).
Unknown fields are ignored: Teams adds new ones without notice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


class Account(_Wire):
    id: str = ""
    name: str | None = None
    aad_object_id: str | None = Field(None, alias="aadObjectId")


class Conversation(_Wire):
    id: str
    conversation_type: str | None = Field(None, alias="conversationType")
    tenant_id: str | None = Field(None, alias="tenantId")


class Activity(_Wire):
    type: str
    id: str | None = None
    service_url: str = Field("", alias="serviceUrl")
    channel_id: str = Field("", alias="channelId")
    sender: Account = Field(default_factory=lambda: Account.model_validate({}), alias="from")
    recipient: Account | None = None
    conversation: Conversation
    text: str | None = None
    value: Any = None
    action: str | None = None
    members_added: list[Account] | None = Field(None, alias="membersAdded")
    members_removed: list[Account] | None = Field(None, alias="membersRemoved")
    channel_data: dict[str, Any] = Field(default_factory=dict, alias="channelData")

    @property
    def teams_channel(self) -> str | None:
        """The Teams channel the activity came from (`19:…@thread.tacv2`), or None outside a channel."""
        data = self.channel_data
        channel = data.get("channel")
        found = data.get("teamsChannelId") or (channel.get("id") if isinstance(channel, dict) else None)
        if found:
            return str(found)
        if self.conversation.conversation_type == "channel":  # `19:…@thread.skype;messageid=…`
            return self.conversation.id.split(";", 1)[0]
        return None

    @property
    def teams_group(self) -> str | None:
        """The team's Microsoft 365 group id (what the projects file calls `team_id`), when Teams sends it."""
        team = self.channel_data.get("team")
        if isinstance(team, dict) and team.get("aadGroupId"):
            return str(team["aadGroupId"])
        return None

    @property
    def who(self) -> str:
        """Who asked, for the log: the Entra object id when known, else the channel account id, and the name."""
        ident = self.sender.aad_object_id or self.sender.id or "unknown"
        return f"{self.sender.name or '?'} ({ident})"


@dataclass(frozen=True)
class Reply:
    """What a command answers: text, an Adaptive Card, or both (the text is the card's summary in notifications).

    `later`: the slow rest of the work (drafting and filing a document). The bot sends this reply at once ("on it")
    and posts what `later` returns in the same thread when it is done; the outgoing webhook, which cannot post
    later, waits for it instead.
    """

    text: str = ""
    card: dict[str, Any] | None = None
    later: Callable[[], Reply] | None = field(default=None, compare=False, repr=False)

    def activity(self, *, open_url_only: bool = False) -> dict[str, Any]:
        """The reply as a message Activity. Card `content` is an object here, unlike Graph's string (gotcha 10).

        `open_url_only`: outgoing webhooks can only run Action.OpenUrl (GRAPH-FACTS 4.2), so other actions go.
        """
        message: dict[str, Any] = {"type": "message"}
        if self.text:
            message["text"] = self.text
            message["textFormat"] = "plain"  # plan text is never read as markdown
        if self.card is not None:
            card = dict(self.card)
            if open_url_only and "actions" in card:
                card["actions"] = [a for a in card["actions"] if a.get("type") == "Action.OpenUrl"]
                if not card["actions"]:
                    del card["actions"]
            message["attachments"] = [{"contentType": CARD_CONTENT_TYPE, "content": card}]
        return message
