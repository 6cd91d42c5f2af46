"""Planner tasks in business words, and the counts a coordinator looks at first."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo


class Status(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETED = "completed"

    @classmethod
    def from_percent(cls, percent: int) -> Status:
        """Planner's rule: 0 not started, 1–99 in progress, 100 completed."""
        if percent >= 100:
            return cls.COMPLETED
        return cls.IN_PROGRESS if percent > 0 else cls.NOT_STARTED


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    bucket: str
    status: Status
    due: dt.datetime | None  # aware instant as Planner stores it
    completed: dt.datetime | None
    assignee_ids: tuple[str, ...]

    def due_date(self, zone: ZoneInfo) -> dt.date | None:
        """The calendar date a Planner user in `zone` sees."""
        return self.due.astimezone(zone).date() if self.due else None

    def is_late(self, as_of: dt.date, zone: ZoneInfo) -> bool:
        due = self.due_date(zone)
        return self.status is not Status.COMPLETED and due is not None and due < as_of


@dataclass(frozen=True)
class TaskSummary:
    total: int
    by_status: dict[Status, int]
    late: int
    unassigned_open: int


def summarize(tasks: Iterable[Task], as_of: dt.date, zone: ZoneInfo) -> TaskSummary:
    items = list(tasks)
    by_status = Counter(t.status for t in items)
    return TaskSummary(
        total=len(items),
        by_status={status: by_status.get(status, 0) for status in Status},
        late=sum(1 for t in items if t.is_late(as_of, zone)),
        unassigned_open=sum(1 for t in items if not t.assignee_ids and t.status is not Status.COMPLETED),
    )
