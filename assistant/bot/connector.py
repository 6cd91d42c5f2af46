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

import msal
import requests

from assistant.graph.auth import explain, is_microsoft_authority
from assistant.graph.errors import AuthError, GraphError, TransportError
from assistant.graph.http import PinnedSession
from assistant.settings import Settings

log = logging.getLogger(__name__)

BOT_SCOPE = "https://api.botframework.com/.default"
MULTI_TENANT = "botframework.com"  # the tenant of multi-tenant bots' tokens
TIMEOUT = 15


class BotTokenProvider:
    """App-only tokens of the bot's app registration (not Graph's), cached by MSAL until they expire."""

    def __init__(self, settings: Settings, session: PinnedSession) -> None:
        if not settings.bot_app_id or settings.bot_app_secret is None:
            raise AuthError("the bot cannot reply: set COORDINATOR_BOT_APP_ID and COORDINATOR_BOT_APP_SECRET")
        self._settings = settings
        self._session = session
        self._app: msal.ConfidentialClientApplication | None = None

    def token(self) -> str:
        try:
            if self._app is None:  # MSAL reads the authority's metadata here: lazily, not at start-up
                settings = self._settings
                assert settings.bot_app_secret is not None
                self._app = msal.ConfidentialClientApplication(
                    settings.bot_app_id,
                    client_credential=settings.bot_app_secret.get_secret_value(),
                    authority=f"{settings.authority}/{settings.tenant_id or MULTI_TENANT}",
                    http_client=self._session,
                    instance_discovery=is_microsoft_authority(settings.authority),
                    token_cache=msal.TokenCache(),
                )
            result: dict[str, Any] = self._app.acquire_token_for_client(scopes=[BOT_SCOPE])
        except requests.RequestException as exc:
            raise TransportError(f"cannot reach the identity platform: {type(exc).__name__}") from None
        except ValueError as exc:
            raise AuthError(f"the bot's authority is not usable: {exc}") from None
        if "access_token" in result:
            return str(result["access_token"])
        raise AuthError(explain(result))


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
