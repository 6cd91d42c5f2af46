"""The `coordinator` command as a newcomer meets it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import server_workers


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COORDINATOR_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=120,
    )


def test_help_imports_no_heavy_module():
    code = (
        "import sys, assistant.cli as c\n"
        "try:\n    c.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('flask', 'msal', 'sqlalchemy', 'cheroot', 'docx', 'docxtpl', 'matplotlib', 'assistant.sandbox.app') if m in sys.modules]\n"
        "print(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().endswith("[]"), result.stdout


def test_demo_runs_end_to_end_and_writes_its_files(tmp_path):
    result = run("demo", "--as-of", "2026-03-04", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Apollo stand-up" in result.stdout
    overview = json.loads((tmp_path / "out" / "overview.json").read_text())
    assert {p["project"] for p in overview["projects"]} == {"apollo", "atlas", "meridian"}
    for project in overview["projects"]:
        assert project["meetings"], project["project"]
        assert project["tasks"]["total"] >= 50
        assert project["tasks"]["late"] > 0
    assert result.stdout.count("card posted by graph, report filed in the channel") == 3
    for key in ("apollo", "atlas", "meridian"):
        status = json.loads((tmp_path / "out" / "status" / f"{key}.json").read_text())
        assert status["as_of"] == "2026-03-04" and status["rag"] in {"green", "amber", "red"}
        card = json.loads((tmp_path / "out" / "status" / f"{key}.card.json").read_text())
        assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
        assert (tmp_path / "out" / "status" / f"{key}.docx").read_bytes()[:2] == b"PK"
    meetings = tmp_path / "out" / "meetings"
    assert (meetings / "2026-03-05 Atlas stand-up agenda.docx").read_bytes()[:2] == b"PK"
    assert (meetings / "2026-04-07 Apollo steering committee agenda.docx").exists()
    minutes = (meetings / "2026-03-04 Atlas stand-up minutes.txt").read_text()
    assert "Roll out docking firmware 1.0.16 — Tomasz Nowak" in minutes and "@Zed (NOT RESOLVED" in minutes
    assert "3 Planner tasks created; 1 not created: nobody matches @Zed" in result.stdout
    config = (tmp_path / "out" / "coordinator.toml").read_text()
    assert "[projects.apollo]" in config
    check = run("config", cwd=tmp_path, env={"COORDINATOR_PROJECTS": str(tmp_path / "out" / "coordinator.toml")})
    assert check.returncode == 0 and "3 project(s)" in check.stdout


def test_demo_output_does_not_depend_on_the_machines_time_zone(tmp_path):
    outputs = []
    for zone in ("Pacific/Kiritimati", "America/Adak"):
        out = tmp_path / zone.replace("/", "-")
        result = run("demo", "--as-of", "2026-03-04T07:00Z", "--out", str(out), cwd=tmp_path, env={"TZ": zone})
        assert result.returncode == 0, result.stderr
        outputs.append((out / "overview.txt").read_text())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (("demo", "--as-of", "someday"), {}, "--as-of 'someday'"),
        (("sandbox", "--fault-rate", "2"), {}, "--fault-rate '2'"),
        (
            ("config",),
            {"COORDINATOR_GRAPH_URL": "http://graph.example"},
            "COORDINATOR_GRAPH_URL: must be an https:// URL",
        ),
        (("config",), {"COORDINATOR_LOG_LEVEL": "LOUD"}, "COORDINATOR_LOG_LEVEL"),
        (("frobnicate",), {}, "invalid choice"),
    ],
)
def test_bad_input_is_one_line_with_exit_code_2(tmp_path, args, env, message):
    result = run(*args, cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_bad_projects_file_names_file_key_and_problem(tmp_path):
    (tmp_path / "coordinator.toml").write_text(
        '[projects.apollo]\nname = "X"\nplan_id = "p"\nteam_id = "t"\nchannel_id = "c"\n'
        'calendar = "m@contoso.com"\nmeetings = ["Apollo"]\ntimezone = "Europe/Berln"\n'
    )
    result = run("config", cwd=tmp_path)
    assert result.returncode == 2
    assert "coordinator.toml: projects.apollo.timezone: unknown time zone 'Europe/Berln'" in result.stderr


def test_secrets_never_reach_the_output(tmp_path):
    (tmp_path / "coordinator.toml").write_text(
        '[projects.a]\nname = "A"\nplan_id = "p"\nteam_id = "t"\nchannel_id = "c"\ncalendar = "m"\nmeetings = ["A"]\n'
    )
    env = {
        "COORDINATOR_CLIENT_SECRET": "hunter2-very-secret",
        "COORDINATOR_DATABASE_URL": "postgresql+psycopg://u:pw-secret@h/db",
    }
    result = run("-v", "config", cwd=tmp_path, env=env)
    assert result.returncode == 0
    assert "hunter2" not in result.stdout + result.stderr and "pw-secret" not in result.stdout + result.stderr
    assert "COORDINATOR_CLIENT_SECRET=********" in result.stdout


def test_db_upgrade_creates_the_sqlite_database_in_the_data_dir(tmp_path):
    result = run("db", "upgrade", cwd=tmp_path, env={"COORDINATOR_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "coordinator.db").exists()
    assert "is at revision" in result.stdout


def test_the_sandbox_prints_a_projects_file_and_the_ids_to_talk_to_the_bot(tmp_path, monkeypatch, capsys):
    """What a newcomer needs for `coordinator serve` and `coordinator sandbox say` (docs/teams-bot.md)."""
    from assistant.cli import main
    from assistant.projects import load_projects
    from assistant.sandbox.server import SandboxServer

    monkeypatch.setattr(SandboxServer, "serve_forever", lambda self: None)  # print, then return instead of serving
    monkeypatch.setenv("COORDINATOR_DATA_DIR", str(tmp_path / "data"))
    before = set(server_workers())
    assert main(["sandbox", "--port", "0", "--as-of", "2026-03-04"]) == 0
    # The bound server was stopped on the way out: its worker threads (not daemons) would keep the process alive.
    assert set(server_workers()) == before
    out = capsys.readouterr().out
    [path] = [line.split("=", 1)[1].split()[0] for line in out.splitlines() if "COORDINATOR_PROJECTS=" in line]
    atlas = load_projects(Path(path))["atlas"]
    assert f"channel Atlas – Laptop refresh: {atlas.channel_id}" in out
    assert f"team Contoso IT Projects: {atlas.team_id}" in out
