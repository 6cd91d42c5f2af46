"""Open tasks over the last weeks, rebuilt from created and completed dates (Planner keeps no history).

A task counts as open at the end of a day when it was created on or before that day and not completed by
then. Tasks whose creation date is unknown count from the start. The ideal line runs from the open count
at the first point down to zero on the project's last milestone date, when there is one after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from assistant.domain.tasks import Task


@dataclass(frozen=True)
class BurndownPoint:
    day: dt.date
    open: int
    ideal: float | None


@dataclass(frozen=True)
class Burndown:
    points: tuple[BurndownPoint, ...]  # weekly, oldest first, the last on the as-of date
    target: dt.date | None  # the last milestone's due date, where the ideal line reaches zero


def burndown(tasks: Iterable[Task], as_of: dt.date, zone: ZoneInfo, weeks: int, target: dt.date | None) -> Burndown:
    items = list(tasks)
    days = [as_of - dt.timedelta(weeks=k) for k in range(weeks, -1, -1)]
    counts = [_open_at(items, day, zone) for day in days]
    start = days[0]
    aims = target is not None and target > start
    points = tuple(
        BurndownPoint(day, count, _ideal(counts[0], start, target, day) if aims and target else None)
        for day, count in zip(days, counts, strict=True)
    )
    return Burndown(points, target if aims else None)


def _open_at(tasks: list[Task], day: dt.date, zone: ZoneInfo) -> int:
    def is_open(task: Task) -> bool:
        created = task.created.astimezone(zone).date() if task.created else None
        done = task.completed.astimezone(zone).date() if task.completed else None
        return (created is None or created <= day) and (done is None or done > day)

    return sum(1 for task in tasks if is_open(task))


def _ideal(first: int, start: dt.date, target: dt.date, day: dt.date) -> float:
    share = (day - start).days / (target - start).days
    return round(max(0.0, first * (1 - share)), 1)
