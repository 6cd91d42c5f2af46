"""Fixtures of the end-to-end scenarios: the Adaptive Card 1.5 schema of the card tests."""

from tests.render.conftest import schema as card_schema  # noqa: F401 - a fixture, re-exported under this name
