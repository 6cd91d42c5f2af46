"""The identity half of the sandbox: what MSAL talks to (discovery, token, JWKS, device code).

Wire behaviour follows what msal sends (refdata/auth/msal-client-credentials.exchange.OBSERVED.txt) and
the Microsoft identity platform's documented responses:
https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow and
https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code . Error bodies carry the AADSTS
code that a real tenant sends, so an operator sees the same text in the sandbox and in production.
"""

from __future__ import annotations

import datetime as dt
import html
import secrets
import uuid
from typing import Any

import jwt
from cryptography import x509
from flask import Blueprint, Response, jsonify, request

from assistant.sandbox.context import current
from assistant.sandbox.tokens import BOTFRAMEWORK_RESOURCE, GRAPH_RESOURCE

identity = Blueprint("identity", __name__)

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
DEVICE_CODE_LIFETIME = 900
# Entra's default for everything but single-page apps; a refresh token stays valid after it is redeemed
# (https://learn.microsoft.com/entra/identity-platform/refresh-tokens), so each one expires on its own.
REFRESH_TOKEN_LIFETIME = dt.timedelta(days=90)
# Bot Framework tokens come from the tenant's own authority, as for a single-tenant bot (the kind Azure Bot Service
# creates today); multi-tenant bots get theirs from the `botframework.com` tenant, which the sandbox does not serve.
RESOURCES = {GRAPH_RESOURCE, BOTFRAMEWORK_RESOURCE}


def _aad_error(status: int, error: str, code: int, description: str) -> Response:
    now = current().clock.now()
    response = jsonify(
        {
            "error": error,
            "error_description": f"AADSTS{code}: {description} Trace ID: {uuid.uuid4()} "
            f"Correlation ID: {uuid.uuid4()} Timestamp: {now:%Y-%m-%d %H:%M:%SZ}",
            "error_codes": [code],
            "timestamp": f"{now:%Y-%m-%d %H:%M:%SZ}",
            "trace_id": str(uuid.uuid4()),
            "correlation_id": request.headers.get("client-request-id", str(uuid.uuid4())),
        }
    )
    response.status_code = status
    return response


def _tenant_known(tenant: str) -> bool:
    info = current().state.tenant["tenant"]
    return tenant.lower() in (info["id"].lower(), info["domain"].lower())


def _unknown_tenant(tenant: str) -> Response:
    return _aad_error(
        400,
        "invalid_tenant",
        90002,
        f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing "
        "into the correct cloud.",
    )


@identity.get("/<tenant>/v2.0/.well-known/openid-configuration")
def openid_configuration(tenant: str) -> Response:
    if not _tenant_known(tenant):
        return _unknown_tenant(tenant)
    base = request.host_url.rstrip("/")
    tid = current().state.tenant_id
    return jsonify(
        {
            "issuer": f"{base}/{tid}/v2.0",
            "authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/{tenant}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/devicecode",
            "jwks_uri": f"{base}/{tenant}/discovery/v2.0/keys",
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "tenant_region_scope": "EU",
        }
    )


@identity.get("/<tenant>/discovery/v2.0/keys")
def keys(tenant: str) -> Response:
    if not _tenant_known(tenant):
        return _unknown_tenant(tenant)
    return jsonify(current().issuer.jwks())


@identity.post("/<tenant>/oauth2/v2.0/devicecode")
def device_code(tenant: str) -> Response:
    if not _tenant_known(tenant):
        return _unknown_tenant(tenant)
    app = current().state.applications.get(request.form.get("client_id", ""))
    if app is None:
        return _unknown_app(request.form.get("client_id", ""))
    scopes = _delegated_scopes(request.form.get("scope", ""))
    user_code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9))
    code = secrets.token_urlsafe(32)
    state = current().state
    with state.lock:
        state.device_codes[code] = {
            "user_code": user_code,
            "app_id": app["appId"],
            "scopes": scopes,
            "expires": current().clock.now() + dt.timedelta(seconds=DEVICE_CODE_LIFETIME),
            "user_id": None,
        }
    verification = request.host_url.rstrip("/") + "/devicelogin"
    return jsonify(
        {
            "user_code": user_code,
            "device_code": code,
            "verification_uri": verification,
            "expires_in": DEVICE_CODE_LIFETIME,
            "interval": 1,
            "message": f"To sign in, use a web browser to open the page {verification} and enter the code "
            f"{user_code} to authenticate.",
        }
    )


