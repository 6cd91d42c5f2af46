"""Entra and Teams identifiers."""

from __future__ import annotations

import re

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def is_guid(text: str) -> bool:
    """A GUID as Entra writes object, tenant and app ids (`8-4-4-4-12` hex digits), nothing around it."""
    return _GUID.fullmatch(text) is not None
