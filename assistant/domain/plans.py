"""A Planner plan as the coordinator reads it: its buckets, label names and tasks at one moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from assistant.domain.people import Person
from assistant.domain.tasks import Task


@dataclass(frozen=True)
class Bucket:
    id: str
    name: str


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    buckets: tuple[Bucket, ...]  # in board order
    labels: dict[str, str]  # Planner category ("category3") → the name the team gave it


@dataclass(frozen=True)
class PlanSnapshot:
    plan: Plan
    tasks: tuple[Task, ...]
    people: dict[str, Person]  # everyone assigned to a task, by directory id

    def late(self, as_of: dt.date, zone: ZoneInfo) -> list[Task]:
        """Open tasks past their due day, most overdue first."""
        late = [t for t in self.tasks if t.is_late(as_of, zone)]
        return sorted(late, key=lambda t: (t.due_date(zone), t.title))