@identity.route("/devicelogin", methods=["GET", "POST"])
def device_login() -> Response:
    """A tiny sign-in page: pick a user of the tenant and approve a device code."""
    state = current().state
    note = ""
    if request.method == "POST":
        note = approve_device_code(request.form.get("user_code", ""), request.form.get("user", ""))
        note = note or "Signed in. You can close this window and return to the application."
    options = "".join(
        f'<option value="{html.escape(u["userPrincipalName"])}">{html.escape(u["displayName"])}</option>'
        for u in state.users
    )
    page = (
        "<!doctype html><title>Sandbox sign-in</title><h1>Sandbox tenant sign-in</h1>"
        f"<p>{html.escape(note)}</p><form method=post><label>Code <input name=user_code></label> "
        f"<label>User <select name=user>{options}</select></label> <button>Sign in</button></form>"
    )
    return Response(page, content_type="text/html; charset=utf-8")


def _delegated_scopes(scope: str) -> list[str]:
    """Scopes as Graph permission names: `https://graph.microsoft.com/X` → `X`; `.default` means "all consented"."""
    names = []
    for item in scope.split():
        if item in ("openid", "profile", "offline_access"):
            continue
        name = item[len(GRAPH_RESOURCE) + 1 :] if item.startswith(GRAPH_RESOURCE + "/") else item
        if name != ".default":
            names.append(name)
    return names


def approve_device_code(user_code: str, user_key: str) -> str:
    """Approve a pending device code for a user; returns a problem description or ''."""
    state = current().state
    user = state.user(user_key)
    if user is None:
        return f"No user {user_key!r} in this tenant."
    with state.lock:
        for pending in state.device_codes.values():
            if pending["user_code"] == user_code.strip().upper():
                pending["user_id"] = user["id"]
                return ""
    return "That code was not recognised or has expired."


def _unknown_app(client_id: str) -> Response:
    tid = current().state.tenant_id
    return _aad_error(
        400,
        "unauthorized_client",
        700016,
        f"Application with identifier '{client_id}' was not found in the directory '{tid}'. This can happen "
        "if the application has not been installed by the administrator of the tenant or consented to by any "
        "user in the tenant.",
    )


@identity.post("/<tenant>/oauth2/v2.0/token")
def token(tenant: str) -> Response:
    if not _tenant_known(tenant):
        return _unknown_tenant(tenant)
    form = request.form
    app = current().state.applications.get(form.get("client_id", ""))
    if app is None:
        return _unknown_app(form.get("client_id", ""))
    grant = form.get("grant_type", "")
    if grant == "client_credentials":
        return _client_credentials(app, form)
    if grant == DEVICE_CODE_GRANT:
        return _device_code_grant(app, form.get("device_code", ""))
    if grant == "refresh_token":
        return _refresh(app, form.get("refresh_token", ""))
    return _aad_error(400, "unsupported_grant_type", 70003, f"The app requested an unsupported grant type '{grant}'.")


def _client_credentials(app: dict[str, Any], form: Any) -> Response:
    problem = _check_client_secret_or_assertion(app, form)
    if problem is not None:
        return problem
    scope = form.get("scope", "")
    resource = scope[: -len("/.default")] if scope.endswith("/.default") else None
    if resource is None or " " in scope:
        return _aad_error(
            400,
            "invalid_scope",
            1002012,
            f"The provided value for scope {scope} is not valid. Client credential flows must have a scope "
            "value with /.default suffixed to the resource identifier (application ID URI).",
        )
    if resource not in RESOURCES:
        return _aad_error(
            400,
            "invalid_resource",
            500011,
            f"The resource principal named {resource} was not found in the tenant named "
            f"{current().state.tenant['tenant']['displayName']}.",
        )
    sandbox = current()
    # Consented Graph permissions mean nothing to the Bot Connector: its tokens carry no roles.
    roles = app.get("roles", []) if resource == GRAPH_RESOURCE else None
    access, lifetime = sandbox.issuer.issue(
        app_id=app["appId"], now=sandbox.clock.now(), audience=resource, roles=roles
    )
    return jsonify({"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": access})


def _check_client_secret_or_assertion(app: dict[str, Any], form: Any) -> Response | None:
    if form.get("client_assertion_type") == ASSERTION_TYPE:
        return _check_assertion(app, form.get("client_assertion", ""))
    secret = form.get("client_secret")
    if secret is None and request.authorization is not None:  # client_secret_basic
        secret = request.authorization.password
    if not secret or not app.get("secret") or not secrets.compare_digest(secret, app["secret"]):
        return _aad_error(
            401,
            "invalid_client",
            7000215,
            "Invalid client secret provided. Ensure the secret being sent in the request is the client secret "
            f"value, not the client secret ID, for a secret added to app '{app['appId']}'.",
        )
    return None


