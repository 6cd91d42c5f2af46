"""docs/benchmarks.md, where each bench keeps its own `## ` section: replaced on a re-run, appended the first time."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def write_section(heading: str, lines: Sequence[str]) -> None:
    """Put `lines` (starting with the `heading` line) in place of that section, leaving the others alone."""
    text = DOCS.read_text(encoding="utf-8")
    block = "\n".join(lines).rstrip("\n") + "\n"
    start = text.find(f"\n{heading}\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + block
    else:
        end = text.find("\n## ", start + 1)
        text = text[: start + 1] + block + (text[end:] if end >= 0 else "")
    DOCS.write_text(text, encoding="utf-8")
