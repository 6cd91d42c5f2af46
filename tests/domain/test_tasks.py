"""Task status and lateness as a Planner user in the project's time zone sees them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from assistant.domain.people import Person
from assistant.domain.tasks import Priority, Status, Task, summarize

BERLIN = ZoneInfo("Europe/Berlin")


def task(percent=0, due=None, assignees=("u1",)):
    people = tuple(Person(f"User {uid}", id=uid) for uid in assignees)
    return Task("t", "T", "B", Status.from_percent(percent), due, None, people)


def test_status_follows_percent_complete():
    assert [Status.from_percent(p) for p in (0, 1, 50, 99, 100)] == [
        Status.NOT_STARTED, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.COMPLETED,
    ]  # fmt: skip


def test_due_at_local_midnight_counts_for_the_local_day():
    # Planner stores "due 5 March" for a Berlin user as 23:00Z on the 4th.
    due = dt.datetime(2026, 3, 4, 23, 0, tzinfo=dt.UTC)
    assert task(due=due).due_date(BERLIN) == dt.date(2026, 3, 5)
    assert not task(due=due).is_late(dt.date(2026, 3, 5), BERLIN)
    assert task(due=due).is_late(dt.date(2026, 3, 6), BERLIN)
    assert task(due=due).is_late(dt.date(2026, 3, 5), ZoneInfo("UTC"))


def test_summary_counts():
    late = dt.datetime(2026, 3, 1, 16, tzinfo=dt.UTC)
    items = [task(0, late), task(50, late, ()), task(100, late), task(0, None, ())]
    summary = summarize(items, dt.date(2026, 3, 4), BERLIN)
    assert summary.total == 4 and summary.late == 2 and summary.unassigned_open == 2
    assert summary.by_status[Status.COMPLETED] == 1


def test_priority_labels_follow_planners_scale():
    labels = [Priority.from_planner(v) for v in range(11)]
    assert labels == [Priority.URGENT] * 2 + [Priority.IMPORTANT] * 3 + [Priority.MEDIUM] * 3 + [Priority.LOW] * 3
    assert [Priority.from_planner(p.planner_value) for p in Priority] == list(Priority)


def test_days_late_counts_calendar_days_in_the_zone():
    due = dt.datetime(2026, 3, 4, 23, 0, tzinfo=dt.UTC)  # 5 March in Berlin
    assert task(due=due).days_late(dt.date(2026, 3, 9), BERLIN) == 4
    assert task(100, due).days_late(dt.date(2026, 3, 9), BERLIN) == 0
