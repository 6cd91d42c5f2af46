"""What MSAL and a Graph caller see from the sandbox's identity platform."""

from __future__ import annotations

import msal
import pytest

from assistant.graph.http import PinnedSession
from assistant.sandbox.demo_tenant import DEMO_APP_ID, READONLY_APP_ID, READONLY_APP_SECRET
from tests.conftest import GRAPH_SCOPE, app_token, delegated_token


def _app(sandbox, app_id=DEMO_APP_ID, secret="wrong", tenant=None):
    return msal.ConfidentialClientApplication(
        app_id,
        client_credential=secret,
        authority=f"{sandbox.url}/{tenant or sandbox.state.tenant_id}",
        instance_discovery=False,
        http_client=PinnedSession(sandbox.ca_bundle),
    )


def test_msal_gets_a_token_and_serves_the_second_from_cache(sandbox):
    app = _app(sandbox, secret="sandbox-demo-secret-not-for-production")
    first = app.acquire_token_for_client(scopes=[GRAPH_SCOPE])
    second = app.acquire_token_for_client(scopes=[GRAPH_SCOPE])
    assert first["token_type"] == "Bearer" and first["expires_in"] == 3599
    assert first["token_source"] == "identity_provider"
    assert second["token_source"] == "cache"


def test_wrong_secret_is_refused_with_the_aadsts_code_a_tenant_sends(sandbox):
    result = _app(sandbox).acquire_token_for_client(scopes=[GRAPH_SCOPE])
    assert result["error"] == "invalid_client"
    assert result["error_codes"] == [7000215]


def test_unknown_tenant_fails_discovery(sandbox):
    with pytest.raises(ValueError, match="90002|invalid_tenant|Unable to get authority configuration"):
        _app(sandbox, tenant="nosuchtenant.onmicrosoft.com")


def test_scope_must_be_resource_dot_default(sandbox):
    result = _app(sandbox, secret="sandbox-demo-secret-not-for-production").acquire_token_for_client(
        scopes=["User.Read"]
    )
    assert result["error"] == "invalid_scope"


def test_token_roles_are_the_consented_application_permissions(sandbox, http):
    import jwt

    claims = jwt.decode(app_token(sandbox, READONLY_APP_ID, READONLY_APP_SECRET), options={"verify_signature": False})
    assert sorted(claims["roles"]) == ["Calendars.Read", "User.Read.All"]
    assert claims["aud"] == "https://graph.microsoft.com"
    assert claims["idtyp"] == "app"


def test_tokens_verify_against_the_published_keys(sandbox, http):
    import jwt

    token = app_token(sandbox)
    config = http.get(f"{sandbox.url}/{sandbox.state.tenant_id}/v2.0/.well-known/openid-configuration").json()
    keys = jwt.PyJWKClient(config["jwks_uri"])
    keys.fetch_data = lambda: http.get(config["jwks_uri"]).json()  # type: ignore[method-assign]
    key = keys.get_signing_key_from_jwt(token)
    # The sandbox clock is pinned in the past, so only the signature and claims are checked here, not expiry.
    claims = jwt.decode(
        token, key.key, algorithms=["RS256"], audience="https://graph.microsoft.com", options={"verify_exp": False}
    )
    assert claims["tid"] == sandbox.state.tenant_id


def test_device_code_flow_gives_a_delegated_token_with_the_users_scopes(sandbox):
    import jwt

    token = delegated_token(sandbox, "megan.bowen@contoso.com", ["ChannelMessage.Send"])
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["scp"] == "ChannelMessage.Send"
    assert claims["upn"] == "megan.bowen@contoso.com"


def test_expired_token_gets_graphs_401(sandbox, http, token):
    http.put(f"{sandbox.url}/_sandbox/clock", json={"advance_seconds": 3600}).raise_for_status()
    response = http.get(f"{sandbox.url}/v1.0/users", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "InvalidAuthenticationToken"
    assert "expired" in response.json()["error"]["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_missing_or_forged_token_gets_401(sandbox, http, token):
    assert http.get(f"{sandbox.url}/v1.0/users").status_code == 401
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    response = http.get(f"{sandbox.url}/v1.0/users", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
