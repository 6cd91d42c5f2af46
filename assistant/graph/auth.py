"""App-only tokens for Graph through MSAL, against Microsoft's identity platform or the sandbox.

`instance_discovery=False` for a non-Microsoft authority, or MSAL first asks login.microsoftonline.com
whether the authority is valid (GRAPH-FACTS §8, gotcha 17). The scope of the client-credentials flow is
always `https://graph.microsoft.com/.default`, also against the sandbox, since that is the token's audience.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import msal
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from assistant.graph.errors import AuthError, TransportError
from assistant.graph.http import PinnedSession
from assistant.settings import Settings

log = logging.getLogger(__name__)

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
}


class AppTokenProvider:
    def __init__(self, settings: Settings, session: PinnedSession) -> None:
        missing = settings.missing_for_graph()
        if missing:
            raise AuthError("Microsoft 365 access is not configured: set " + ", ".join(missing))
        authority = f"{settings.authority}/{settings.tenant_id}"
        microsoft = urlsplit(settings.authority).hostname in MICROSOFT_AUTHORITY_HOSTS
        try:
            self._app = msal.ConfidentialClientApplication(
                settings.client_id,
                client_credential=_credential(settings),
                authority=authority,
                http_client=session,
                instance_discovery=microsoft,
                token_cache=msal.TokenCache(),
            )
        except ValueError as exc:
            raise AuthError(f"cannot use authority {authority}: {_first_aad_line(str(exc))}") from None
        except requests.RequestException as exc:
            raise TransportError(
                f"cannot reach the identity platform at {settings.authority}: {type(exc).__name__}"
            ) from None

    def token(self) -> str:
        """An access token for Graph, from MSAL's cache while it is valid."""
        try:
            result: dict[str, Any] = self._app.acquire_token_for_client(scopes=[GRAPH_SCOPE])
        except requests.RequestException as exc:
            raise TransportError(f"cannot reach the identity platform: {type(exc).__name__}") from None
        if "access_token" in result:
            return str(result["access_token"])
        raise AuthError(_explain(result))


def _credential(settings: Settings) -> str | dict[str, str]:
    if settings.client_certificate is not None:
        pem = settings.client_certificate.read_bytes()
        cert = x509.load_pem_x509_certificate(pem)
        thumbprint = cert.fingerprint(hashes.SHA1()).hex()  # noqa: S303 - x5t is SHA-1 by definition
        public = cert.public_bytes(serialization.Encoding.PEM).decode()
        return {"private_key": pem.decode(), "thumbprint": thumbprint, "public_certificate": public}
    assert settings.client_secret is not None
    return settings.client_secret.get_secret_value()


def _explain(result: dict[str, Any]) -> str:
    codes = [str(c) for c in result.get("error_codes", [])]
    for code in codes:
        if code in _ADVICE:
            return f"sign-in refused (AADSTS{code}): {_ADVICE[code]}"
    description = _first_aad_line(str(result.get("error_description", "")))
    return f"sign-in refused ({result.get('error', 'unknown error')}): {description}"


def _first_aad_line(text: str) -> str:
    return text.split(" Trace ID:")[0].strip().splitlines()[0] if text.strip() else text
