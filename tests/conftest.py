"""Shared fixtures: the demo sandbox tenant over real HTTPS on an ephemeral loopback port.

The sandbox clock is frozen at DEMO_NOW and the demo tenant is generated for that moment, so no test
depends on today's date or the machine's time zone.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import msal
import pytest
from cheroot.workers.threadpool import WorkerThread

from assistant.graph.client import Exchange, GraphClient
from assistant.graph.http import PinnedSession
from assistant.graph.people import PeopleDirectory
from assistant.graph.retry import RetryPolicy
from assistant.projects import render_projects_toml
from assistant.sandbox.clock import SandboxClock
from assistant.sandbox.demo_tenant import DEMO_APP_ID, DEMO_APP_SECRET, build_demo_tenant, demo_projects
from assistant.sandbox.server import SandboxServer

# A Wednesday; the US switches to daylight time four days later (2026-03-08), Europe on 2026-03-29.
DEMO_NOW = dt.datetime(2026, 3, 4, 7, 0, tzinfo=dt.UTC)
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
SHARED = Path(__file__).resolve().parents[2] / "shared"
REFDATA = SHARED / "refdata"
JS = Path(__file__).resolve().parent / "js"  # the pinned npm packages of Microsoft's own clients


def unavailable(reason: str) -> None:
    """Skip on a developer's machine without the tool; in CI (.ci/run installs them) that is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: .ci/run should have installed it")
    pytest.skip(reason)


def server_workers() -> list[WorkerThread]:
    """The live worker threads of every cheroot server in this process (the sandbox's, the app's)."""
    return [thread for thread in threading.enumerate() if isinstance(thread, WorkerThread) and thread.is_alive()]


@pytest.hookimpl(trylast=True)  # after pytest's own, which tears down the session's fixtures when -x stops early
def pytest_sessionfinish(session: pytest.Session) -> None:
    """A server bound and never stopped leaves its worker threads, which are not daemons, waiting for requests,
    and the interpreter waits for them after the summary: CI once timed out that way, all tests passed. Name the
    servers, fail the run, and stop them so the process still ends."""
    servers = {id(thread.server): thread.server for thread in server_workers()}
    if not servers:
        return
    names = ", ".join(f"{server.server_name or 'server'} on port {server.bind_addr[1]}" for server in servers.values())
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write("\n")  # after the progress line
        reporter.write_line(f"FAILED: servers bound by the tests were never stopped: {names}", red=True)
    for server in servers.values():
        server.stop()
        server.requests.stop(timeout=1)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


class SettableClock:
    """An injected clock at DEMO_NOW (or `now`) until a test moves it: `clock.now = …` or `clock.advance(s)`."""

    def __init__(self, now: dt.datetime | None = None) -> None:
        self.now = now or DEMO_NOW

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture(scope="session")
def node() -> str:
    """node, with tests/js's pinned packages installed (the adaptivecards renderer, the Agents Playground, the
    Teams manifest schemas: `npm ci` installs them together)."""
    found = shutil.which("node")
    if found is None:
        unavailable("node is not installed")
    if not (JS / "node_modules" / ".package-lock.json").is_file():
        unavailable("tests/js/node_modules is missing: run `npm ci` in tests/js")
    return str(found)


@pytest.fixture(scope="session")
def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        unavailable("chromium is not installed (apt-get install chromium)")
    return str(found)


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


def app_token(
    server: SandboxServer, app_id: str = DEMO_APP_ID, secret: str = DEMO_APP_SECRET, scope: str = GRAPH_SCOPE
) -> str:
    """Client credentials at the sandbox tenant's authority (Graph's scope unless another is named)."""
    app = msal.ConfidentialClientApplication(
        app_id,
        client_credential=secret,
        authority=f"{server.url}/{server.state.tenant_id}",
        instance_discovery=False,
        http_client=PinnedSession(server.ca_bundle),
    )
    result = app.acquire_token_for_client(scopes=[scope])
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


# --- The Graph client against the shared sandbox, with a fake clock so retries never wait for real. ---


class FakeTime:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def exchanges() -> list[Exchange]:
    """Every round trip of the clients `make_client` builds, in order."""
    return []


@pytest.fixture
def make_client(sandbox: SandboxServer, fake_time: FakeTime, exchanges: list[Exchange]) -> Callable[..., GraphClient]:
    """GraphClients for the demo app (retry policy fields as keyword arguments)."""
    token = app_token(sandbox)

    def make(**policy: Any) -> GraphClient:
        chosen = RetryPolicy(monotonic=fake_time.monotonic, sleep=fake_time.sleep, **policy)
        client = GraphClient(f"{sandbox.url}/v1.0", lambda: token, PinnedSession(sandbox.ca_bundle), policy=chosen)
        client.hooks.append(exchanges.append)
        return client

    return make


@pytest.fixture
def client(make_client: Callable[..., GraphClient]) -> GraphClient:
    return make_client()


@pytest.fixture
def people(client: GraphClient) -> PeopleDirectory:
    return PeopleDirectory(client)


@pytest.fixture
def faults(sandbox: SandboxServer, http: PinnedSession) -> Callable[..., None]:
    """Configure the sandbox's fault injection (the `sandbox` fixture resets it after the test)."""

    def configure(**settings: Any) -> None:
        http.put(f"{sandbox.url}/_sandbox/faults", json=settings).raise_for_status()

    return configure


@pytest.fixture
def demo_report(client: GraphClient) -> Callable[..., Any]:
    """`demo_report("atlas")`: the status report of a demo project as of DEMO_NOW's day, read from the sandbox."""
    from assistant.projects import parse_projects
    from assistant.services.connect import Connection
    from assistant.services.status import status_report

    def make(key: str, as_of: dt.date | None = None, period_days: int | None = None) -> Any:
        tenant = build_demo_tenant(DEMO_NOW)
        project = parse_projects({"projects": demo_projects(tenant)}, source="demo tenant")[key]
        day = as_of or DEMO_NOW.astimezone(project.zone).date()
        connection = Connection(client, PeopleDirectory(client), PinnedSession())
        return status_report(connection, project, day, period_days)

    return make


@pytest.fixture
def configured(sandbox: SandboxServer, demo_tenant: dict, tmp_path: Path) -> dict[str, str]:
    """COORDINATOR_* variables pointing at the shared sandbox, with the demo projects file in tmp_path."""
    projects = tmp_path / "coordinator.toml"
    projects.write_text(render_projects_toml(demo_projects(demo_tenant)), encoding="utf-8")
    return {**sandbox.environment(DEMO_APP_ID, DEMO_APP_SECRET), "COORDINATOR_PROJECTS": str(projects)}


def late_titles(demo_tenant: dict, plan_title_start: str, as_of: dt.date, zone: ZoneInfo) -> set[str]:
    """Straight from the tenant data: open tasks whose due instant falls before `as_of` in `zone`."""
    plan = next(p for p in demo_tenant["plans"] if p["title"].startswith(plan_title_start))
    late = set()
    for task in plan["tasks"]:
        due = task.get("dueDateTime")
        if due and task.get("percentComplete", 0) < 100:
            day = dt.datetime.fromisoformat(due.replace("Z", "+00:00")).astimezone(zone).date()
            if day < as_of:
                late.add(task["title"])
    return late
