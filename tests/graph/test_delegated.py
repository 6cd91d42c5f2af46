"""Delegated sign-in of a service account: device code against the sandbox, the encrypted cache in the
database, silent renewal by later processes, and the "log in again" cases (revoked, expired, no sign-in)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import text

from assistant.graph.delegated import DelegatedTokenProvider
from assistant.graph.errors import AuthError, LoginRequired
from assistant.graph.http import PinnedSession
from assistant.sandbox.demo_tenant import READONLY_APP_ID, demo_projects
from assistant.sandbox.server import SandboxServer
from assistant.storage.db import Database
from assistant.storage.errors import StorageError
from assistant.storage.migrate import upgrade
from assistant.storage.state import StateStore
from assistant.storage.token_cache import EncryptedTokenCache
from tests.conftest import DEMO_NOW
from tests.graph.conftest import sandbox_settings

SERVICE_ACCOUNT = "megan.bowen@contoso.com"
NINETY_ONE_DAYS = 91 * 24 * 3600


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'coordinator.db'}"
    upgrade(url)
    return url


@pytest.fixture
def key() -> SecretStr:
    return SecretStr(Fernet.generate_key().decode())


def _provider(sandbox: SandboxServer, db_url: str, key: SecretStr, tmp_path: Path, **changes: object):
    """A provider built from scratch, as a new process would: its own database objects and MSAL app."""
    settings = sandbox_settings(sandbox, tmp_path, client_secret=None, **changes)
    database = Database.from_url(db_url)
    cache = EncryptedTokenCache(StateStore(database), key, f"delegated/{settings.client_id}", clock=lambda: DEMO_NOW)
    return DelegatedTokenProvider(settings, PinnedSession(settings.ca_bundle), cache)


def _cache_name(sandbox: SandboxServer, tmp_path: Path) -> str:
    return f"delegated/{sandbox_settings(sandbox, tmp_path).client_id}"


def _stored_refresh_tokens(sandbox: SandboxServer, db_url: str, key: SecretStr, tmp_path: Path) -> list[str]:
    """The refresh tokens in the stored cache, decrypted as Coordinator does."""
    store = StateStore(Database.from_url(db_url))
    text = EncryptedTokenCache(store, key, _cache_name(sandbox, tmp_path), clock=lambda: DEMO_NOW).load()
    assert text is not None
    return [entry["secret"] for entry in json.loads(text)["RefreshToken"].values()]


def _approving_as(sandbox: SandboxServer, user: str, shown: list[str]) -> Callable[[str], None]:
    """An `echo` that plays the operator: reads the code MSAL prints and approves it in the sandbox."""

    def echo(message: str) -> None:
        shown.append(message)
        code = re.search(r"enter the code (\S+)", message)
        assert code, message
        approved = PinnedSession(sandbox.ca_bundle).post(
            f"{sandbox.url}/_sandbox/devicecode/approve", json={"user_code": code.group(1), "user": user}
        )
        approved.raise_for_status()

    return echo


def _login(sandbox, db_url, key, tmp_path, user=SERVICE_ACCOUNT) -> tuple[DelegatedTokenProvider, str, list[str]]:
    provider = _provider(sandbox, db_url, key, tmp_path)
    shown: list[str] = []
    return provider, provider.login(_approving_as(sandbox, user, shown)), shown


def _post(sandbox: SandboxServer, demo_tenant: dict, token: str) -> dict:
    apollo = demo_projects(demo_tenant)["apollo"]
    response = PinnedSession(sandbox.ca_bundle).post(
        f"{sandbox.url}/v1.0/teams/{apollo['team_id']}/channels/{quote(apollo['channel_id'], safe='')}/messages",
        json={"body": {"content": "Status: green"}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _revoke(sandbox: SandboxServer, user: str) -> int:
    response = PinnedSession(sandbox.ca_bundle).post(f"{sandbox.url}/_sandbox/users/{user}/revoke")
    response.raise_for_status()
    return int(response.json()["revoked"])


def test_login_shows_msals_message_and_the_token_posts_to_a_channel(sandbox, demo_tenant, db_url, key, tmp_path):
    provider, username, shown = _login(sandbox, db_url, key, tmp_path)
    assert username == SERVICE_ACCOUNT
    assert len(shown) == 1 and f"{sandbox.url}/devicelogin" in shown[0]
    message = _post(sandbox, demo_tenant, provider.token())
    author = next(u for u in demo_tenant["users"] if u["userPrincipalName"] == SERVICE_ACCOUNT)
    assert message["from"]["user"]["id"] == author["id"]


def test_the_stored_cache_is_encrypted(sandbox, db_url, key, tmp_path):
    _login(sandbox, db_url, key, tmp_path)
    with Database.from_url(db_url).session() as session:
        rows = session.execute(text("SELECT namespace, key, value FROM app_state")).all()
    assert [(namespace, name) for namespace, name, _ in rows] == [("msal", _cache_name(sandbox, tmp_path))]
    refresh_tokens = _stored_refresh_tokens(sandbox, db_url, key, tmp_path)
    assert refresh_tokens
    for needle in [*refresh_tokens, "RefreshToken", "refresh_token", "secret", SERVICE_ACCOUNT]:
        assert needle not in rows[0][2]


def test_a_new_process_gets_tokens_without_logging_in(sandbox, demo_tenant, db_url, key, tmp_path):
    _login(sandbox, db_url, key, tmp_path)
    later = _provider(sandbox, db_url, key, tmp_path)
    _post(sandbox, demo_tenant, later.token())
    # A renewal through the refresh token is written back, and the next process can renew again.
    _post(sandbox, demo_tenant, later.token(force_refresh=True))
    _post(sandbox, demo_tenant, _provider(sandbox, db_url, key, tmp_path).token(force_refresh=True))


def test_a_cached_access_token_is_reused_without_a_round_trip_or_a_write(sandbox, http, db_url, key, tmp_path):
    provider, _, _ = _login(sandbox, db_url, key, tmp_path)
    store = StateStore(Database.from_url(db_url))
    name = _cache_name(sandbox, tmp_path)
    before = store.get("msal", name)
    http.post(f"{sandbox.url}/_sandbox/reset", params={"what": "counters"}).raise_for_status()
    later = _provider(sandbox, db_url, key, tmp_path)
    assert later.token() == later.token() == provider.token()
    routes = http.get(f"{sandbox.url}/_sandbox/requests").json()["routes"]
    assert not any("token" in route for route in routes), routes
    assert store.get("msal", name) == before


def test_revoked_sign_in_asks_to_log_in_again(sandbox, demo_tenant, db_url, key, tmp_path):
    provider, _, _ = _login(sandbox, db_url, key, tmp_path)
    assert _revoke(sandbox, SERVICE_ACCOUNT) == 1
    _post(sandbox, demo_tenant, provider.token())  # the access token already issued stays valid, as in Entra
    with pytest.raises(LoginRequired) as error:
        provider.token(force_refresh=True)
    message = str(error.value)
    assert "revoked" in message and SERVICE_ACCOUNT in message and "AADSTS50173" in message
    assert "run `coordinator login`" in message and "\n" not in message


def test_login_after_revocation_works_again(sandbox, demo_tenant, db_url, key, tmp_path):
    _login(sandbox, db_url, key, tmp_path)
    _revoke(sandbox, SERVICE_ACCOUNT)
    provider, _, _ = _login(sandbox, db_url, key, tmp_path)
    _post(sandbox, demo_tenant, provider.token(force_refresh=True))


def test_refresh_token_unused_for_ninety_days_expires(sandbox, http, db_url, key, tmp_path):
    provider, _, _ = _login(sandbox, db_url, key, tmp_path)
    http.put(f"{sandbox.url}/_sandbox/clock", json={"advance_seconds": NINETY_ONE_DAYS}).raise_for_status()
    with pytest.raises(
        LoginRequired, match=r"expired .*megan\.bowen@contoso\.com \(AADSTS700082\): run `coordinator login`"
    ):
        provider.token(force_refresh=True)


def test_without_a_sign_in_the_message_says_to_log_in(sandbox, db_url, key, tmp_path):
    with pytest.raises(LoginRequired, match="no account is signed in .*run `coordinator login`"):
        _provider(sandbox, db_url, key, tmp_path).token()


def test_a_changed_key_is_a_clear_error_and_login_recovers(sandbox, demo_tenant, db_url, key, tmp_path):
    _login(sandbox, db_url, key, tmp_path)
    other = SecretStr(Fernet.generate_key().decode())
    with pytest.raises(StorageError, match="cannot be decrypted with COORDINATOR_TOKEN_KEY.*coordinator login"):
        _provider(sandbox, db_url, other, tmp_path).token()
    provider, _, _ = _login(sandbox, db_url, other, tmp_path)
    _post(sandbox, demo_tenant, provider.token())


def test_missing_consent_is_named(sandbox, db_url, key, tmp_path):
    provider = _provider(sandbox, db_url, key, tmp_path, client_id=READONLY_APP_ID)
    with pytest.raises(AuthError, match=r"AADSTS65001\): consent is missing"):
        provider.login(_approving_as(sandbox, SERVICE_ACCOUNT, []))


def test_unknown_client_id_is_named(sandbox, db_url, key, tmp_path):
    provider = _provider(sandbox, db_url, key, tmp_path, client_id="00000000-0000-0000-0000-000000000000")
    with pytest.raises(AuthError, match=r"AADSTS700016\).*COORDINATOR_CLIENT_ID"):
        provider.login(_approving_as(sandbox, SERVICE_ACCOUNT, []))


def test_unknown_tenant_is_named(sandbox, db_url, key, tmp_path):
    with pytest.raises(AuthError, match=r"AADSTS90002\).*COORDINATOR_TENANT_ID"):
        _provider(sandbox, db_url, key, tmp_path, tenant_id="nosuchtenant.onmicrosoft.com")


def test_no_token_material_is_logged(sandbox, db_url, key, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    provider, _, _ = _login(sandbox, db_url, key, tmp_path)
    access = provider.token(force_refresh=True)
    for secret in [access, *_stored_refresh_tokens(sandbox, db_url, key, tmp_path)]:
        assert secret not in caplog.text
