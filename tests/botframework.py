"""Test doubles of the Bot Framework's outside world, run for real on loopback: an OpenID metadata + JWKS
endpoint serving a test RSA key, and a Bot Connector receiver that records what the bot posts.

Tokens are minted with PyJWT and that key, as the Bot Framework token service would sign them; the code under
test fetches the keys over HTTP like it does in production. Ports are ephemeral; nothing polls or sleeps.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

BOT_APP_ID = "9f3c2a51-0b7e-4c1d-8a2f-5e6d7c8b9a01"
ISSUER = "https://api.botframework.com"
KID = "test-key-1"


@dataclass
class Posted:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class BotFrameworkDouble:
    url: str
    key: rsa.RSAPrivateKey
    posted: list[Posted] = field(default_factory=list)
    endorsements: list[str] | None = None

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/v1/.well-known/openidconfiguration"

    @property
    def service_url(self) -> str:
        return f"{self.url}/connector/"

    def jwks(self) -> dict[str, Any]:
        entry = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        entry.update(kid=KID, use="sig", alg="RS256")
        if self.endorsements is not None:
            entry["endorsements"] = self.endorsements
        return {"keys": [entry]}

    def token(
        self,
        now: dt.datetime,
        *,
        key: rsa.RSAPrivateKey | None = None,
        algorithm: str = "RS256",
        kid: str = KID,
        lifetime: dt.timedelta = dt.timedelta(hours=1),
        **claims: Any,
    ) -> str:
        payload: dict[str, Any] = {
            "iss": ISSUER,
            "aud": BOT_APP_ID,
            "serviceurl": self.service_url,
            "nbf": int(now.timestamp()) - 60,
            "iat": int(now.timestamp()),
            "exp": int((now + lifetime).timestamp()),
        }
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        signing: Any = key or self.key
        if algorithm == "none":
            signing = None
        return jwt.encode(payload, signing, algorithm=algorithm, headers={"kid": kid})


@contextmanager
def bot_framework_double() -> Iterator[BotFrameworkDouble]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    double: BotFrameworkDouble

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/v1/.well-known/openidconfiguration":
                self._json(
                    {
                        "issuer": ISSUER,
                        "jwks_uri": f"{double.url}/v1/.well-known/keys",
                        "id_token_signing_alg_values_supported": ["RS256"],
                    }
                )
            elif self.path == "/v1/.well-known/keys":
                self._json(double.jwks())
            else:
                self.send_error(404)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            double.posted.append(Posted(self.path, dict(self.headers.items()), body))
            self._json({"id": f"reply-{len(double.posted)}"}, status=201)

        def _json(self, data: Any, status: int = 200) -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    double = BotFrameworkDouble(f"http://127.0.0.1:{server.server_address[1]}", key)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield double
    finally:
        server.shutdown()
        server.server_close()
