"""The Bot Framework channel's OpenID metadata and keys, as served at https://login.botframework.com/v1/.well-known/ .

What the keys sign and what a bot checks: `assistant/sandbox/channel_tokens.py`.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from assistant.sandbox.channel_tokens import CHANNEL_ISSUER
from assistant.sandbox.context import current

botframework = Blueprint("botframework", __name__, url_prefix="/botframework/v1/.well-known")


def metadata_url(base: str) -> str:
    return f"{base.rstrip('/')}/botframework/v1/.well-known/openidconfiguration"


@botframework.get("/openidconfiguration")
def openid_configuration() -> Response:
    """Same keys and values as https://login.botframework.com/v1/.well-known/openidconfiguration ."""
    base = request.host_url.rstrip("/")
    return jsonify(
        {
            "issuer": CHANNEL_ISSUER,
            "authorization_endpoint": "https://invalid.botframework.com",
            "jwks_uri": f"{base}/botframework/v1/.well-known/keys",
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        }
    )


@botframework.get("/keys")
def keys() -> Response:
    return jsonify(current().channel_issuer.jwks())
