"""The Teams app package (`coordinator teams-app build`): manifest.json, color.png and outline.png in a zip.

The manifest comes from the user-owned template `deploy/teams-app/manifest.template.json` (schema v1.19,
validated offline in tests against Microsoft's bundled schema). Filled in here: the app and bot id (the bot's
Microsoft App ID: one registration, one id), the version, the bot's command menu — built by the caller from
the bot's router, so the menu lists exactly the commands the bot answers — and `validDomains`.

The template and icons ship in the wheel as package data, `assistant/teams-app/`: in a source checkout that is a
symlink to `deploy/teams-app`, where they are edited, so `importlib.resources` finds the same files in a checkout
(editable install) and in an installed package (like the Word templates, render/templates.py).

Teams limits (schema v1.19): at most 10 commands per list, titles up to 32 characters, descriptions up to 128.
The zip is byte-for-byte reproducible (fixed timestamps, sorted order).
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from assistant.domain.ids import is_guid
from assistant.errors import ConfigError

log = logging.getLogger(__name__)
ICONS = {"color.png": 192, "outline.png": 32}  # file name → width and height in pixels
MAX_COMMANDS = 10
# Teams shows ten: the ones a team types most come first; the rest stay in `help` (note, decision, done,
# projects, schedule are typed in context, where the help card lists them).
MENU_ORDER = ("help", "status", "late", "due", "risks", "workload", "agenda", "minutes", "actions", "action")
MAX_TITLE = 32
MAX_DESCRIPTION = 128
SCOPES = ("team", "personal", "groupChat")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class MenuCommand:
    """One entry of the bot's command menu in Teams."""

    title: str
    description: str


def default_source() -> Path:
    """The Teams app files that come with Coordinator: `deploy/teams-app` in a source checkout (through the
    `assistant/teams-app` symlink), the package's own `teams-app/` in an installed wheel (read-only)."""
    return Path(str(files("assistant") / "teams-app"))


def manifest(
    template: dict[str, Any],
    *,
    app_id: str,
    version: str,
    commands: Sequence[MenuCommand],
    domains: Sequence[str] = (),
) -> dict[str, Any]:
    """The template with its `{{…}}` placeholders filled in."""
    if not is_guid(app_id):
        raise ConfigError("environment", "COORDINATOR_BOT_APP_ID", "must be the bot's Microsoft App ID (a GUID)")
    chosen = in_menu_order(commands)
    if len(chosen) > MAX_COMMANDS:
        left_out = ", ".join(c.title for c in chosen[MAX_COMMANDS:])
        log.info("Teams shows at most %d commands in the bot's menu; in help only: %s", MAX_COMMANDS, left_out)
    menu = [
        {"title": c.title[:MAX_TITLE], "description": _shorten(c.description, MAX_DESCRIPTION)}
        for c in chosen[:MAX_COMMANDS]
    ]
    values: dict[str, Any] = {
        "{{BOT_APP_ID}}": app_id,
        "{{VERSION}}": version,
        "{{COMMAND_LISTS}}": [{"scopes": list(SCOPES), "commands": menu}],
        "{{VALID_DOMAINS}}": list(domains),
    }

    def fill(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: fill(value) for key, value in node.items()}
        if isinstance(node, list):
            return [fill(value) for value in node]
        if isinstance(node, str) and node in values:
            return values[node]
        return node

    filled: dict[str, Any] = fill(template)
    left = sorted(set(re.findall(r"\{\{[A-Z_]+\}\}", json.dumps(filled))))
    if left:
        raise ConfigError("manifest.template.json", "", f"unknown placeholder(s): {', '.join(left)}")
    return filled


def build_package(
    source: Path,
    *,
    app_id: str,
    version: str,
    commands: Sequence[MenuCommand],
    domains: Sequence[str] = (),
) -> bytes:
    """The app package to upload in Teams (Apps → Manage your apps → Upload an app) or the admin center."""
    template_file = source / "manifest.template.json"
    try:
        template = json.loads(template_file.read_text(encoding="utf-8"))
        icons = {name: (source / name).read_bytes() for name in ICONS}
    except OSError as exc:
        raise ConfigError(str(source), "", f"cannot read the Teams app files: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ConfigError(str(template_file), "", f"not JSON: {exc}") from None
    filled = manifest(template, app_id=app_id, version=version, commands=commands, domains=domains)
    files = {"manifest.json": (json.dumps(filled, indent=2, ensure_ascii=False) + "\n").encode(), **icons}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, files[name])
    return out.getvalue()


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def in_menu_order(commands: Sequence[MenuCommand]) -> list[MenuCommand]:
    """MENU_ORDER's commands first, in that order, then the others as the router lists them."""
    rank = {name: n for n, name in enumerate(MENU_ORDER)}
    return sorted(commands, key=lambda c: rank.get(c.title, len(rank)))
