"""App-only sign-in (client secret or certificate) against the sandbox, and the one-line errors an operator
sees for each wrong setting."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from assistant.graph.auth import AppTokenProvider
from assistant.graph.errors import AuthError
from assistant.graph.http import PinnedSession
from assistant.sandbox.clock import SandboxClock
from assistant.sandbox.demo_tenant import DEMO_APP_ID
from assistant.sandbox.server import SandboxServer
from assistant.sandbox.tls import self_signed
from tests.conftest import DEMO_NOW
from tests.graph.conftest import sandbox_settings


def _certificate_pem(tmp: Path) -> tuple[Path, str]:
    """A self-signed certificate and its key in one PEM file, as COORDINATOR_CLIENT_CERTIFICATE takes it."""
    key, cert = self_signed("coordinator-test", DEMO_NOW - dt.timedelta(days=1), DEMO_NOW + dt.timedelta(days=365))
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    path = tmp / "coordinator.pem"
    path.write_text(key_pem + cert_pem)
    return path, cert_pem


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return _certificate_pem(tmp_path_factory.mktemp("certificate"))


@pytest.fixture(scope="module")
def certificate_sandbox(
    tmp_path_factory: pytest.TempPathFactory, demo_tenant: dict, certificate: tuple[Path, str]
) -> Iterator[SandboxServer]:
    """The demo tenant with the test certificate registered on the demo app (a tenant file can say the same)."""
    tenant = copy.deepcopy(demo_tenant)
    app = next(a for a in tenant["applications"] if a["appId"] == DEMO_APP_ID)
    app["certificates"] = [certificate[1]]
    with SandboxServer(
        tenant, tmp_path_factory.mktemp("cert-sandbox"), clock=SandboxClock.frozen_at(DEMO_NOW)
    ) as server:
        yield server


def _graph_accepts(server: SandboxServer, token: str) -> bool:
    response = PinnedSession(server.ca_bundle).get(
        f"{server.url}/v1.0/users", headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code == 200


def _provider(server: SandboxServer, tmp_path: Path, **changes: object) -> AppTokenProvider:
    settings = sandbox_settings(server, tmp_path, **changes)
    return AppTokenProvider(settings, PinnedSession(settings.ca_bundle))


def test_client_secret_gets_a_token_graph_accepts(sandbox, tmp_path):
    assert _graph_accepts(sandbox, _provider(sandbox, tmp_path).token())


def test_certificate_gets_a_token_graph_accepts(certificate_sandbox, certificate, tmp_path):
    provider = _provider(certificate_sandbox, tmp_path, client_secret=None, client_certificate=certificate[0])
    assert _graph_accepts(certificate_sandbox, provider.token())


def _one_line(error: pytest.ExceptionInfo[AuthError]) -> str:
    message = str(error.value)
    assert "\n" not in message and "Trace ID" not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"client_secret": "not-the-secret"}, ["AADSTS7000215", "COORDINATOR_CLIENT_SECRET"]),
        ({"client_id": "00000000-0000-0000-0000-000000000000"}, ["AADSTS700016", "COORDINATOR_CLIENT_ID"]),
    ],
    ids=["wrong secret", "unknown client id"],
)
def test_refused_credentials_give_one_line_naming_the_setting(sandbox, tmp_path, changes, expected):
    provider = _provider(sandbox, tmp_path, **changes)
    with pytest.raises(AuthError) as error:
        provider.token()
    message = _one_line(error)
    assert all(part in message for part in expected), message
    assert "not-the-secret" not in message


def test_unknown_tenant_names_the_tenant_setting(sandbox, tmp_path):
    with pytest.raises(AuthError) as error:
        _provider(sandbox, tmp_path, tenant_id="nosuchtenant.onmicrosoft.com")
    message = _one_line(error)
    assert "AADSTS90002" in message and "COORDINATOR_TENANT_ID" in message


def test_unregistered_certificate_names_the_certificate_setting(sandbox, certificate, tmp_path):
    provider = _provider(sandbox, tmp_path, client_secret=None, client_certificate=certificate[0])
    with pytest.raises(AuthError) as error:
        provider.token()
    message = _one_line(error)
    assert "AADSTS700027" in message and "COORDINATOR_CLIENT_CERTIFICATE" in message


def test_missing_settings_are_named_before_anything_is_sent(sandbox, tmp_path):
    with pytest.raises(AuthError, match="not configured: set COORDINATOR_CLIENT_SECRET"):
        _provider(sandbox, tmp_path, client_secret=None)
