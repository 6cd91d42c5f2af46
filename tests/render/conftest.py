"""Fixtures of the card tests: the official Adaptive Cards 1.5 schema, and node and Chromium for the official
renderer (skipped on a developer's machine without them; a failure in CI, where .ci/run installs them)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import REFDATA

CARDS = REFDATA / "adaptivecards"
JS = Path(__file__).resolve().parents[1] / "js"


@pytest.fixture(scope="session")
def schema() -> jsonschema.Draft6Validator:
    return jsonschema.Draft6Validator(json.loads((CARDS / "adaptive-card-1.5.0.schema.json").read_text()))


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine without the tool; in CI (.ci/run installs them) that is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: .ci/run should have installed it")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        _unavailable("node is not installed")
    if not (JS / "node_modules" / "adaptivecards").is_dir():
        _unavailable("tests/js/node_modules is missing: run `npm ci` in tests/js")
    return str(found)


@pytest.fixture(scope="session")
def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        _unavailable("chromium is not installed (apt-get install chromium)")
    return str(found)
