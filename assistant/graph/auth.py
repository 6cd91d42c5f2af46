"""App-only tokens for Graph through MSAL, against Microsoft's identity platform or the sandbox, and the
MSAL set-up and error advice that delegated sign-in (`delegated.py`) shares with them.

`instance_discovery=False` for a non-Microsoft authority, or MSAL first asks login.microsoftonline.com
whether the authority is valid (GRAPH-FACTS §8, gotcha 17). The scope of the client-credentials flow is
always `https://graph.microsoft.com/.default`, also against the sandbox, since that is the token's audience.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import msal
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from assistant.graph.errors import AuthError, TransportError
from assistant.graph.http import PinnedSession
from assistant.settings import Settings

log = logging.getLogger(__name__)

App = TypeVar("App", bound=msal.ClientApplication)

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
MICROSOFT_AUTHORITY_HOSTS = (
    "login.microsoftonline.com",
    "login.microsoftonline.us",
    "login.partner.microsoftonline.cn",
)

# AADSTS codes worth a sentence of advice (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
_ADVICE = {
    "90002": "the tenant does not exist: check COORDINATOR_TENANT_ID",
    "700016": "no app with this client id in the tenant: check COORDINATOR_CLIENT_ID, and that an admin consented",
    "7000215": "the client secret is wrong or expired: check COORDINATOR_CLIENT_SECRET (the secret's value, not its id)",
    "7000222": "the client secret has expired: create a new one and update COORDINATOR_CLIENT_SECRET",
    "700027": "the certificate is not registered on the app: upload it or check COORDINATOR_CLIENT_CERTIFICATE",
    "65001": "consent is missing: an admin must grant the app's permissions",
    "7000218": "the app registration does not allow public client flows, which device-code sign-in needs: "
    "set Authentication > Allow public client flows to Yes",
}


class AppTokenProvider:
    def __init__(self, settings: Settings, session: PinnedSession) -> None:
        missing = settings.missing_for_graph()
        if missing:
            raise AuthError("Microsoft 365 access is not configured: set " + ", ".join(missing))
        self._app = msal_app(
            msal.ConfidentialClientApplication,
            settings,
            session,
            client_credential=_credential(settings),
            token_cache=msal.TokenCache(),
        )

    def token(self) -> str:
        """An access token for Graph, from MSAL's cache while it is valid."""
        try:
            result: dict[str, Any] = self._app.acquire_token_for_client(scopes=[GRAPH_SCOPE])
        except requests.RequestException as exc:
            raise TransportError(f"cannot reach the identity platform: {type(exc).__name__}") from None
        if "access_token" in result:
            return str(result["access_token"])
        raise AuthError(explain(result))


def _credential(settings: Settings) -> str | dict[str, str]:
    if settings.client_certificate is not None:
        pem = settings.client_certificate.read_bytes()
        cert = x509.load_pem_x509_certificate(pem)
        thumbprint = cert.fingerprint(hashes.SHA1()).hex()  # noqa: S303 - x5t is SHA-1 by definition
        public = cert.public_bytes(serialization.Encoding.PEM).decode()
        return {"private_key": pem.decode(), "thumbprint": thumbprint, "public_certificate": public}
    assert settings.client_secret is not None
    return settings.client_secret.get_secret_value()


def msal_app(factory: Callable[..., App], settings: Settings, session: PinnedSession, **kwargs: Any) -> App:
    """An MSAL application for the configured tenant, with construction failures in Coordinator's tree.

    MSAL fetches the tenant's OpenID configuration in the constructor, so an unknown tenant or an
    unreachable authority fails here, not at the first token.
    """
    authority = f"{settings.authority}/{settings.tenant_id}"
    try:
        return factory(
            settings.client_id,
            authority=authority,
            http_client=session,
            instance_discovery=is_microsoft_authority(settings.authority),
            **kwargs,
        )
    except ValueError as exc:
        raise AuthError(_construction_problem(exc, authority)) from None
    except requests.RequestException as exc:
        raise TransportError(
            f"cannot reach the identity platform at {settings.authority}: {type(exc).__name__}"
        ) from None


def is_microsoft_authority(url: str) -> bool:
    """Only Microsoft's own hosts can be checked by instance discovery; anything else must skip it."""
    return urlsplit(url).hostname in MICROSOFT_AUTHORITY_HOSTS


def explain(result: dict[str, Any]) -> str:
    """One line for an MSAL error result: advice for AADSTS codes we know, else the first line AAD sent."""
    known = advice(result)
    if known is not None:
        return known
    description = first_aad_line(str(result.get("error_description", "")))
    return f"sign-in refused ({result.get('error', 'unknown error')}): {description}"


def advice(result: dict[str, Any]) -> str | None:
    """The operator's next step for an AADSTS code we know, or None."""
    for code in error_codes(result):
        if code in _ADVICE:
            return f"sign-in refused (AADSTS{code}): {_ADVICE[code]}"
    return None


def error_codes(result: dict[str, Any]) -> list[str]:
    """The AADSTS numbers of an MSAL error result (from `error_codes`, else from the description)."""
    codes = [str(c) for c in result.get("error_codes") or []]
    return codes or _aadsts_codes(str(result.get("error_description", "")))


def first_aad_line(text: str) -> str:
    """AAD's description without the trace and correlation ids that follow it."""
    return text.split(" Trace ID:")[0].strip().splitlines()[0] if text.strip() else text


def _construction_problem(exc: ValueError, authority: str) -> str:
    # MSAL re-raises a failed discovery as a generic ValueError; the AADSTS code (90002 for an unknown
    # tenant) is only in the exception it replaced.
    texts = [str(exc), str(exc.__context__ or "")]
    for code in _aadsts_codes(" ".join(texts)):
        if code in _ADVICE:
            return f"sign-in refused (AADSTS{code}): {_ADVICE[code]}"
    if "authority configuration" in texts[0]:
        return f"no OpenID configuration at {authority}: check COORDINATOR_TENANT_ID and COORDINATOR_AUTHORITY"
    return f"cannot use authority {authority}: {first_aad_line(texts[0])}"


def _aadsts_codes(text: str) -> list[str]:
    return re.findall(r"AADSTS(\d+)", text)
