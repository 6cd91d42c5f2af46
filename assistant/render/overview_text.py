"""The terminal view of a project overview."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.domain.overview import ProjectOverview
from assistant.domain.tasks import Status


def overview_text(overview: ProjectOverview) -> str:
    project = overview.project
    zone = project.zone
    lines = [f"{project.name} ({project.key})", f"  Meetings in the coming week ({project.timezone}):"]
    if not overview.meetings:
        lines.append("    none")
    for meeting in overview.meetings:
        if meeting.all_day:
            when = f"{meeting.days[0]:%a %d %b}  all day    "
        else:
            start, end = meeting.local_start(zone), meeting.local_end(zone)
            when = f"{start:%a %d %b}  {start:%H:%M}–{end:%H:%M}"
        where = "Teams" if meeting.join_url else meeting.location
        lines.append(f"    {when}  {meeting.subject}" + (f"  ({where})" if where else ""))
    summary = overview.tasks
    counts = ", ".join(f"{summary.by_status[s]} {s.value}" for s in Status)
    lines.append(f"  Tasks: {summary.total} in all: {counts}")
    lines.append(f"         {summary.late} late, {summary.unassigned_open} open and unassigned")
    return "\n".join(lines)


def overview_json(overview: ProjectOverview) -> dict[str, Any]:
    project = overview.project
    return {
        "project": project.key,
        "name": project.name,
        "meetings": [
            {
                "subject": m.subject,
                "start": m.local_start(project.zone).isoformat(),
                "end": m.local_end(project.zone).isoformat(),
                "all_day": m.all_day,
                "series_id": m.series_id,
                "join_url": m.join_url,
            }
            for m in overview.meetings
        ],
        "tasks": {
            "total": overview.tasks.total,
            **{s.name.lower(): overview.tasks.by_status[s] for s in Status},
            "late": overview.tasks.late,
            "unassigned_open": overview.tasks.unassigned_open,
        },
    }


def as_of_line(now: dt.datetime) -> str:
    return f"{now:%a %d %b %Y %H:%M} UTC"
