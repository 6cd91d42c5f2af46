"""The wheel carries what an installed Coordinator reads at run time: the Word templates and the Teams app's
manifest template and icons (package data through the assistant/templates and assistant/teams-app symlinks to
the top-level templates/ and deploy/teams-app/, pyproject.toml), and `coordinator teams-app build` works from a
non-editable install, outside any source checkout.

The wheel is built from a copy of the sources (a build in the checkout would leave build/ behind, and a stale
build/lib could hide a missing file), with pip's build isolation (setuptools from the package index), and
installed with --no-deps into a throwaway venv that borrows this environment's dependencies through a .pth file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from assistant.cli import main
from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "assistant", "templates", "deploy")  # what the build reads
APP_ID = "6b1f4a2e-3c5d-4e7f-9a0b-1c2d3e4f5a6b"
TEAMS_APP = {"assistant/teams-app/manifest.template.json", "assistant/teams-app/color.png"}
TEAMS_APP |= {"assistant/teams-app/outline.png"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0 and "No matching distribution found for setuptools" in done.stderr:
        unavailable(f"pip cannot get setuptools to build the wheel (offline?):\n{done.stderr[-2000:]}")
    assert done.returncode == 0, done.stderr
    [built] = out.glob("coordinator-*.whl")
    return built


def test_the_wheel_ships_the_teams_app_files_and_the_templates(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())

    assert {n for n in names if n.startswith("assistant/teams-app/")} == TEAMS_APP  # no make_icons.py
    shipped = {p.name for p in (ROOT / "templates").glob("*.docx")}
    assert {n.removeprefix("assistant/templates/") for n in names if n.endswith(".docx")} == shipped
    assert not any("make_icons" in n or "make_templates" in n for n in names)
    for name in TEAMS_APP:
        source = ROOT / "deploy" / "teams-app" / name.removeprefix("assistant/teams-app/")
        assert zipfile.ZipFile(wheel).read(name) == source.read_bytes()


def test_an_installed_wheel_builds_the_teams_app_outside_the_checkout(
    wheel: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.strip()
    # This environment's packages (Flask, MSAL…) come after the venv's own site-packages; a plain path line in a
    # .pth file does not run the .pth files there, so the checkout's editable-install hook stays out.
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "borrowed-dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(borrowed)))
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index"]
    subprocess.run([*install, str(wheel)], check=True, capture_output=True, timeout=120)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(elsewhere), "COORDINATOR_BOT_APP_ID": APP_ID}
    where = subprocess.run(
        [python, "-c", "import assistant.services.teams_app as t; print(t.default_source())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    assert Path(where) == Path(site) / "assistant" / "teams-app"  # the installed copy, not the checkout's

    coordinator = venv / ("Scripts/coordinator.exe" if os.name == "nt" else "bin/coordinator")
    command = [coordinator, "teams-app", "build", "--out", "app.zip", "--domain", "coordinator.contoso.com"]
    done = subprocess.run(command, cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60, check=False)

    assert done.returncode == 0, done.stderr
    assert "wrote app.zip" in done.stdout
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COORDINATOR_BOT_APP_ID", APP_ID)
    assert main(["teams-app", "build", "--out", "checkout.zip", "--domain", "coordinator.contoso.com"]) == 0
    assert (elsewhere / "app.zip").read_bytes() == (tmp_path / "checkout.zip").read_bytes()  # reproducible, same
