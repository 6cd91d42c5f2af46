"""The Bot Connector REST API from the bot's side: its app-only token, and proactive posts into a channel.

Spec: "Send proactive messages" (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages)
and the Bot Connector API reference: a new thread in a channel is `POST {serviceUrl}/v3/conversations` with
`isGroup: true`, `channelData.channel.id` and the first `activity`; Teams answers `{id, activityId}`. Every call
carries `Authorization: Bearer <token>` from the client-credentials flow for `https://api.botframework.com/.default`
with the bot's own app registration (GRAPH-FACTS 4.3). Card attachments carry `content` as an object.

Replies to inbound activities use the same token (`assistant/bot/connector.py`); proactive posts live here, below
`services/`, because a delivery method (`services/delivery_methods.py`) makes them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msal
import requests

from assistant.graph.auth import explain, is_microsoft_authority
from assistant.graph.errors import AuthError, GraphError, TransportError
from assistant.graph.http import PinnedSession
from assistant.graph.workflows import _never_sent
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


class ConnectorPostError(GraphError):
    """A proactive post that failed; `maybe_posted` when the request went out and no answer came back."""

    def __init__(self, message: str, *, status: int | None = None, maybe_posted: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.maybe_posted = maybe_posted


@dataclass(frozen=True)
class NewThread:
    conversation_id: str  # `{channel};messageid={activity_id}`
    activity_id: str


def create_channel_thread(
    session: PinnedSession,
    service_url: str,
    token: Callable[[], str],
    *,
    channel_id: str,
    activity: dict[str, Any],
    tenant_id: str | None = None,
    bot_id: str | None = None,
) -> NewThread:
    """Start a new thread in a Teams channel with `activity` as its first message. Never sent twice."""
    body: dict[str, Any] = {"isGroup": True, "channelData": {"channel": {"id": channel_id}}, "activity": activity}
    if tenant_id:
        body["tenantId"] = tenant_id
        body["channelData"]["tenant"] = {"id": tenant_id}
    if bot_id:
        body["bot"] = {"id": bot_id}
    headers = {"Authorization": f"Bearer {token()}"}
    url = f"{service_url.rstrip('/')}/v3/conversations"
    try:
        response = session.post(url, json=body, headers=headers, timeout=TIMEOUT)
    except requests.RequestException as exc:
        sent = not _never_sent(exc)
        what = "it may have been posted" if sent else "nothing was sent"
        raise ConnectorPostError(
            f"the Bot Connector gave no answer ({type(exc).__name__}): {what}", maybe_posted=sent
        ) from None
    if response.status_code >= 400:
        raise ConnectorPostError(
            f"the Bot Connector answered {response.status_code}{_error_code(response)} to the new thread",
            status=response.status_code,
        )
    answer = response.json() if response.content else {}
    conversation = str(answer.get("id") or "")
    activity_id = str(answer.get("activityId") or conversation.partition(";messageid=")[2])
    log.info("bot connector: new thread in channel (%d)", response.status_code)
    return NewThread(conversation, activity_id)


def _error_code(response: requests.Response) -> str:
    try:
        error = response.json().get("error")
    except ValueError:
        return ""
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        return f" ({error['code']}: {str(error.get('message') or '')[:200]})"
    return ""
