"""`coordinator tasks` and `coordinator meetings` against the sandbox, configured only through COORDINATOR_*."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import late_titles
from tests.test_cli import run


def test_late_tasks_are_exactly_the_open_ones_past_their_local_due_day(configured, demo_tenant, tmp_path):
    result = run("tasks", "atlas", "--late", "--as-of", "2026-03-04", cwd=tmp_path, env=configured)
    assert result.returncode == 0, result.stderr
    expected = late_titles(demo_tenant, "Atlas", dt.date(2026, 3, 4), ZoneInfo("Europe/Berlin"))
    header, *lines = result.stdout.splitlines()
    task_lines = lines[0::2]  # each task is a line of due/state/priority/title and a line of details
    assert expected and f"{len(expected)} late tasks" in header and len(task_lines) == len(expected)
    assert all(any(line.endswith(title) for line in task_lines) for title in expected)
    assert all("late" in line for line in task_lines)


def test_all_tasks_list_open_work_before_completed_work(configured, tmp_path):
    result = run("tasks", "meridian", "--as-of", "2026-03-04", cwd=tmp_path, env=configured)
    assert result.returncode == 0, result.stderr
    states = result.stdout.splitlines()[1::2]
    first_done = next(i for i, line in enumerate(states) if " completed " in line)
    assert all(" completed " in line for line in states[first_done:])


def test_meetings_in_the_projects_zone_for_n_days(configured, tmp_path):
    result = run("meetings", "meridian", "--days", "2", "--as-of", "2026-03-05", cwd=tmp_path, env=configured)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "(America/New_York)" in lines[0]
    days = {line.split()[1] for line in lines[1::2]}
    assert days == {"05", "06"}
    assert any("Meridian stand-up" in line and "09:00" in line for line in lines)  # local time, not UTC
    assert any("invited" in line for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("tasks", "nope"), "no such project (projects: apollo, atlas, meridian)"),
        (("meetings", "atlas", "--days", "0"), "expected a whole number ≥ 1"),
        (("tasks", "atlas", "--as-of", "5 March"), "expected a date, YYYY-MM-DD"),
    ],
)
def test_bad_arguments_are_one_line_with_exit_code_2(configured, tmp_path, args, message):
    result = run(*args, cwd=tmp_path, env=configured)
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_wrong_secret_is_one_clear_line(configured, tmp_path):
    env = {**configured, "COORDINATOR_CLIENT_SECRET": "not-the-secret"}
    result = run("tasks", "atlas", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "client secret is wrong" in result.stderr and "Traceback" not in result.stderr
    assert "not-the-secret" not in result.stderr
