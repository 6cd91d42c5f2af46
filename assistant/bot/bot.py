"""Activities in, replies out: what the bot does with each kind of Bot Framework activity.

- `message`: a typed command, or a card's Action.Submit (Teams sends those as a message whose `value` holds the
  action's data), is run by the router and answered in the same thread.
- `conversationUpdate` adding the bot: the channel is greeted with the help card. Teams also sends an
  `installationUpdate` (action `add`) on install; greeting on both would greet twice, so that one only
  keeps the conversation reference, like every other activity.
- The bot removed from a team (`conversationUpdate` with the bot in `membersRemoved`, or `installationUpdate`
  action `remove`): every reference of that team is forgotten, so a proactive post there says the bot is not
  installed instead of failing at the Bot Connector
  (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events,
  "Bot or user removed from team", and "Uninstall event").
- Anything else is acknowledged and ignored (Teams sends typing, reactions, member changes…).

A command with slow work (an agenda or minutes to draft and file) answers twice: its reply at once ("on it"),
then, from `defer` (a worker thread in the app), the result in the same thread. A failure there is answered
too, never left silent. Deferred work lives in this process: a stop while a document is drafted loses that
draft, and the user, told "on it", asks again (`coordinator serve` drains the workers before it stops; under
gunicorn, its graceful timeout is what they get).

Every activity's conversation reference is kept (in the database, through `ConversationStore`), so proactive
posts know where to go, and a reference lost or never stored is learned again at the channel's next message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from assistant.bot import texts
from assistant.bot.activity import Activity, Reply
from assistant.bot.auth import Clock
from assistant.bot.commands import COMMAND_ACTION, help_card
from assistant.bot.connector import BotConnector
from assistant.bot.conversations import ConversationStore, reference
from assistant.bot.router import Request, Router

log = logging.getLogger(__name__)

Defer = Callable[[Callable[[], None]], object]  # runs a job later, e.g. a thread pool's `submit`


def run_now(job: Callable[[], None]) -> None:
    job()


class Bot:
    def __init__(
        self,
        router: Router,
        connector: BotConnector,
        conversations: ConversationStore,
        clock: Clock,
        defer: Defer = run_now,
    ) -> None:
        self.router = router
        self._connector = connector
        self.conversations = conversations
        self._clock = clock
        self._defer = defer

    def on_activity(self, activity: Activity, *, signed: bool) -> None:
        """Handle one activity; `signed` says the request carried a verified token (replies then carry ours)."""
        if _removed(activity):
            ref = reference(activity)
            gone = self.conversations.forget_team(ref.team_thread, ref.team_group)
            log.info(
                "removed from team %s: %d conversation reference(s) forgotten", ref.team_group or ref.team_thread, gone
            )
            return
        if activity.service_url:
            self.conversations.save(reference(activity), now=self._clock())
        reply: Reply | None = None
        reply_to: str | None = None
        if activity.type == "message":
            reply, reply_to = self.router.handle(_request(activity)), activity.id
        elif _installed(activity):
            reply = Reply(text="\n".join([texts.GREETING, *self.router.help_lines()]), card=help_card(self.router))
        if reply is None or not activity.service_url:
            return
        self._send(activity, reply_to, reply, signed)
        later = reply.later
        if later is not None:
            self._defer(lambda: self._follow_up(activity, reply_to, later, signed))

    def _follow_up(self, activity: Activity, reply_to: str | None, later: Callable[[], Reply], signed: bool) -> None:
        """Post the deferred work's result. On a worker thread nobody waits on, so every failure is logged here:
        an unexpected one in the work is also answered, since the user was told the result would come (the router
        already answers the expected ones; STYLE 5: a worker thread's edge)."""
        try:
            try:
                reply = later()
            except Exception:
                log.exception("deferred work for a command from %s failed", activity.who)
                reply = Reply(text=texts.FAILED_LATER)
            self._send(activity, reply_to, reply, signed)
        except Exception:
            log.exception("could not post the result of a command from %s", activity.who)

    def _send(self, activity: Activity, reply_to: str | None, reply: Reply, signed: bool) -> None:
        self._connector.reply(activity.service_url, activity.conversation.id, reply_to, reply.activity(), signed=signed)

    def tell(self, activity: Activity, text: str, *, signed: bool) -> None:
        """Answer `activity` in its thread with plain text (a refusal the web layer decides, e.g. too many commands)."""
        if activity.service_url:
            self._send(activity, activity.id, Reply(text=text), signed)

    def answer(self, activity: Activity) -> Reply:
        """The router's answer to a message activity, its slow part (`later`) not run: the outgoing webhook,
        which cannot post later, runs it within its deadline (web/outgoing_webhook.py)."""
        return self.router.handle(_request(activity))


def _request(activity: Activity) -> Request:
    return Request(
        text=_command_text(activity),
        asked_by=activity.who,
        asker_name=activity.sender.name,
        asker_id=activity.sender.aad_object_id,
        channel=activity.teams_channel,
        group=activity.teams_group,
        data=activity.value if isinstance(activity.value, dict) else None,
    )


def _command_text(activity: Activity) -> str:
    value: Any = activity.value
    if isinstance(value, dict) and value.get("action") == COMMAND_ACTION and isinstance(value.get("command"), str):
        project = value.get("project")
        return f"{value['command']} in {project}" if isinstance(project, str) and project else value["command"]
    return activity.text or ""


def _removed(activity: Activity) -> bool:
    if activity.type == "installationUpdate":
        return activity.action == "remove"
    if activity.type == "conversationUpdate" and activity.recipient is not None:
        return any(member.id == activity.recipient.id for member in activity.members_removed or [])
    return False


def _installed(activity: Activity) -> bool:
    if activity.type == "conversationUpdate" and activity.recipient is not None:
        return any(member.id == activity.recipient.id for member in activity.members_added or [])
    return False
