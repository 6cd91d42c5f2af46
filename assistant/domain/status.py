"""The status report as data: everything a coordinator's Monday-morning report says, computed, not typed.

`build_status` is a pure function of a plan snapshot, the project's meetings and an as-of date; the
renderers (text, JSON, Adaptive Card, Word) only format what it decided. Definitions: docs/status-report.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from assistant.domain.burndown import Burndown
from assistant.domain.meetings import Meeting
from assistant.domain.people import Person
from assistant.domain.plans import PlanSnapshot
from assistant.domain.project import Project
from assistant.domain.report_rules import ReportRules
from assistant.domain.summary import spoken_list
from assistant.domain.tasks import Status, Task


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class RiskKind(StrEnum):
    MILESTONE_AT_RISK = "milestone_at_risk"
    LATE = "late"
    BLOCKED = "blocked"
    NOT_STARTED_DUE_SOON = "not_started_due_soon"
    UNASSIGNED_DUE = "unassigned_due"
    OVERLOADED = "overloaded"


@dataclass(frozen=True)
class Risk:
    kind: RiskKind
    summary: str  # one plain sentence
    task_ids: tuple[str, ...]


@dataclass(frozen=True)
class Milestone:
    task: Task
    at_risk: bool
    late: bool
    reason: str  # why it is at risk, or ""


@dataclass(frozen=True)
class Workload:
    person: Person
    open: int
    late: int
    due_soon: int
    overloaded: bool


@dataclass(frozen=True)
class Counts:
    total: int
    not_started: int
    in_progress: int
    completed: int
    late: int
    due_soon: int
    unassigned: int  # open tasks nobody is assigned to


@dataclass(frozen=True)
class StatusReport:
    project: Project
    plan_title: str
    as_of: dt.date
    period_start: dt.date
    period_end: dt.date
    rag: Rag
    rag_reasons: tuple[str, ...]
    summary: str
    percent_complete: int
    counts: Counts
    achievements: tuple[Task, ...]
    late: tuple[Task, ...]
    due_soon: tuple[Task, ...]
    milestones: tuple[Milestone, ...]
    workload: tuple[Workload, ...]
    risks: tuple[Risk, ...]
    upcoming_meetings: tuple[Meeting, ...]
    burndown: Burndown
    rules: ReportRules

    def due(self, task: Task) -> dt.date | None:
        return task.due_date(self.project.zone)

    def completed(self, task: Task) -> dt.date | None:
        return task.completed.astimezone(self.project.zone).date() if task.completed else None

    def days_late(self, task: Task) -> int:
        return task.days_late(self.as_of, self.project.zone)


def build_status(
    project: Project,
    snapshot: PlanSnapshot,
    meetings: Iterable[Meeting],
    as_of: dt.date,
    rules: ReportRules | None = None,
    period_days: int | None = None,
) -> StatusReport:
    """The report for `project` as of the end of `as_of` (a day in the project's zone)."""
    from assistant.domain.analysis import analyse

    rules = rules or project.rules
    days = period_days or rules.period_days
    if days < 1:
        raise ValueError("the report period is at least one day")
    return analyse(project, snapshot, list(meetings), as_of, rules, days)


def percent(part: int, whole: int) -> int:
    """A whole percent, halves rounded up (so 1 of 8 is 13 %, as people round), 0 for an empty whole."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def by_due(tasks: Iterable[Task], project: Project) -> list[Task]:
    zone = project.zone
    return sorted(tasks, key=lambda t: (t.due_date(zone) or dt.date.max, t.title.casefold()))


def names(people: Sequence[Person]) -> str:
    """`Ana`, `Ana and Ben`, `Ana, Ben and Cleo`."""
    return spoken_list([p.name for p in people])


def open_tasks(tasks: Iterable[Task]) -> list[Task]:
    return [t for t in tasks if t.status is not Status.COMPLETED]
