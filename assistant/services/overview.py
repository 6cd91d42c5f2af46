"""Per project: the coming week's meetings and a summary of the plan's tasks.

This is what `coordinator demo` shows today; the status report (issue #4) grows out of it.
"""

from __future__ import annotations

import datetime as dt

from assistant.domain.overview import ProjectOverview
from assistant.domain.project import Project
from assistant.domain.tasks import summarize
from assistant.graph.calendar import meetings
from assistant.graph.planner import load_plan_snapshot
from assistant.services.connect import Connection


def project_overview(graph: Connection, project: Project, now: dt.datetime, days: int = 7) -> ProjectOverview:
    coming = [m for m in meetings(graph.client, project, now, now + dt.timedelta(days=days)) if not m.cancelled]
    as_of = now.astimezone(project.zone).date()
    snapshot = load_plan_snapshot(graph.client, project.plan_id, graph.people)
    return ProjectOverview(project, coming, summarize(snapshot.tasks, as_of, project.zone))
