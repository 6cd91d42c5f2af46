"""Where Word templates are found: a directory the user chose, else the ones shipped with Coordinator.

The shipped templates live in the top-level `templates/` folder of a source checkout, where people edit
them; `assistant/templates` is a symlink to it, so the same files are package data in the wheel and
`importlib.resources` finds them both in a checkout (editable install) and in an installed wheel.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

STATUS_REPORT = "status_report.docx"


def shipped_templates() -> Path:
    """The folder of templates that come with Coordinator (read-only in an installed wheel)."""
    return Path(str(files("assistant") / "templates"))


def template_path(name: str, directory: Path | None = None) -> Path:
    """`name` in `directory` when one is configured (no silent fallback: its absence is an error), else shipped."""
    return (directory if directory is not None else shipped_templates()) / name
