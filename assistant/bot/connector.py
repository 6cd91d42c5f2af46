"""Replies and proactive posts through the Bot Connector REST API, with the bot's own app-only token.

Spec: "Send and receive messages with the Bot Connector service"
(https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-send-and-receive-messages):
a reply is `POST {serviceUrl}/v3/conversations/{conversationId}/activities/{replyToId}`, a new message
`POST {serviceUrl}/v3/conversations/{conversationId}/activities`, both with
`Authorization: Bearer <token>` where the token comes from the client-credentials flow for the scope
`https://api.botframework.com/.default` (GRAPH-FACTS 4.3). Card attachments carry `content` as an object.

The token is only sent to a `serviceUrl` that a verified Bot Framework token vouched for; replies to an
unauthenticated (emulator) activity go without one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import requests

from assistant.graph.botconnector import BOT_SCOPE, BotTokenProvider
from assistant.graph.errors import GraphError, TransportError
from assistant.graph.http import PinnedSession

log = logging.getLogger(__name__)

TIMEOUT = 15
__all__ = ["BOT_SCOPE", "BotConnector", "BotTokenProvider"]  # the token provider lives in graph/botconnector.py


class BotConnector:
    def __init__(self, session: PinnedSession, token: Callable[[], str]) -> None:
        self._session = session
        self._token = token

    def reply(
        self, service_url: str, conversation_id: str, reply_to: str | None, activity: dict[str, Any], *, signed: bool
    ) -> None:
        """Answer in the conversation (threaded under `reply_to` when known); `signed=False` sends no token."""
        path = f"v3/conversations/{quote(conversation_id, safe='')}/activities"
        if reply_to:
            path += f"/{quote(reply_to, safe='')}"
            activity = {**activity, "replyToId": reply_to}
        self._post(service_url, path, activity, signed)

    def _post(self, service_url: str, path: str, body: dict[str, Any], signed: bool) -> None:
        url = f"{service_url.rstrip('/')}/{path}"
        headers = {"Authorization": f"Bearer {self._token()}"} if signed else {}
        try:
            response = self._session.post(url, json=body, headers=headers, timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise TransportError(f"cannot reach the Bot Connector: {type(exc).__name__}") from None
        if response.status_code >= 400:
            raise GraphError(f"the Bot Connector answered {response.status_code} to a reply in the conversation")
        log.debug("bot connector: %s %s", response.status_code, path)
