"""Delegated tokens of a service account, for what Graph allows only a signed-in user to do: channel posts.

Why a *public* client (`msal.PublicClientApplication`): MSAL offers the device-code flow only there, and the
device-code flow is the one sign-in a headless server can run (the operator signs in on any browser). Entra
accepts it only when the app registration has "Allow public client flows" on (AADSTS7000218 otherwise). A
refresh token is bound to the client that received it, so the silent renewals use the same public client:
no client secret is involved, and the refresh token is the credential — which is why its cache is kept
encrypted (`assistant.storage.token_cache`).

The cache is re-read before every token and written back when MSAL changed it, so several processes
sharing one database see each other's renewals. Entra does not revoke a refresh token when it is redeemed,
so two processes renewing at once both succeed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol

import msal
import requests

from assistant.graph.auth import advice, error_codes, explain, first_aad_line, msal_app
from assistant.graph.errors import AuthError, LoginRequired, TransportError
from assistant.graph.http import PinnedSession
from assistant.settings import Settings

# Least privilege: posting (and replying) in channels is all Coordinator does with a user's token; MSAL adds
# openid, profile and offline_access (the refresh token) itself. The short form means Microsoft Graph, and it
# is the form the token response's `scope` uses; MSAL files the access token under the response's scopes, so
# asking for `https://graph.microsoft.com/ChannelMessage.Send` would miss its own cache and renew every time.
DELEGATED_SCOPES = ["ChannelMessage.Send"]

# Refresh failures that only a new sign-in cures (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
_SIGN_IN_AGAIN = {
    "70008": "the sign-in expired after a long time without use",
    "700082": "the sign-in expired after a long time without use",
    "700084": "the sign-in reached its fixed lifetime",
    "50173": "the sign-in was revoked (password change or an administrator revoked the sessions)",
    "50133": "the sign-in was revoked by a password change",
    "50076": "the tenant now requires multi-factor authentication",
    "50079": "the tenant now requires multi-factor authentication",
}
_SIGN_IN_AGAIN_ERRORS = ("invalid_grant", "interaction_required")
LOGIN_HINT = "run `coordinator login` to sign in again"


class TokenCacheStore(Protocol):
    """Where MSAL's serialized token cache lives between runs (storage implements it; graph does not know how)."""

    def load(self) -> str | None: ...

    def save(self, text: str) -> None: ...


class DelegatedTokenProvider:
    def __init__(self, settings: Settings, session: PinnedSession, cache: TokenCacheStore) -> None:
        if settings.tenant_id is None or settings.client_id is None:
            raise AuthError("delegated sign-in is not configured: set COORDINATOR_TENANT_ID and COORDINATOR_CLIENT_ID")
        self._store = cache
        self._lock = threading.Lock()
        self._cache = msal.SerializableTokenCache()
        self._app: msal.PublicClientApplication = msal_app(
            msal.PublicClientApplication, settings, session, token_cache=self._cache
        )

    def login(self, echo: Callable[[str], None], on_code: Callable[[str], None] | None = None) -> str:
        """Run the device-code flow (blocks until the operator signs in); returns the account's username.

        The new sign-in replaces whatever the cache held, so an unreadable or foreign cache never blocks it.
        """
        with self._lock:
            self._cache.deserialize("{}")
            flow = self._call(self._app.initiate_device_flow, scopes=DELEGATED_SCOPES)
            if "user_code" not in flow:
                raise AuthError(explain(flow))
            echo(str(flow["message"]))
            if on_code is not None:  # the demo: its sandbox approves the code itself
                on_code(str(flow["user_code"]))
            result = self._call(self._app.acquire_token_by_device_flow, flow)
            if "access_token" not in result:
                raise AuthError(explain(result))
            self._store.save(self._cache.serialize())
            accounts = self._app.get_accounts()
            return str(accounts[0]["username"]) if accounts else "an unnamed account"

    def token(self, *, force_refresh: bool = False) -> str:
        """An access token for the signed-in account; `force_refresh` skips the cached one (after a 401)."""
        with self._lock:
            self._cache.deserialize(self._store.load() or "{}")
            accounts = self._app.get_accounts()
            if not accounts:
                raise LoginRequired(f"no account is signed in for channel posts: {LOGIN_HINT}")
            username = str(accounts[0].get("username") or "the signed-in account")
            result = self._call(
                self._app.acquire_token_silent_with_error, DELEGATED_SCOPES, accounts[0], force_refresh=force_refresh
            )
            if self._cache.has_state_changed:
                self._store.save(self._cache.serialize())
                self._cache.has_state_changed = False
        if result is None:
            raise LoginRequired(f"the token cache holds no refresh token for {username}: {LOGIN_HINT}")
        if "access_token" in result:
            return str(result["access_token"])
        raise _refusal(result, username)

    @staticmethod
    def _call(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except requests.RequestException as exc:
            raise TransportError(f"cannot reach the identity platform: {type(exc).__name__}") from None


def _refusal(result: dict[str, Any], username: str) -> AuthError:
    """LoginRequired when only a new sign-in helps; otherwise the general advice (consent, unknown app…)."""
    for code in error_codes(result):
        if code in _SIGN_IN_AGAIN:
            return LoginRequired(f"{_SIGN_IN_AGAIN[code]} for {username} (AADSTS{code}): {LOGIN_HINT}")
    known = advice(result)
    if known is None and result.get("error") in _SIGN_IN_AGAIN_ERRORS:
        detail = first_aad_line(str(result.get("error_description", "")))
        return LoginRequired(f"the sign-in of {username} is no longer valid ({detail}): {LOGIN_HINT}")
    return AuthError(known or explain(result))
