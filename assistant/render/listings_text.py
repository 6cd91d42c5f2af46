"""Terminal tables for `coordinator tasks` and `coordinator meetings`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from assistant.domain.meetings import AttendeeKind, Meeting, Response
from assistant.domain.plans import PlanSnapshot
from assistant.domain.project import Project
from assistant.domain.tasks import Task


def tasks_text(project: Project, snapshot: PlanSnapshot, tasks: Sequence[Task], as_of: dt.date, late: bool) -> str:
    zone = project.zone
    what = "late tasks" if late else "tasks"
    plan = f" in plan “{snapshot.plan.title}”" if snapshot.plan.title != project.name else ""
    lines = [f"{project.name}: {len(tasks)} {what}{plan}, as of {as_of:%a %d %b %Y}"]
    if not tasks:
        lines.append("  none")
    for task in tasks:
        lines.append("  " + _task_line(task, as_of, zone))
        extras = [f"bucket {task.bucket}" if task.bucket else "", _people(task), _labels(task), _checklist(task)]
        lines.append("      " + " · ".join(e for e in extras if e))
    return "\n".join(lines)


def _task_line(task: Task, as_of: dt.date, zone: ZoneInfo) -> str:
    due = task.due_date(zone)
    when = f"due {due:%a %d %b}" if due else "no due date"
    late = task.days_late(as_of, zone)
    state = f"{late} day{'s' if late != 1 else ''} late" if late else task.status.value
    return f"{when:<15} {state:<14} {task.priority.value:<10} {task.title}"


def _people(task: Task) -> str:
    return ", ".join(p.name for p in task.assignees) if task.assignees else "unassigned"


def _labels(task: Task) -> str:
    return "labels " + ", ".join(task.labels) if task.labels else ""


def _checklist(task: Task) -> str:
    return f"checklist {task.checklist}" if task.checklist.total else ""


def meetings_text(project: Project, meetings: Sequence[Meeting], as_of: dt.date, days: int) -> str:
    zone = project.zone
    last = as_of + dt.timedelta(days=days - 1)
    lines = [f"{project.name}: {len(meetings)} meetings {as_of:%a %d %b} – {last:%a %d %b %Y} ({project.timezone})"]
    if not meetings:
        lines.append("  none")
    for meeting in meetings:
        lines.append("  " + _meeting_line(meeting, zone))
        details = [f"organizer {meeting.organizer}", _answers(meeting)]
        where = "Teams" if meeting.join_url else meeting.location
        if where:
            details.append(where)
        lines.append("      " + " · ".join(d for d in details if d))
    return "\n".join(lines)


def _meeting_line(meeting: Meeting, zone: ZoneInfo) -> str:
    if meeting.all_day:
        first, last = meeting.days
        when = f"{first:%a %d %b}  all day" + (f" to {last:%a %d %b}" if last != first else "")
    else:
        start, end = meeting.local_start(zone), meeting.local_end(zone)
        when = f"{start:%a %d %b}  {start:%H:%M}–{end:%H:%M}"
    cancelled = "CANCELLED  " if meeting.cancelled else ""
    return f"{when:<24} {cancelled}{meeting.subject}"


def _answers(meeting: Meeting) -> str:
    invited = [
        a for a in meeting.attendees if a.kind is not AttendeeKind.RESOURCE and a.response is not Response.ORGANIZER
    ]
    if not invited:
        return ""
    counts = [f"{len(meeting.responses(r))} {r.value}" for r in Response if r is not Response.ORGANIZER]
    return f"{len(invited)} invited (" + ", ".join(c for c in counts if not c.startswith("0 ")) + ")"
