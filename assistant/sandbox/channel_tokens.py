"""The Bot Framework channel's token issuer: what a bot checks the `Authorization` of every incoming activity against.

Teams (through the Bot Framework channel service) signs each request to a bot's messaging endpoint with an RS256
JWT whose keys the bot finds through OpenID metadata; the bot checks signature, `iss` = https://api.botframework.com,
`aud` = its app id, the lifetime (5 minutes of skew) and that the `serviceurl` claim is the activity's `serviceUrl`
(https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication, "Authenticate
requests from the Bot Connector service to your bot"). The real metadata lives at
https://login.botframework.com/v1/.well-known/openidconfiguration; the sandbox serves the same shape under
`/botframework/v1/...`, so a bot whose metadata URL is configurable can be pointed at it.

The keys carry `endorsements` (the channels each key may sign for, `msteams` among them), which the SDKs compare
with the activity's `channelId`. The issuer's key is its own, not the Entra issuer's: the two services sign with
different keys, and a bot must not accept an Entra token in place of a channel token.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from assistant.sandbox.tls import self_signed

CHANNEL_ISSUER = "https://api.botframework.com"
CHANNEL_TOKEN_LIFETIME = dt.timedelta(hours=1)
ENDORSEMENTS = ("msteams",)
# The deliberately bad tokens `mint` makes for tests, each failing one of the checks above.
PROBLEMS = ("expired", "not-yet-valid", "wrong-audience", "wrong-issuer", "wrong-key", "no-serviceurl")


class ChannelTokenError(ValueError):
    """A request to mint a channel token that names an unknown problem."""


@dataclass(frozen=True)
class _SigningKey:
    key: rsa.RSAPrivateKey
    kid: str
    cert_der: bytes


def _signing_key(now: dt.datetime) -> _SigningKey:
    key, cert = self_signed(
        "api.botframework.com (sandbox)", now - dt.timedelta(days=1), now + dt.timedelta(days=365 * 5)
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    # Like the real keys, `kid` and `x5t` are both the certificate's SHA-1 thumbprint, base64url.
    kid = base64.urlsafe_b64encode(hashlib.sha1(der).digest()).decode().rstrip("=")  # noqa: S324 - a thumbprint
    return _SigningKey(key, kid, der)


class ChannelTokenIssuer:
    """Signs the tokens the channel sends to bots, and publishes its keys."""

    def __init__(self, now: dt.datetime | None = None) -> None:
        self._key = _signing_key(now or dt.datetime.now(dt.UTC))

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.key.public_key()))
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "kid": self._key.kid,
                    "x5t": self._key.kid,
                    "n": jwk["n"],
                    "e": jwk["e"],
                    "x5c": [base64.b64encode(self._key.cert_der).decode()],
                    "endorsements": list(ENDORSEMENTS),
                }
            ]
        }

    def mint(self, *, app_id: str, service_url: str, now: dt.datetime, problem: str | None = None) -> str:
        """The channel's token for a request to bot `app_id`; with `problem`, one that a bot must refuse."""
        if problem is not None and problem not in PROBLEMS:
            raise ChannelTokenError(f"unknown problem {problem!r}; one of {', '.join(PROBLEMS)}")
        start = now - CHANNEL_TOKEN_LIFETIME - dt.timedelta(minutes=10) if problem == "expired" else now
        if problem == "not-yet-valid":
            start = now + dt.timedelta(minutes=10)  # beyond the 5 minutes of skew a bot allows
        claims: dict[str, Any] = {
            "serviceurl": service_url,
            "nbf": int(start.timestamp()),
            "exp": int((start + CHANNEL_TOKEN_LIFETIME).timestamp()),
            "iss": "https://sts.windows.net/botframework.com/" if problem == "wrong-issuer" else CHANNEL_ISSUER,
            "aud": "00000000-0000-0000-0000-00000000b07f" if problem == "wrong-audience" else app_id,
        }
        if problem == "no-serviceurl":
            del claims["serviceurl"]
        key = _signing_key(now).key if problem == "wrong-key" else self._key.key
        headers = {"kid": self._key.kid, "x5t": self._key.kid, "typ": "JWT"}
        return jwt.encode(claims, key, algorithm="RS256", headers=headers)
