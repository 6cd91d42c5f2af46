"""Activities in, replies out: what the bot does with each kind of Bot Framework activity.

- `message`: a typed command, or a card's Action.Submit (Teams sends those as a message whose `value` holds the
  action's data), is run by the router and answered in the same thread.
- `conversationUpdate` adding the bot: the channel is greeted with the help card. Teams also sends an
  `installationUpdate` (action `add`) on install; greeting on both would greet twice, so that one only
  keeps the conversation reference, like every other activity.
- Anything else is acknowledged and ignored (Teams sends typing, reactions, member changes…).

Every activity's conversation reference is kept (in the database, through `ConversationStore`), so proactive
posts know where to go, and a reference lost or never stored is learned again at the channel's next message.
"""

from __future__ import annotations

import logging
from typing import Any

from assistant.bot import texts
from assistant.bot.activity import Activity, Reply
from assistant.bot.auth import Clock
from assistant.bot.commands import COMMAND_ACTION, help_card
from assistant.bot.connector import BotConnector
from assistant.bot.conversations import ConversationStore, reference
from assistant.bot.router import Request, Router

log = logging.getLogger(__name__)


class Bot:
    def __init__(self, router: Router, connector: BotConnector, conversations: ConversationStore, clock: Clock) -> None:
        self.router = router
        self._connector = connector
        self.conversations = conversations
        self._clock = clock

    def on_activity(self, activity: Activity, *, signed: bool) -> None:
        """Handle one activity; `signed` says the request carried a verified token (replies then carry ours)."""
        if activity.service_url:
            self.conversations.save(reference(activity), now=self._clock())
        reply: Reply | None = None
        reply_to: str | None = None
        if activity.type == "message":
            reply, reply_to = self.answer(activity), activity.id
        elif _installed(activity):
            reply = Reply(text="\n".join([texts.GREETING, *self.router.help_lines()]), card=help_card(self.router))
        if reply is not None and activity.service_url:
            self._connector.reply(
                activity.service_url, activity.conversation.id, reply_to, reply.activity(), signed=signed
            )

    def answer(self, activity: Activity) -> Reply:
        """The router's answer to a message activity (also what the outgoing webhook answers synchronously)."""
        return self.router.handle(
            Request(
                text=_command_text(activity),
                asked_by=activity.who,
                channel=activity.teams_channel,
                group=activity.teams_group,
                data=activity.value if isinstance(activity.value, dict) else None,
            )
        )


def _command_text(activity: Activity) -> str:
    value: Any = activity.value
    if isinstance(value, dict) and value.get("action") == COMMAND_ACTION and isinstance(value.get("command"), str):
        project = value.get("project")
        return f"{value['command']} in {project}" if isinstance(project, str) and project else value["command"]
    return activity.text or ""


def _installed(activity: Activity) -> bool:
    if activity.type == "conversationUpdate" and activity.recipient is not None:
        return any(member.id == activity.recipient.id for member in activity.members_added or [])
    return False
