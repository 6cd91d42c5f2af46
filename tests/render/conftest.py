"""Fixtures of the card tests: the official Adaptive Cards 1.5 schema, and node and Chromium for the official
renderer (skipped on a developer's machine without them; a failure in CI, where .ci/run installs them)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.conftest import REFDATA

CARDS = REFDATA / "adaptivecards"


@pytest.fixture(scope="session")
def schema() -> jsonschema.Draft6Validator:
    return jsonschema.Draft6Validator(json.loads((CARDS / "adaptive-card-1.5.0.schema.json").read_text()))
