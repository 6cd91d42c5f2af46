"""`coordinator status`: load what the report needs in few round trips, then let the domain decide.

Task details (descriptions, for `Blocked by:` lines) are read only for open tasks that have one, 20 per
`$batch`; meetings from the start of the as-of day over the report's horizon.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from assistant.domain.meetings import Meeting
from assistant.domain.plans import PlanSnapshot
from assistant.domain.project import Project
from assistant.domain.status import StatusReport, build_status
from assistant.domain.tasks import Status
from assistant.graph.calendar import meetings
from assistant.graph.planner import load_plan_snapshot, with_details
from assistant.services.connect import Connection


def status_report(graph: Connection, project: Project, as_of: dt.date, period_days: int | None = None) -> StatusReport:
    snapshot, found = status_inputs(graph, project, as_of)
    return build_status(project, snapshot, found, as_of, project.rules, period_days)


def status_inputs(graph: Connection, project: Project, as_of: dt.date) -> tuple[PlanSnapshot, list[Meeting]]:
    """What the analysis reads: the plan (descriptions of open tasks included) and the coming meetings.

    The calendar is read while the plan loads: the two are independent, and each costs round trips.
    """
    start = dt.datetime.combine(as_of, dt.time(), project.zone)
    end = start + dt.timedelta(days=project.rules.meetings_horizon_days)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="calendar") as pool:
        coming = pool.submit(meetings, graph.client, project, start, end)
        snapshot = with_open_details(graph, load_plan_snapshot(graph.client, project.plan_id, graph.people))
        return snapshot, coming.result()


def with_open_details(graph: Connection, snapshot: PlanSnapshot) -> PlanSnapshot:
    wanted = [t for t in snapshot.tasks if t.has_description and t.status is not Status.COMPLETED]
    if not wanted:
        return snapshot
    detailed = {t.id: t for t in with_details(graph.client, wanted)}
    return dataclasses.replace(snapshot, tasks=tuple(detailed.get(t.id, t) for t in snapshot.tasks))
