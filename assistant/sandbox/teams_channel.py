"""Teams' side of a channel conversation with a bot: the activity Teams sends when a user @mentions the bot in a
channel, signed with a channel token and POSTed to the bot's messaging endpoint, and the wait for its reply.

The activity has the shape Teams sends for a new channel post that mentions the bot
(https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations and
https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-send-and-receive-messages):
the conversation is the thread, `{channel id};messageid={message id}`, with `conversationType: "channel"`; the
sender carries `aadObjectId` (the Entra user id); the bot is `28:{app id}`; `text` holds the mention as
`<at>Name</at>`, with a matching `mention` entity; `channelData` names the tenant, the team (by the thread id of its
General channel, which Graph calls the team's `internalId`) and the channel.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import requests

from assistant.sandbox.context import Sandbox

APP_TIMEOUT = 15  # seconds Teams waits for a bot to answer the POST (Bot Framework's documented limit) [S]


class SayError(ValueError):
    """The channel, user or bot named for `say` is not in the tenant, or the bot's endpoint is unreachable."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Said:
    activity: dict[str, Any]
    status: int  # what the bot's endpoint answered
    replies: list[dict[str, Any]]  # the bot's activities in the thread, as recorded by the Bot Connector


def teams_user_id(aad_object_id: str) -> str:
    """A stable Bot Framework id (`29:…`) for a user; Teams' are opaque, so any stable value will do."""
    digest = hashlib.sha256(aad_object_id.encode()).digest()
    return "29:1" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def channel_message(
    sandbox: Sandbox,
    *,
    channel_id: str,
    user_key: str | None,
    text: str,
    service_url: str,
    message_id: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The activity Teams sends for a new post in a channel that @mentions the bot; returns it and the bot."""
    state = sandbox.state
    team_id = next((team for team, channel in state.channels if channel == channel_id), None)
    if team_id is None:
        raise SayError(f"no channel {channel_id!r} in this tenant")
    bot = next((b for b in state.bots.values() if team_id in b.get("teams", [])), None)
    if bot is None:
        raise SayError(f"no bot is installed in the team of channel {channel_id!r} (tenant file: bots)")
    user = state.user(user_key) if user_key else state.users[0]
    if user is None:
        raise SayError(f"no user {user_key!r} in this tenant")
    team = state.teams[team_id]
    team_thread = team.get("internalId") or team["channels"][0]["id"]
    now = sandbox.clock.now().astimezone(dt.UTC)
    bot_account = {"id": f"28:{bot['appId']}", "name": bot["name"]}
    mention = f"<at>{bot['name']}</at>"
    activity = {
        "text": f"{mention} {text}",
        "textFormat": "plain",
        "type": "message",
        "timestamp": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "localTimestamp": now.isoformat(timespec="milliseconds"),
        "id": message_id,
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": teams_user_id(user["id"]), "name": user["displayName"], "aadObjectId": user["id"]},
        "conversation": {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": state.tenant_id,
            "id": f"{channel_id};messageid={message_id}",
        },
        "recipient": bot_account,
        "entities": [
            {"mentioned": bot_account, "text": mention, "type": "mention"},
            {"locale": "en-US", "country": "US", "platform": "Web", "type": "clientInfo"},
        ],
        "channelData": {
            "teamsChannelId": channel_id,
            "teamsTeamId": team_thread,
            "channel": {"id": channel_id},
            "team": {"id": team_thread},
            "tenant": {"id": state.tenant_id},
        },
        "locale": "en-US",
    }
    return activity, bot


def say(
    sandbox: Sandbox,
    *,
    channel_id: str,
    app_url: str,
    text: str,
    service_url: str,
    message_id: str,
    user_key: str | None = None,
    wait_seconds: float = 10.0,
    replies: int = 1,
) -> Said:
    """Send a user's channel post to the bot, then wait (bounded) for the bot's first `replies` activities in that
    thread (2 for a command that answers "on it" first and its result later)."""
    activity, bot = channel_message(
        sandbox, channel_id=channel_id, user_key=user_key, text=text, service_url=service_url, message_id=message_id
    )
    return send_to_bot(sandbox, activity, bot, app_url=app_url, wait_seconds=wait_seconds, replies=replies)


def installation(sandbox: Sandbox, *, team_id: str, service_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The `conversationUpdate` Teams sends when the bot is added to a team: the conversation is the team's General
    channel, `membersAdded` holds the bot, `channelData.team` names the team by thread id and Microsoft 365 group id
    (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events,
    "Bot or user added to team")."""
    state = sandbox.state
    team = state.teams.get(team_id)
    if team is None:
        raise SayError(f"no team {team_id!r} in this tenant")
    bot = next((b for b in state.bots.values() if team_id in b.get("teams", [])), None)
    if bot is None:
        raise SayError(f"no bot is installed in team {team_id!r} (tenant file: bots)")
    team_thread = team.get("internalId") or team["channels"][0]["id"]
    now = sandbox.clock.now().astimezone(dt.UTC)
    bot_account = {"id": f"28:{bot['appId']}", "name": bot["name"]}
    activity = {
        "type": "conversationUpdate",
        "id": f"f:{hashlib.sha256(f'{team_id}|{now.isoformat()}'.encode()).hexdigest()[:20]}",
        "timestamp": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": teams_user_id(state.users[0]["id"]), "aadObjectId": state.users[0]["id"]},
        "conversation": {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": state.tenant_id,
            "id": team_thread,
        },
        "recipient": bot_account,
        "membersAdded": [bot_account],
        "channelData": {
            "team": {"aadGroupId": team_id, "name": team.get("displayName"), "id": team_thread},
            "eventType": "teamMemberAdded",
            "tenant": {"id": state.tenant_id},
        },
    }
    return activity, bot


def install(sandbox: Sandbox, *, team_id: str, app_url: str, service_url: str, wait_seconds: float = 10.0) -> Said:
    """Add the bot to a team: send the install event to the bot, then wait (bounded) for its greeting."""
    activity, bot = installation(sandbox, team_id=team_id, service_url=service_url)
    return send_to_bot(sandbox, activity, bot, app_url=app_url, wait_seconds=wait_seconds)


def send_to_bot(
    sandbox: Sandbox,
    activity: dict[str, Any],
    bot: dict[str, Any],
    *,
    app_url: str,
    wait_seconds: float = 10.0,
    token: str | None = None,
    replies: int = 1,
) -> Said:
    """POST `activity` to the bot with a channel token (`token` replaces the minted one, e.g. a tampered token),
    then wait (bounded, on the Bot Connector's condition) for the bot's first `replies` activities in that
    conversation."""
    service_url = str(activity["serviceUrl"])
    if token is None:
        token = sandbox.channel_issuer.mint(app_id=bot["appId"], service_url=service_url, now=sandbox.clock.now())
    state = sandbox.state
    with state.lock:
        seen = len(state.bot_activities)
    try:
        response = requests.post(
            app_url,
            json=activity,
            headers={"Authorization": f"Bearer {token}"},
            timeout=APP_TIMEOUT,
            verify=sandbox.ca_bundle or True,
        )
    except requests.RequestException as exc:
        raise SayError(f"the bot at {app_url} did not answer: {type(exc).__name__}", 502) from exc

    def answered() -> list[dict[str, Any]]:
        return [
            a
            for a in state.bot_activities[seen:]
            if a["conversationId"] == activity["conversation"]["id"]
            or (activity.get("id") and a["replyToId"] == activity["id"])
        ]

    found: list[dict[str, Any]] = []
    if response.ok:  # a bot that refused the request (401, 500) will not answer in the thread
        with state.bot_activity_arrived:
            state.bot_activity_arrived.wait_for(lambda: len(answered()) >= replies, timeout=wait_seconds)
            found = answered()
    return Said(activity=activity, status=response.status_code, replies=found)
