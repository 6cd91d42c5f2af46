"""`coordinator teams-app build`: the zip Teams accepts — manifest valid against Microsoft's schema (checked
offline with @microsoft/app-manifest through tests/js/validate_manifest.cjs), icons of the sizes Teams wants,
the command menu taken from the bot's router."""

from __future__ import annotations

import importlib.util
import json
import struct
import subprocess
import zipfile
import zlib

import pytest

from assistant.cli import bot_menu, main
from assistant.services.teams_app import (
    MAX_COMMANDS,
    MenuCommand,
    build_package,
    default_source,
    in_menu_order,
    manifest,
)
from tests.conftest import JS

APP_ID = "6b1f4a2e-3c5d-4e7f-9a0b-1c2d3e4f5a6b"


def schema_errors(node: str, manifest_json: bytes) -> list[str]:
    done = subprocess.run(
        [node, str(JS / "validate_manifest.cjs")], input=manifest_json, capture_output=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    return list(json.loads(done.stdout))


def rgba_pixels(png: bytes) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    """Width, height and pixels of an 8-bit RGBA PNG without filters (what deploy/teams-app/make_icons.py writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, color_type = struct.unpack(">IIBB", png[16:26])
    assert (depth, color_type) == (8, 6)
    data, at = b"", 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        if png[at + 4 : at + 8] == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(data)
    stride = 1 + 4 * width
    rows = [raw[y * stride : (y + 1) * stride] for y in range(height)]
    assert all(row[0] == 0 for row in rows)
    pixels = [tuple(row[1 + 4 * x : 5 + 4 * x]) for row in rows for x in range(width)]
    return width, height, pixels  # type: ignore[return-value]


@pytest.fixture
def package(monkeypatch, tmp_path) -> zipfile.ZipFile:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COORDINATOR_BOT_APP_ID", APP_ID)
    out = tmp_path / "app.zip"
    assert main(["teams-app", "build", "--out", str(out), "--domain", "coordinator.contoso.com"]) == 0
    return zipfile.ZipFile(out)


def test_the_manifest_is_valid_against_the_official_schema(node, package):
    manifest_json = package.read("manifest.json")

    assert schema_errors(node, manifest_json) == []
    built = json.loads(manifest_json)
    assert built["id"] == built["bots"][0]["botId"] == APP_ID
    assert sorted(built["bots"][0]["scopes"]) == ["groupChat", "personal", "team"]
    assert built["validDomains"] == ["coordinator.contoso.com"]


def test_the_schema_check_does_catch_mistakes(node):
    template = json.loads((default_source() / "manifest.template.json").read_text())
    wrong = manifest(template, app_id=APP_ID, version="1.0.0", commands=[MenuCommand("help", "this list")])
    del wrong["developer"]["privacyUrl"]
    wrong["bots"][0]["scopes"] = ["everywhere"]

    errors = schema_errors(node, json.dumps(wrong).encode())

    assert any("privacyUrl" in e for e in errors) and any("scopes" in e for e in errors)


def test_the_zip_holds_the_manifest_and_icons_at_its_root(package):
    assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
    icons = json.loads(package.read("manifest.json"))["icons"]
    assert icons == {"color": "color.png", "outline": "outline.png"}


def test_icons_have_the_sizes_and_colours_teams_wants(package):
    width, height, _ = rgba_pixels(package.read("color.png"))
    assert (width, height) == (192, 192)
    width, height, pixels = rgba_pixels(package.read("outline.png"))
    assert (width, height) == (32, 32)
    assert {p[:3] for p in pixels} == {(255, 255, 255)}  # white only…
    assert min(p[3] for p in pixels) == 0 and max(p[3] for p in pixels) == 255  # …on transparency


def test_the_command_menu_is_the_bots_own_command_list(package):
    menu = json.loads(package.read("manifest.json"))["bots"][0]["commandLists"]
    expected = in_menu_order(bot_menu())[:MAX_COMMANDS]

    assert [c["title"] for c in menu[0]["commands"]] == [c.title for c in expected]
    assert menu[0]["commands"][0] == {"title": "help", "description": "this list"}
    assert all(len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in menu[0]["commands"])
    titles = [c["title"] for c in menu[0]["commands"]]
    assert {"status", "agenda", "minutes", "actions"} <= set(titles) and "schedule" not in titles


def test_the_package_is_reproducible(tmp_path):
    def build() -> bytes:
        return build_package(default_source(), app_id=APP_ID, version="1.0.0", commands=bot_menu())

    assert build() == build()


def test_without_the_bot_app_id_it_says_so_in_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COORDINATOR_BOT_APP_ID", raising=False)

    assert main(["teams-app", "build", "--out", str(tmp_path / "app.zip")]) == 2

    err = capsys.readouterr().err
    assert err == "coordinator: environment: COORDINATOR_BOT_APP_ID: not set: the Teams app is the bot's app\n"
    assert not (tmp_path / "app.zip").exists()


def test_an_app_id_that_is_not_a_guid_is_refused(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COORDINATOR_BOT_APP_ID", "my-bot")

    assert main(["teams-app", "build", "--out", str(tmp_path / "app.zip")]) == 2
    assert "COORDINATOR_BOT_APP_ID: must be the bot's Microsoft App ID (a GUID)" in capsys.readouterr().err


def test_the_committed_icons_are_what_make_icons_draws():
    source = default_source()
    spec = importlib.util.spec_from_file_location("make_icons", source / "make_icons.py")
    assert spec is not None and spec.loader is not None
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)

    assert rgba_pixels(make_icons.outline_icon()) == rgba_pixels((source / "outline.png").read_bytes())
    assert rgba_pixels(make_icons.color_icon()) == rgba_pixels((source / "color.png").read_bytes())
