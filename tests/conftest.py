"""Shared fixtures: the demo sandbox tenant over real HTTPS on an ephemeral loopback port.

The sandbox clock is frozen at DEMO_NOW and the demo tenant is generated for that moment, so no test
depends on today's date or the machine's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import msal
import pytest

from assistant.graph.http import PinnedSession
from assistant.sandbox.clock import SandboxClock
from assistant.sandbox.demo_tenant import DEMO_APP_ID, DEMO_APP_SECRET, build_demo_tenant
from assistant.sandbox.server import SandboxServer

# A Wednesday; the US switches to daylight time four days later (2026-03-08), Europe on 2026-03-29.
DEMO_NOW = dt.datetime(2026, 3, 4, 7, 0, tzinfo=dt.UTC)
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
SHARED = Path(__file__).resolve().parents[2] / "shared"
REFDATA = SHARED / "refdata"


@pytest.fixture(scope="session")
def demo_tenant() -> dict:
    return build_demo_tenant(DEMO_NOW)


@pytest.fixture(scope="session")
def running_sandbox(tmp_path_factory: pytest.TempPathFactory, demo_tenant: dict) -> Iterator[SandboxServer]:
    data_dir = tmp_path_factory.mktemp("sandbox-data")
    with SandboxServer(demo_tenant, data_dir, clock=SandboxClock.frozen_at(DEMO_NOW)) as server:
        yield server


@pytest.fixture
def sandbox(running_sandbox: SandboxServer) -> Iterator[SandboxServer]:
    """The shared sandbox, reset to the demo tenant after each test (data, faults, clock, counters)."""
    yield running_sandbox
    http = PinnedSession(running_sandbox.ca_bundle)
    http.post(f"{running_sandbox.url}/_sandbox/reset").raise_for_status()


@pytest.fixture
def http(running_sandbox: SandboxServer) -> PinnedSession:
    return PinnedSession(running_sandbox.ca_bundle)


def app_token(server: SandboxServer, app_id: str = DEMO_APP_ID, secret: str = DEMO_APP_SECRET) -> str:
    app = msal.ConfidentialClientApplication(
        app_id,
        client_credential=secret,
        authority=f"{server.url}/{server.state.tenant_id}",
        instance_discovery=False,
        http_client=PinnedSession(server.ca_bundle),
    )
    result = app.acquire_token_for_client(scopes=[GRAPH_SCOPE])
    assert "access_token" in result, result
    return str(result["access_token"])


def delegated_token(server: SandboxServer, user: str, scopes: list[str], app_id: str = DEMO_APP_ID) -> str:
    """A user's token through MSAL's device-code flow, approved through the sandbox's control endpoint."""
    http = PinnedSession(server.ca_bundle)
    app = msal.PublicClientApplication(
        app_id, authority=f"{server.url}/{server.state.tenant_id}", instance_discovery=False, http_client=http
    )
    flow = app.initiate_device_flow(scopes=scopes)
    assert "user_code" in flow, flow
    approved = http.post(
        f"{server.url}/_sandbox/devicecode/approve", json={"user_code": flow["user_code"], "user": user}
    )
    approved.raise_for_status()
    result = app.acquire_token_by_device_flow(flow)
    assert "access_token" in result, result
    return str(result["access_token"])


@pytest.fixture
def token(sandbox: SandboxServer) -> str:
    return app_token(sandbox)


@pytest.fixture
def graph(sandbox: SandboxServer, token: str) -> str:
    """Base URL of the sandbox's Graph v1.0."""
    return f"{sandbox.url}/v1.0"
