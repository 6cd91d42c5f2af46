"""Teams routes: teams, channels, channel messages (delegated only) and replies.

https://learn.microsoft.com/graph/api/channel-post-messages: 201 + chatMessage; only delegated
`ChannelMessage.Send` may post (application permissions are for imports). Card attachments carry
`content` as a JSON *string* and must be referenced by `<attachment id="...">` in an html body
(GRAPH-FACTS §3.1, gotcha 10).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response

from assistant.sandbox.context import current, graph_base, graph_response, page_of, read_json, require
from assistant.sandbox.errors import GraphHTTPError
from assistant.sandbox.permissions import CHANNEL_MESSAGE_READ, CHANNEL_MESSAGE_SEND, CHANNELS_READ, TEAMS_READ

teams = Blueprint("teams", __name__)

CARD_TYPES = ("application/vnd.microsoft.card.adaptive", "application/vnd.microsoft.card.thumbnail",
              "application/vnd.microsoft.card.hero")  # fmt: skip
# Teams rejects messages above roughly 28 KB (GRAPH-FACTS §4.1, §5 [S]).
MAX_MESSAGE_BYTES = 28 * 1024
_ATTACHMENT_REF = re.compile(r'<attachment\s+id="([^"]+)"\s*>\s*</attachment>')
_MENTION_REF = re.compile(r'<at\s+id="?(\d+)"?\s*>')


def team_or_404(team_id: str) -> dict[str, Any]:
    team = current().state.teams.get(team_id)
    if team is None:
        raise GraphHTTPError(404, "NotFound", f"No team found with Group Id {team_id}")
    return team


def channel_or_404(team_id: str, channel_id: str) -> dict[str, Any]:
    team_or_404(team_id)
    channel = current().state.channels.get((team_id, channel_id))
    if channel is None:
        raise GraphHTTPError(404, "NotFound", "Channel not found")
    return channel


@teams.get("/v1.0/teams/<team_id>")
def get_team(team_id: str) -> Response:
    require(TEAMS_READ)
    team = {k: v for k, v in team_or_404(team_id).items() if k != "channels"}
    return graph_response({"@odata.context": f"{graph_base()}/$metadata#teams/$entity", **team})


@teams.get("/v1.0/teams/<team_id>/channels")
def list_channels(team_id: str) -> Response:
    require(CHANNELS_READ)
    channels = [
        {k: v for k, v in c.items() if k not in ("messages", "files")} for c in team_or_404(team_id).get("channels", [])
    ]
    context = f"teams('{team_id}')/channels"
    return graph_response(page_of(channels, context=context, default_size=1000, max_size=1000, honour_top=False))


@teams.get("/v1.0/teams/<team_id>/channels/<channel_id>")
def get_channel(team_id: str, channel_id: str) -> Response:
    require(CHANNELS_READ)
    channel = channel_or_404(team_id, channel_id)
    context = f"teams('{team_id}')/channels/$entity"
    return graph_response({"@odata.context": f"{graph_base()}/$metadata#{context}", **channel})


@teams.post("/v1.0/teams/<team_id>/channels/<channel_id>/messages")
def post_message(team_id: str, channel_id: str) -> Response:
    return _post(team_id, channel_id, reply_to=None)


@teams.post("/v1.0/teams/<team_id>/channels/<channel_id>/messages/<message_id>/replies")
def post_reply(team_id: str, channel_id: str, message_id: str) -> Response:
    return _post(team_id, channel_id, reply_to=message_id)


@teams.get("/v1.0/teams/<team_id>/channels/<channel_id>/messages")
def list_messages(team_id: str, channel_id: str) -> Response:
    require(CHANNEL_MESSAGE_READ)
    channel_or_404(team_id, channel_id)
    state = current().state
    with state.lock:
        messages = [m for m in reversed(state.messages.get((team_id, channel_id), [])) if not m["replyToId"]]
    context = f"teams('{team_id}')/channels('{quote(channel_id)}')/messages"
    return graph_response(page_of(messages, context=context, default_size=20, max_size=50))


def _post(team_id: str, channel_id: str, reply_to: str | None) -> Response:
    who = require(CHANNEL_MESSAGE_SEND)
    payload = read_json()
    state = current().state
    with state.lock:
        channel_or_404(team_id, channel_id)
        if reply_to is not None and not any(m["id"] == reply_to for m in state.messages.get((team_id, channel_id), [])):
            raise GraphHTTPError(404, "NotFound", f"Message {reply_to} not found")
        body, attachments, mentions = _validated(payload)
        author = state.user(who.user_id or "")
        now = current().clock.now()
        stamp = int(now.timestamp() * 1000)
        existing = {m["id"] for m in state.messages.get((team_id, channel_id), [])}
        while str(stamp) in existing:
            stamp += 1
        message_id = str(stamp)
        created = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
        tenant_id = state.tenant_id
        message = {
            "id": message_id, "replyToId": reply_to, "etag": message_id, "messageType": "message",
            "createdDateTime": created, "lastModifiedDateTime": created, "lastEditedDateTime": None,
            "deletedDateTime": None, "subject": payload.get("subject"), "summary": payload.get("summary"),
            "chatId": None, "importance": payload.get("importance", "normal"), "locale": "en-us",
            "webUrl": f"https://teams.microsoft.com/l/message/{quote(channel_id)}/{message_id}?groupId={team_id}"
            f"&tenantId={tenant_id}&createdTime={message_id}&parentMessageId={reply_to or message_id}",
            "policyViolation": None, "eventDetail": None,
            "from": {"application": None, "device": None, "conversation": None,
                     "user": {"id": who.user_id, "displayName": (author or {}).get("displayName"),
                              "userIdentityType": "aadUser"}},
            "body": body, "channelIdentity": {"teamId": team_id, "channelId": channel_id},
            "attachments": attachments, "mentions": mentions, "reactions": [],
        }  # fmt: skip
        state.messages.setdefault((team_id, channel_id), []).append(message)
    context = f"teams('{team_id}')/channels('{quote(channel_id)}')/messages/$entity"
    return graph_response({"@odata.context": f"{graph_base()}/$metadata#{context}", **message}, 201)


def _validated(payload: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    body = payload.get("body")
    if not isinstance(body, dict) or not isinstance(body.get("content"), str):
        raise GraphHTTPError(400, "BadRequest", "Missing body content")
    content_type = body.get("contentType", "text")
    if content_type not in ("text", "html"):
        raise GraphHTTPError(400, "BadRequest", f"Invalid body contentType '{content_type}'")
    attachments = payload.get("attachments") or []
    referenced = set(_ATTACHMENT_REF.findall(body["content"])) if content_type == "html" else set()
    ids = set()
    for attachment in attachments:
        ids.add(attachment.get("id"))
        if attachment.get("contentType") in CARD_TYPES:
            if not isinstance(attachment.get("content"), str):
                raise GraphHTTPError(
                    400, "BadRequest", "Attachment content must be a JSON string for card attachments."
                )
            try:
                json.loads(attachment["content"])
            except ValueError as exc:
                raise GraphHTTPError(400, "BadRequest", "Attachment content is not valid JSON.") from exc
        if attachment.get("id") not in referenced:
            raise GraphHTTPError(
                400, "BadRequest", f"Attachment with id '{attachment.get('id')}' is not referenced in the message body."
            )
    missing = referenced - ids
    if missing:
        raise GraphHTTPError(400, "BadRequest", f"Attachment with id '{sorted(missing)[0]}' was not found.")
    mentions = payload.get("mentions") or []
    mention_ids = {str(m.get("id")) for m in mentions}
    for ref in _MENTION_REF.findall(body["content"]):
        if ref not in mention_ids:
            raise GraphHTTPError(400, "BadRequest", f"Mention with id '{ref}' has no entry in mentions.")
    size = len(json.dumps(payload).encode())
    if size > MAX_MESSAGE_BYTES:
        raise GraphHTTPError(
            413, "RequestEntityTooLarge", f"Message size {size} bytes exceeds the maximum of {MAX_MESSAGE_BYTES} bytes."
        )
    echoed = [
        {"id": a.get("id"), "contentType": a.get("contentType"), "contentUrl": a.get("contentUrl"),
         "content": a.get("content"), "name": a.get("name"), "thumbnailUrl": a.get("thumbnailUrl"),
         "teamsAppId": None}
        for a in attachments
    ]  # fmt: skip
    return {"contentType": content_type, "content": body["content"]}, echoed, [_mention(m) for m in mentions]


def _mention(sent: dict[str, Any]) -> dict[str, Any]:
    """A mention as Graph returns it: `mentioned` is a whole chatMessageMentionedIdentitySet, the identities not
    sent being null (https://learn.microsoft.com/graph/api/chatmessage-post, Example 2 response)."""
    mentioned = sent.get("mentioned")
    identities = {"application": None, "device": None, "conversation": None, "user": None}
    if isinstance(mentioned, dict):
        identities.update(mentioned)
    return {"id": sent.get("id"), "mentionText": sent.get("mentionText"), "mentioned": identities}
