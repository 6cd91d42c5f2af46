"""`coordinator tasks` and `coordinator meetings`: one project's plan or calendar, as of a day.

"As of" is a calendar day in the project's zone, because that is the day the team lives in: a task due
5 March is late on 6 March in Berlin even while it is still 5 March in New York.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from assistant.domain.meetings import Meeting
from assistant.domain.plans import PlanSnapshot
from assistant.domain.project import Project
from assistant.domain.tasks import Status, Task
from assistant.errors import ConfigError
from assistant.graph.calendar import meetings
from assistant.graph.planner import load_plan_snapshot
from assistant.services.connect import Connection


def find_project(projects: Mapping[str, Project], key: str, source: str) -> Project:
    if key in projects:
        return projects[key]
    known = ", ".join(sorted(projects)) or "none"
    raise ConfigError(source, key, f"no such project (projects: {known})")


def plan_tasks(graph: Connection, project: Project, as_of: dt.date, late_only: bool) -> tuple[PlanSnapshot, list[Task]]:
    """The plan and its tasks: open ones by due day first, or only the late ones, most overdue first."""
    snapshot = load_plan_snapshot(graph.client, project.plan_id, graph.people)
    if late_only:
        return snapshot, snapshot.late(as_of, project.zone)
    zone = project.zone
    far = dt.date.max

    def order(task: Task) -> tuple[bool, dt.date, str]:
        return (task.status is Status.COMPLETED, task.due_date(zone) or far, task.title)

    return snapshot, sorted(snapshot.tasks, key=order)


def project_meetings(graph: Connection, project: Project, as_of: dt.date, days: int) -> list[Meeting]:
    """Meetings from the start of `as_of` (project zone) for `days` days, cancelled ones included (marked)."""
    start = dt.datetime.combine(as_of, dt.time(), project.zone)
    end = dt.datetime.combine(as_of + dt.timedelta(days=days), dt.time(), project.zone)
    return meetings(graph.client, project, start, end)
