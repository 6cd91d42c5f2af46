"""The status report as JSON: the contract for scripts, for the card and Word renderers, and for tests.

Shape (docs/status-report.md): project, name, as_of, period{start,end}, rag, rag_reasons[], summary,
percent_complete, counts{…}, achievements[], late[], due_soon[], milestones[], workload[], risks[],
upcoming_meetings[], burndown{points[], target}. Dates are ISO dates in the project's time zone.
"""

from __future__ import annotations

from typing import Any

from assistant.domain.meetings import Meeting
from assistant.domain.status import StatusReport
from assistant.domain.tasks import Task


def status_json(report: StatusReport, task_url: str = "", tenant: str = "") -> dict[str, Any]:
    """`task_url` is a template with {tenant}, {plan_id} and {task_id} (COORDINATOR_PLANNER_TASK_URL)."""
    project = report.project

    def task(t: Task, days_late: bool = False) -> dict[str, Any]:
        due, completed = report.due(t), report.completed(t)
        item: dict[str, Any] = {
            "id": t.id,
            "title": t.title,
            "bucket": t.bucket,
            "status": t.status.value,
            "priority": t.priority.value,
            "due": due.isoformat() if due else None,
            "completed": completed.isoformat() if completed else None,
            "assignees": [p.name for p in t.assignees],
            "labels": list(t.labels),
            "url": task_url.format(tenant=tenant, plan_id=project.plan_id, task_id=t.id) if task_url else None,
        }
        if days_late:
            item["days_late"] = report.days_late(t)
        return item

    counts = report.counts
    return {
        "project": project.key,
        "name": project.name,
        "plan": report.plan_title,
        "timezone": project.timezone,
        "as_of": report.as_of.isoformat(),
        "period": {"start": report.period_start.isoformat(), "end": report.period_end.isoformat()},
        "rag": report.rag.value,
        "rag_reasons": list(report.rag_reasons),
        "summary": report.summary,
        "percent_complete": report.percent_complete,
        "counts": {
            "total": counts.total,
            "not_started": counts.not_started,
            "in_progress": counts.in_progress,
            "completed": counts.completed,
            "late": counts.late,
            "due_soon": counts.due_soon,
            "unassigned": counts.unassigned,
        },
        "achievements": [task(t) for t in report.achievements],
        "late": [task(t, days_late=True) for t in report.late],
        "due_soon": [task(t) for t in report.due_soon],
        "milestones": [
            {**task(m.task, days_late=m.late), "at_risk": m.at_risk, "reason": m.reason} for m in report.milestones
        ],
        "workload": [
            {
                "person": {"id": w.person.id, "name": w.person.name},
                "open": w.open,
                "late": w.late,
                "due_soon": w.due_soon,
                "overloaded": w.overloaded,
            }
            for w in report.workload
        ],
        "risks": [{"kind": r.kind.value, "summary": r.summary, "task_ids": list(r.task_ids)} for r in report.risks],
        "upcoming_meetings": [_meeting(m, report) for m in report.upcoming_meetings],
        "burndown": {
            "points": [{"date": p.day.isoformat(), "open": p.open, "ideal": p.ideal} for p in report.burndown.points],
            "target": report.burndown.target.isoformat() if report.burndown.target else None,
        },
    }


def _meeting(meeting: Meeting, report: StatusReport) -> dict[str, Any]:
    zone = report.project.zone
    return {
        "subject": meeting.subject,
        "start": meeting.local_start(zone).isoformat(),
        "end": meeting.local_end(zone).isoformat(),
        "all_day": meeting.all_day,
        "organizer": meeting.organizer.name,
        "join_url": meeting.join_url,
        "location": meeting.location,
    }