def _check_assertion(app: dict[str, Any], assertion: str) -> Response | None:
    """A client assertion signed by the key of one of the app's registered certificates."""
    for pem in app.get("certificates", []):
        cert = x509.load_pem_x509_certificate(pem.encode())
        try:
            claims = jwt.decode(
                assertion,
                cert.public_key(),  # type: ignore[arg-type]
                algorithms=["RS256", "PS256"],
                audience=request.base_url,
                options={"verify_aud": False},
            )
        except jwt.PyJWTError:
            continue
        if claims.get("iss") == app["appId"] and claims.get("sub") == app["appId"]:
            return None
    return _aad_error(
        401,
        "invalid_client",
        700027,
        "The certificate with identifier used to sign the client assertion is not registered on application. "
        f"[Reason - The key was not found., Thumbprint of key used by client: '', Please visit the Azure Portal, "
        f"Graph Explorer or directly use MS Graph to see configured keys for app Id '{app['appId']}'.]",
    )


def _delegated_tokens(app: dict[str, Any], user_id: str, scopes: list[str]) -> Response:
    sandbox = current()
    state = sandbox.state
    user = state.user(user_id)
    assert user is not None
    granted = [s for s in scopes if s in app.get("scopes", [])] or [
        s for s in app.get("scopes", []) if s != "offline_access"
    ]
    missing = [s for s in scopes if s not in app.get("scopes", [])]
    if missing:
        return _aad_error(
            400,
            "invalid_grant",
            65001,
            f"The user or administrator has not consented to use the application with ID '{app['appId']}'. "
            f"Send an interactive authorization request for this user and resource. Missing: {' '.join(missing)}",
        )
    access, lifetime = sandbox.issuer.issue(app_id=app["appId"], now=sandbox.clock.now(), scopes=granted, user=user)
    refresh = secrets.token_urlsafe(48)
    now = sandbox.clock.now()
    with state.lock:
        state.refresh_tokens[refresh] = {
            "app_id": app["appId"],
            "user_id": user["id"],
            "scopes": scopes,
            "issued": now,
            "expires": now + REFRESH_TOKEN_LIFETIME,
            "revoked": None,
        }
    tid = state.tenant_id
    client_info = _b64json({"uid": user["id"], "utid": tid})
    id_token = sandbox.issuer.issue(app_id=app["appId"], now=sandbox.clock.now(), audience=app["appId"], user=user)[0]
    return jsonify(
        {
            "token_type": "Bearer",
            "scope": " ".join(granted),
            "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": access,
            "refresh_token": refresh,
            "id_token": id_token,
            "client_info": client_info,
        }
    )


def _b64json(value: dict[str, Any]) -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _device_code_grant(app: dict[str, Any], code: str) -> Response:
    state = current().state
    with state.lock:
        pending = state.device_codes.get(code)
        if pending is None or pending["app_id"] != app["appId"]:
            return _aad_error(400, "invalid_grant", 70000, "The provided value for the 'device_code' is not valid.")
        if current().clock.now() >= pending["expires"]:
            del state.device_codes[code]
            return _aad_error(
                400,
                "expired_token",
                70020,
                "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
            )
        if pending["user_id"] is None:
            return _aad_error(
                400,
                "authorization_pending",
                70016,
                "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
            )
        del state.device_codes[code]
    return _delegated_tokens(app, pending["user_id"], pending["scopes"])


def _refresh(app: dict[str, Any], refresh_token: str) -> Response:
    state = current().state
    now = current().clock.now()
    with state.lock:
        grant = state.refresh_tokens.get(refresh_token)
    if grant is None or grant["app_id"] != app["appId"]:
        return _aad_error(
            400,
            "invalid_grant",
            700082,
            "The refresh token has expired or been revoked. The user must sign in again.",
        )
    if grant["revoked"] is not None:
        return _aad_error(
            400,
            "invalid_grant",
            50173,
            "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might "
            f"have changed or reset their password. The grant was issued on '{grant['issued']:%Y-%m-%dT%H:%M:%SZ}' "
            f"and the TokensValidFrom date (before which tokens are not valid) for this user is "
            f"'{grant['revoked']:%Y-%m-%dT%H:%M:%SZ}'.",
        )
    if now >= grant["expires"]:
        return _aad_error(
            400,
            "invalid_grant",
            700082,
            f"The refresh token has expired due to inactivity. The token was issued on "
            f"{grant['issued']:%Y-%m-%dT%H:%M:%SZ} and was inactive for {REFRESH_TOKEN_LIFETIME.days}.00:00:00.",
        )
    return _delegated_tokens(app, grant["user_id"], grant["scopes"])


def revoke_refresh_tokens(user_key: str) -> int | None:
    """Revoke every refresh token of a user, like Graph's revokeSignInSessions; None for an unknown user.

    Access tokens already issued stay valid until they expire, as in Entra (without continuous access
    evaluation).
    """
    sandbox = current()
    user = sandbox.state.user(user_key)
    if user is None:
        return None
    now = sandbox.clock.now()
    with sandbox.state.lock:
        grants = [g for g in sandbox.state.refresh_tokens.values() if g["user_id"] == user["id"] and not g["revoked"]]
        for grant in grants:
            grant["revoked"] = now
    return len(grants)
