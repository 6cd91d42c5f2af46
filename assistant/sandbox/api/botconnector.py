"""The Bot Connector service as Teams runs it: where a bot sends, replies to and updates messages in a channel.

The sandbox's `{sandbox}/botconnector/` is the `serviceUrl` of the activities it sends to bots, as
`https://smba.trafficmanager.net/{region}/` is in Teams. Operations (Bot Connector API reference,
https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference):

- `POST /v3/conversations`: start a thread in a channel, for proactive posts; Teams takes `isGroup`,
  `channelData.channel.id` and the first `activity` and answers `{id, activityId}`
  (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages);
- `POST /v3/conversations/{id}/activities` (send) and `.../activities/{activityId}` (reply) → 201 `{id}`
  (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-send-and-receive-messages);
- `PUT /v3/conversations/{id}/activities/{activityId}` (update, e.g. a card) → 200 `{id}`.

Every call needs `Authorization: Bearer` with a token the bot got by client credentials for
`https://api.botframework.com/.default` (here from the sandbox's own token endpoint; see identity.py). Adaptive
Card attachments carry `content` as a JSON object; Graph's chatMessage wants a string instead, and a bot that
sends Graph's shape gets 400 here. Error bodies use the Bot Framework `ErrorResponse` shape
`{"error": {"code", "message"}}` with the codes Teams documents for bot API errors
(https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis);
the 401 body is the one the connector's web framework sends. Every accepted activity is recorded for
`GET /_sandbox/bot/activities`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, jsonify, request

from assistant.sandbox.context import current
from assistant.sandbox.tokens import BOTFRAMEWORK_RESOURCE, TokenError

botconnector = Blueprint("botconnector", __name__, url_prefix="/botconnector/v3/conversations")

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


class ConnectorError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@botconnector.errorhandler(ConnectorError)
def _error(error: ConnectorError) -> Response:
    body: dict[str, Any] = {"error": {"code": error.code, "message": error.message}}
    if error.status == 401:
        body = {"message": "Authorization has been denied for this request."}
    response = jsonify(body)
    response.status_code = error.status
    return response


def _calling_bot() -> dict[str, Any]:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not header[7:].strip():
        raise ConnectorError(401, "Unauthorized", "no bearer token")
    sandbox = current()
    try:
        caller = sandbox.issuer.verify(header[7:].strip(), now=sandbox.clock.now(), audience=BOTFRAMEWORK_RESOURCE)
    except TokenError as exc:
        raise ConnectorError(401, "Unauthorized", str(exc)) from exc
    bot = sandbox.state.bots.get(caller.app_id)
    if bot is None:  # a valid token, but of an app that is no registered bot
        raise ConnectorError(401, "Unauthorized", f"app {caller.app_id} is not a bot")
    return bot


def _channel_of(bot: dict[str, Any], channel_id: str) -> None:
    """The conversation is a thread of a channel in a team the bot is installed in."""
    teams = [team for team, channel in current().state.channels if channel == channel_id]
    if not teams:
        raise _conversation_not_found()
    if teams[0] not in bot.get("teams", []):
        raise ConnectorError(403, "BotNotInConversationRoster", "The bot is not part of the conversation roster.")


def _conversation_not_found() -> ConnectorError:
    return ConnectorError(404, "ConversationNotFound", "Conversation not found.")


def _activity(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        raise ConnectorError(400, "BadArgument", "The activity must be a JSON object with a 'type'.")
    attachments = body.get("attachments") or []
    if not isinstance(attachments, list):
        raise ConnectorError(400, "BadArgument", "'attachments' must be a list.")
    for index, attachment in enumerate(attachments):
        if not isinstance(attachment, dict) or not isinstance(attachment.get("contentType"), str):
            raise ConnectorError(400, "BadArgument", f"attachments[{index}] needs a 'contentType'.")
        if attachment["contentType"] == ADAPTIVE_CARD and not isinstance(attachment.get("content"), dict):
            raise ConnectorError(
                400,
                "BadSyntax",
                f"attachments[{index}].content: an Adaptive Card must be a JSON object here, not "
                f"{type(attachment.get('content')).__name__} (Graph's chatMessage takes a string; the Bot "
                "Connector does not).",
            )
    return body


def _next_message_id() -> str:
    sandbox = current()
    return sandbox.state.next_message_id(int(sandbox.clock.now().timestamp() * 1000))


def _record(
    bot: dict[str, Any], operation: str, conversation_id: str, activity: dict[str, Any], id_: str, reply_to: str | None
) -> None:
    state = current().state
    entry = {
        "id": id_,
        "operation": operation,
        "conversationId": conversation_id,
        "replyToId": reply_to if reply_to is not None else activity.get("replyToId"),
        "appId": bot["appId"],
        "type": activity["type"],
        "text": activity.get("text"),
        "attachments": activity.get("attachments") or [],
        "timestamp": current().clock.now().astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "activity": activity,
    }
    with state.bot_activity_arrived:
        state.bot_activities.append(entry)
        state.bot_activity_arrived.notify_all()


@botconnector.post("")
def create_conversation() -> Response:
    bot = _calling_bot()
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ConnectorError(400, "BadArgument", "The conversation parameters must be a JSON object.")
    channel_data = body.get("channelData")
    channel_info = channel_data.get("channel") if isinstance(channel_data, dict) else None
    channel = channel_info.get("id") if isinstance(channel_info, dict) else None
    if not body.get("isGroup") or not isinstance(channel, str):
        # This slice models channel threads only; a 1:1 chat would need `members` and an `a:` conversation id.
        raise ConnectorError(
            400, "BadArgument", "A channel conversation needs isGroup: true and channelData.channel.id."
        )
    _channel_of(bot, channel)
    activity = _activity(body.get("activity"))
    message_id = _next_message_id()
    conversation_id = f"{channel};messageid={message_id}"
    _record(bot, "createConversation", conversation_id, activity, message_id, None)
    response = jsonify({"id": conversation_id, "activityId": message_id})
    response.status_code = 201
    return response


@botconnector.post("/<conversation_id>/activities")
@botconnector.post("/<conversation_id>/activities/<activity_id>")
def send_activity(conversation_id: str, activity_id: str | None = None) -> Response:
    bot = _calling_bot()
    _channel_of(bot, conversation_id.split(";", 1)[0])
    activity = _activity(request.get_json(silent=True))
    message_id = _next_message_id()
    _record(bot, "send" if activity_id is None else "reply", conversation_id, activity, message_id, activity_id)
    response = jsonify({"id": message_id})
    response.status_code = 201
    return response


@botconnector.put("/<conversation_id>/activities/<activity_id>")
def update_activity(conversation_id: str, activity_id: str) -> Response:
    bot = _calling_bot()
    _channel_of(bot, conversation_id.split(";", 1)[0])
    activity = _activity(request.get_json(silent=True))
    state = current().state
    with state.lock:
        known = any(
            a["id"] == activity_id and a["conversationId"].split(";")[0] == conversation_id.split(";")[0]
            for a in state.bot_activities
        )
    if not known:
        raise ConnectorError(404, "ActivityNotFoundInConversation", "Conversation not found.")
    _record(bot, "update", conversation_id, activity, activity_id, None)
    return jsonify({"id": activity_id})
