"""`coordinator login` as an operator runs it: a new key, the device-code sign-in, and one-line refusals."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from assistant.graph.http import PinnedSession
from assistant.sandbox.demo_tenant import DEMO_APP_ID, DEMO_APP_SECRET
from assistant.sandbox.server import SandboxServer
from assistant.services.login import delegated_tokens
from assistant.storage.db import Database
from tests.conftest import DEMO_NOW
from tests.graph.conftest import settings_from

SERVICE_ACCOUNT = "megan.bowen@contoso.com"


def _environment(extra: dict[str, str]) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COORDINATOR_")}
    environment.update({"PYTHONUNBUFFERED": "1", **extra})
    return environment


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_environment(env or {}),
        timeout=120,
    )


def _login_env(sandbox: SandboxServer, tmp_path: Path, key: str) -> dict[str, str]:
    env = sandbox.environment(DEMO_APP_ID, DEMO_APP_SECRET)
    del env["COORDINATOR_CLIENT_SECRET"]  # device code is a public client flow: no secret involved
    return {**env, "COORDINATOR_TOKEN_KEY": key, "COORDINATOR_DATA_DIR": str(tmp_path / "data")}


def test_new_key_prints_a_fernet_key_even_when_the_configured_one_is_broken(tmp_path):
    result = run("login", "--new-key", cwd=tmp_path, env={"COORDINATOR_TOKEN_KEY": "not-a-key"})
    assert result.returncode == 0, result.stderr
    Fernet(result.stdout.strip())  # raises if it is not a key
    assert "COORDINATOR_TOKEN_KEY" in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "COORDINATOR_TOKEN_KEY: not set"),
        ({"COORDINATOR_TOKEN_KEY": "hunter2-is-not-a-key"}, "COORDINATOR_TOKEN_KEY: must be a Fernet key"),
    ],
    ids=["missing key", "malformed key"],
)
def test_a_missing_or_malformed_key_is_one_line_with_exit_code_2(tmp_path, env, expected):
    base = {"COORDINATOR_TENANT_ID": "contoso.com", "COORDINATOR_CLIENT_ID": DEMO_APP_ID}
    result = run("login", cwd=tmp_path, env={**base, **env})
    assert result.returncode == 2
    assert expected in result.stderr and "coordinator login --new-key" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "hunter2" not in result.stderr + result.stdout
    assert not (tmp_path / ".coordinator").exists()  # refused before touching the database


def test_login_signs_in_and_a_later_process_renews_without_signing_in(sandbox, http, tmp_path):
    key = Fernet.generate_key().decode()
    env = _login_env(sandbox, tmp_path, key)
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "login"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=_environment(env),
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    code = re.search(r"enter the code (\S+)", first)
    assert code, first
    approved = http.post(
        f"{sandbox.url}/_sandbox/devicecode/approve", json={"user_code": code.group(1), "user": SERVICE_ACCOUNT}
    )
    approved.raise_for_status()
    rest, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors
    db_file = (tmp_path / "data" / "coordinator.db").resolve()
    assert f"Signed in as {SERVICE_ACCOUNT}; token cache saved (encrypted) in sqlite:///{db_file}" in rest
    assert key not in first + rest + errors

    settings = settings_from(env)
    assert settings.token_key == SecretStr(key)
    database = Database.from_url(settings.database)
    tokens = delegated_tokens(settings, PinnedSession(settings.ca_bundle), database, lambda: DEMO_NOW)
    assert tokens.token(force_refresh=True)
    database.dispose()


def test_an_unknown_tenant_is_one_line_naming_the_setting(sandbox, tmp_path):
    env = _login_env(sandbox, tmp_path, Fernet.generate_key().decode())
    env["COORDINATOR_TENANT_ID"] = "nosuchtenant.onmicrosoft.com"
    result = run("login", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "coordinator: sign-in refused (AADSTS90002): the tenant does not exist: check COORDINATOR_TENANT_ID"
    ]
