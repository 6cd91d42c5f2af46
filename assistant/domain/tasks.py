"""Planner tasks in business words, and the counts a coordinator looks at first."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from assistant.domain.people import Person


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


class Priority(StrEnum):
    URGENT = "urgent"
    IMPORTANT = "important"
    MEDIUM = "medium"
    LOW = "low"

    @classmethod
    def from_planner(cls, value: int) -> Priority:
        """Planner's 0–10 scale, lower is more urgent: 0–1 urgent, 2–4 important, 5–7 medium, 8–10 low.

        https://learn.microsoft.com/graph/api/resources/plannertask (`priority`).
        """
        if value <= 1:
            return cls.URGENT
        if value <= 4:
            return cls.IMPORTANT
        return cls.MEDIUM if value <= 7 else cls.LOW

    @property
    def planner_value(self) -> int:
        """What Planner itself writes for this label: 1, 3, 5 or 9."""
        return {Priority.URGENT: 1, Priority.IMPORTANT: 3, Priority.MEDIUM: 5, Priority.LOW: 9}[self]


@dataclass(frozen=True)
class Checklist:
    done: int
    total: int

    def __str__(self) -> str:
        return f"{self.done}/{self.total}"


@dataclass(frozen=True)
class ChecklistItem:
    title: str
    done: bool


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    bucket: str
    status: Status
    due: dt.datetime | None  # aware instant as Planner stores it; `due_date` is what users see
    completed: dt.datetime | None
    assignees: tuple[Person, ...] = ()
    priority: Priority = Priority.MEDIUM
    start: dt.datetime | None = None
    labels: tuple[str, ...] = ()
    checklist: Checklist = Checklist(0, 0)
    percent: int = 0
    has_description: bool = False
    description: str | None = None  # None until the task's details are loaded
    checklist_items: tuple[ChecklistItem, ...] = ()  # empty until the task's details are loaded
    created: dt.datetime | None = None

    @property
    def assignee_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.assignees if p.id)

    def due_date(self, zone: ZoneInfo) -> dt.date | None:
        """The calendar date a Planner user in `zone` sees."""
        return self.due.astimezone(zone).date() if self.due else None

    def is_late(self, as_of: dt.date, zone: ZoneInfo) -> bool:
        due = self.due_date(zone)
        return self.status is not Status.COMPLETED and due is not None and due < as_of

    def days_late(self, as_of: dt.date, zone: ZoneInfo) -> int:
        due = self.due_date(zone)
        return (as_of - due).days if due is not None and self.is_late(as_of, zone) else 0


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
        unassigned_open=sum(1 for t in items if not t.assignees and t.status is not Status.COMPLETED),
    )
