"""Settings that point Coordinator's Graph layer at the sandbox, with nothing from the machine's environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.sandbox.demo_tenant import DEMO_APP_ID, DEMO_APP_SECRET
from assistant.sandbox.server import SandboxServer
from assistant.settings import Settings


def settings_from(env: dict[str, str], **changes: Any) -> Settings:
    """Settings from `COORDINATOR_*` names and `changes`, every other field at its default.

    Each field is passed explicitly, so a developer's own COORDINATOR_* variables or `.env` cannot leak in.
    """
    values: dict[str, Any] = {name: field.default for name, field in Settings.model_fields.items()}
    values.update({k.removeprefix("COORDINATOR_").lower(): v for k, v in env.items()})
    values.update(changes)
    return Settings(**values)


def sandbox_settings(server: SandboxServer, data_dir: Path, **changes: Any) -> Settings:
    """The settings `coordinator sandbox` prints, with `changes` applied (None unsets a setting)."""
    return settings_from(server.environment(DEMO_APP_ID, DEMO_APP_SECRET), data_dir=data_dir, **changes)
