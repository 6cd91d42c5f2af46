"""Per project: the coming week's meetings and a summary of the plan's tasks.

This is what `coordinator demo` shows today; the status report (issue #4) grows out of it.
"""

from __future__ import annotations

import datetime as dt

from assistant.domain.meetings import belongs_to
from assistant.domain.overview import ProjectOverview
from assistant.domain.project import Project
from assistant.domain.tasks import summarize
from assistant.graph.calendar import read_meetings
from assistant.graph.client import GraphClient
from assistant.graph.planner import read_tasks


def project_overview(client: GraphClient, project: Project, now: dt.datetime, days: int = 7) -> ProjectOverview:
    meetings = [
        m
        for m in read_meetings(client, project.calendar, now, now + dt.timedelta(days=days))
        if belongs_to(m, project.meetings) and not m.cancelled
    ]
    as_of = now.astimezone(project.zone).date()
    tasks = summarize(read_tasks(client, project.plan_id), as_of, project.zone)
    return ProjectOverview(project, meetings, tasks)
