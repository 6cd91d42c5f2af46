from __future__ import annotations

import pytest

from assistant.domain.schedules import is_cron


@pytest.mark.parametrize("value", ["0 9 * * MON", "*/15 8-18 * * 1-5", "30 7 1,15 * *"])
def test_five_field_cron_expressions_pass(value: str):
    assert is_cron(value)


@pytest.mark.parametrize("value", ["nonsense", "0 9 * *", "0 9 * * MON *", "0 9 ? * MON", ""])
def test_anything_else_is_refused(value: str):
    assert not is_cron(value)
