"""Open tasks over the last weeks, rebuilt from created and completed dates (Planner keeps no history).

A task counts as open at the end of a day when it was created on or before that day and not completed by
then. Tasks whose creation date is unknown count from the start. The ideal line is the pace still needed:
from today's open count down to zero on the project's last milestone date, when that is after today. (A
line from the first point would say little for a plan that grew while it ran, as most do.)
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
    ideal: float | None  # set on the as-of point only: where the ideal line starts


@dataclass(frozen=True)
class Burndown:
    points: tuple[BurndownPoint, ...]  # weekly, oldest first, the last on the as-of date
    target: dt.date | None  # the last milestone's due date, where the ideal line reaches zero


def burndown(tasks: Iterable[Task], as_of: dt.date, zone: ZoneInfo, weeks: int, target: dt.date | None) -> Burndown:
    items = list(tasks)
    days = [as_of - dt.timedelta(weeks=k) for k in range(weeks, -1, -1)]
    counts = [_open_at(items, day, zone) for day in days]
    aims = target is not None and target > as_of
    points = tuple(
        BurndownPoint(day, count, float(count) if aims and day == as_of else None)
        for day, count in zip(days, counts, strict=True)
    )
    return Burndown(points, target if aims else None)


def _open_at(tasks: list[Task], day: dt.date, zone: ZoneInfo) -> int:
    def is_open(task: Task) -> bool:
        created = task.created.astimezone(zone).date() if task.created else None
        done = task.completed.astimezone(zone).date() if task.completed else None
        return (created is None or created <= day) and (done is None or done > day)

    return sum(1 for task in tasks if is_open(task))
