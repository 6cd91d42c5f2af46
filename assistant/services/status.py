"""`coordinator status`: load what the report needs in few round trips, then let the domain decide.

One pipelined plan load (`graph/planner.load_plan`) reads everything: the calendar's first page rides in
its first `$batch` (it needs nothing from the plan), and the descriptions the blocked-work rule reads go with
the assignees' names in the `$batch`es that carry the task pages, or in full ones beside them.
"""

from __future__ import annotations

import datetime as dt

from assistant.domain.meetings import Meeting
from assistant.domain.plans import PlanSnapshot
from assistant.domain.project import Project
from assistant.domain.status import StatusReport, build_status
from assistant.domain.tasks import Status, Task
from assistant.graph.calendar import calendar_view_item, meetings_from
from assistant.graph.planner import load_plan
from assistant.services.connect import Connection

CALENDAR = "calendar"  # the id of the calendar page's request in the plan's first $batch


def status_report(graph: Connection, project: Project, as_of: dt.date, period_days: int | None = None) -> StatusReport:
    snapshot, found = status_inputs(graph, project, as_of)
    return build_status(project, snapshot, found, as_of, project.rules, period_days)


def status_inputs(graph: Connection, project: Project, as_of: dt.date) -> tuple[PlanSnapshot, list[Meeting]]:
    """What the analysis reads: the plan (descriptions of the tasks that can be blocked) and the coming
    meetings, from the start of the as-of day over the report's horizon."""
    start = dt.datetime.combine(as_of, dt.time(), project.zone)
    end = start + dt.timedelta(days=project.rules.meetings_horizon_days)
    calendar = calendar_view_item(CALENDAR, project.calendar, start, end, project.zone)
    load = load_plan(graph.client, project.plan_id, graph.people, details_for=may_be_blocked, also=[calendar])
    return load.snapshot, meetings_from(graph.client, project, load.answers[CALENDAR])


def may_be_blocked(task: Task) -> bool:
    """Whether the task's description can make it blocked (docs/status-report.md, risk 3): only an open task
    with a due date can be, and only a `Blocked by:` line in its description says so. The description is the
    only detail the report reads, so no other task's details are fetched."""
    return task.has_description and task.status is not Status.COMPLETED and task.due is not None
