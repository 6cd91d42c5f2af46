"""Schedules as people write them: five-field cron expressions (`0 9 * * MON`), checked for shape only here; the
background jobs that run them interpret the fields."""

from __future__ import annotations

import re

_CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z]+$")
CRON_EXAMPLE = "0 9 * * MON"


def is_cron(value: str) -> bool:
    """Five fields of digits, `*`, `/`, `,`, `-` and names (MON, JAN)."""
    fields = value.split()
    return len(fields) == 5 and all(_CRON_FIELD.match(f) for f in fields)
