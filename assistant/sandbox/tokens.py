"""Access tokens the sandbox issues and checks: RS256 JWTs like Microsoft's identity platform.

App-only tokens carry the consented application permissions in `roles`; delegated tokens carry `scp`
(space-separated) and the signed-in user's `oid`. The claim names follow the v1 access tokens Graph
receives (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

GRAPH_RESOURCE = "https://graph.microsoft.com"
# What a bot asks for (scope `https://api.botframework.com/.default`) to call the Bot Connector; the token's `aud`.
# https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
BOTFRAMEWORK_RESOURCE = "https://api.botframework.com"
TOKEN_LIFETIME = dt.timedelta(seconds=3599)


@dataclass(frozen=True)
class Caller:
    """Who is calling Graph, as read from a verified token."""

    app_id: str
    roles: frozenset[str] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    user_id: str | None = None

    @property
    def delegated(self) -> bool:
        return self.user_id is not None


class TokenError(Exception):
    """The bearer token is missing, malformed, wrongly signed or expired; `message` is Graph's text."""


class TokenIssuer:
    def __init__(self, tenant_id: str) -> None:
        self.tenant_id = tenant_id
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public_der = self._key.public_key().public_numbers()
        self.kid = hashlib.sha256(str(public_der.n).encode()).hexdigest()[:27]

    @property
    def issuer(self) -> str:
        return f"https://sts.windows.net/{self.tenant_id}/"

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}

    def issue(
        self,
        *,
        app_id: str,
        now: dt.datetime,
        audience: str = GRAPH_RESOURCE,
        roles: list[str] | None = None,
        scopes: list[str] | None = None,
        user: dict[str, Any] | None = None,
    ) -> tuple[str, int]:
        """Sign a token; returns it with its lifetime in seconds."""
        issued = int(now.timestamp())
        claims: dict[str, Any] = {
            "aud": audience,
            "iss": self.issuer,
            "iat": issued,
            "nbf": issued,
            "exp": issued + int(TOKEN_LIFETIME.total_seconds()),
            "appid": app_id,
            "tid": self.tenant_id,
            "ver": "1.0",
            "uti": base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="),
        }
        if user is None:
            claims.update({"idtyp": "app", "oid": _service_principal_id(app_id), "sub": app_id})
            if roles:  # Entra omits `roles` when nothing was consented; Graph then answers 403.
                claims["roles"] = sorted(roles)
        else:
            claims.update(
                {
                    "idtyp": "user",
                    "oid": user["id"],
                    "sub": user["id"],
                    "upn": user.get("userPrincipalName"),
                    "name": user.get("displayName"),
                    "scp": " ".join(sorted(scopes or [])),
                }
            )
        token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid, "typ": "JWT"})
        return token, int(TOKEN_LIFETIME.total_seconds())

    def verify(self, token: str, *, now: dt.datetime, audience: str = GRAPH_RESOURCE) -> Caller:
        try:
            claims = jwt.decode(
                token,
                self._key.public_key(),
                algorithms=["RS256"],
                audience=audience,
                issuer=self.issuer,
                options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
            )
        except jwt.InvalidAudienceError as exc:
            raise TokenError("Invalid audience.") from exc
        except jwt.PyJWTError as exc:
            raise TokenError("IDX14100: JWT is not well formed or its signature is invalid.") from exc
        stamp = now.timestamp()
        if stamp >= claims["exp"] or stamp < claims["nbf"] - 300:
            raise TokenError("Lifetime validation failed, the token is expired.")
        if claims.get("idtyp") == "user":
            return Caller(
                app_id=claims["appid"],
                scopes=frozenset(claims.get("scp", "").split()),
                user_id=claims["oid"],
            )
        return Caller(app_id=claims["appid"], roles=frozenset(claims.get("roles", [])))


def _service_principal_id(app_id: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"serviceprincipal:{app_id}"))
