"""Fixtures of the end-to-end tests with Microsoft's own clients: Coordinator's bot on an ephemeral loopback port,
and the Microsoft 365 Agents Playground (a Teams emulator) started offline on loopback, as
../shared/REAL-CLIENTS.md describes. Skipped on a developer's machine without node, the npm packages in
tests/js or Chromium; a failure in CI (CI=1), where .ci/run installs them.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from assistant.app import drain, make_server
from assistant.sandbox.server import SandboxServer
from assistant.settings import load_settings
from tests.conftest import JS, SettableClock

PLAYGROUND = JS / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
START_SECONDS = 15
CHANNEL = "Atlas"  # the Playground team's channel whose id is the atlas project's channel_id


@pytest.fixture
def bot_clock() -> SettableClock:
    """The bot's clock: DEMO_NOW until a test moves it (`bot_clock.now = …`), e.g. into a meeting to take notes."""
    return SettableClock()


@pytest.fixture
def bot_url(
    configured: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, bot_clock: SettableClock
) -> Iterator[str]:
    """`coordinator serve`'s app, in-process under cheroot on 127.0.0.1:<ephemeral>, with the loopback-only
    unauthenticated switch (the Playground sends no token offline) and the clock pinned to DEMO_NOW (bot_clock)."""
    monkeypatch.chdir(tmp_path)
    for name, value in configured.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("COORDINATOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COORDINATOR_DANGEROUSLY_ALLOW_UNAUTHENTICATED_BOT", "1")
    server = make_server(load_settings(), "127.0.0.1", 0, clock=bot_clock)
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.bind_addr[1]}"
    finally:
        server.stop()
        thread.join(timeout=5)
        drain(server.wsgi_app)


@dataclass(frozen=True)
class Playground:
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def playground_config(demo_tenant: dict, sandbox: SandboxServer) -> dict:
    """The Playground's .m365agentsplayground.yml (JSON is YAML): its team is the demo team, one channel is
    the atlas project's, so `status` there needs no `in atlas`."""
    from assistant.sandbox.demo_tenant import demo_projects

    atlas = demo_projects(demo_tenant)["atlas"]
    user = {"givenName": "Alex", "surname": "Wilber", "email": "alexw@example.com"}
    others = [  # the Playground wants at least five
        {
            "id": f"user-id-{n}",
            "name": f"Member {n}",
            "userPrincipleName": f"member{n}@example.com",
            "aadObjectId": f"00000000-0000-0000-0000-00000000002{n}",
            "givenName": "Member",
            "surname": str(n),
            "email": f"member{n}@example.com",
        }
        for n in range(1, 6)
    ]
    return {
        "version": "0.1.1",
        "tenantId": "00000000-0000-0000-0000-0000000000001",
        "bot": {"id": "00000000-0000-0000-0000-00000000000011", "name": "Coordinator"},
        "currentUser": {
            "id": "user-id-0",
            "name": "Alex Wilber",
            "userPrincipleName": "alexw@example.com",
            "aadObjectId": "00000000-0000-0000-0000-0000000000020",
            **user,
        },
        "users": others,
        "personalChat": {"id": "personal-chat-id"},
        "groupChat": {"id": "group-chat-id", "name": "Group Chat"},
        "team": {
            "id": "19:general-channel@thread.tacv2",
            "name": "IT Projects",
            "aadGroupId": atlas["team_id"],
            "channels": [{"id": atlas["channel_id"], "name": CHANNEL}],
        },
    }


@pytest.fixture
def playground(
    node: str, bot_url: str, demo_tenant: dict, sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Playground]:
    """The Agents Playground 0.2.28 offline: loopback only (preloaded localhost-only.cjs), no telemetry, no
    browser opened, on a port it picks itself (`-p 0`, read from its "Listening on N" line)."""
    home = tmp_path_factory.mktemp("playground")
    (home / ".m365agentsplayground.yml").write_text(json.dumps(playground_config(demo_tenant, sandbox)))
    env = {
        **os.environ,
        "TEAMSAPPTESTER_BROWSER": "none",
        "APPLICATION_INSIGHTS_NO_STATSBEAT": "1",
        "NODE_PATH": str(JS / "node_modules"),
    }
    command = [node, "-r", str(JS / "localhost-only.cjs"), str(PLAYGROUND)]
    command += ["-e", f"{bot_url}/api/messages", "-c", "msteams", "-p", "0", "--disable-telemetry"]
    process = subprocess.Popen(command, cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        port = _listening_port(lines, output)
        _wait_for_ping(port, output, home / "devTools" / "m365agentsplayground.log")
        yield Playground(port, home / "devTools" / "m365agentsplayground.log")
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _listening_port(lines: queue.Queue[str], output: list[str]) -> int:
    deadline = time.monotonic() + START_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line.startswith("Listening on "):
            return int(line.split()[-1])
    pytest.fail(f"the Agents Playground did not start within {START_SECONDS} s:\n{''.join(output)}")


def _wait_for_ping(port: int, output: list[str], log: Path) -> None:
    """Poll /_debug/ping (the Playground's readiness answer) until it says pong, with a deadline."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/_debug/ping", timeout=1).text.strip() == "pong":
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.05)
    details = log.read_text(errors="replace")[-4000:] if log.is_file() else "".join(output)
    pytest.fail(f"the Agents Playground on port {port} never answered /_debug/ping:\n{details}")
