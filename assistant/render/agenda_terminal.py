"""The type-specific part of an agenda as plain text (the Word templates lay out the same content)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from assistant.domain.agenda import Agenda
from assistant.domain.agenda_items import General, Planning, Retrospective, Review, Standup, Steering
from assistant.domain.tasks import Task


def body_lines(agenda: Agenda) -> list[str]:
    content = agenda.content
    zone = agenda.project.zone
    if isinstance(content, Standup):
        lines = [f"Round the table (since {content.since.astimezone(zone):%a %d %b %H:%M}):"]
        for update in content.people:
            lines.append(f"  {update.person.name}:")
            lines += _tasks("closed", update.closed, zone) + _tasks("due", update.due, zone)
            lines += _tasks("late", update.late, zone)
            lines += [
                f"    blocked: {b.task.title}" + (f" (waits for {', '.join(b.waiting_for)})" if b.waiting_for else "")
                for b in update.blocked
            ]
        if content.quiet:
            lines.append("  nothing closed, due, late or blocked: " + ", ".join(p.name for p in content.quiet))
        return [*lines, "", "Due with nobody on it:", *_tasks("", content.unassigned_due, zone, "  none")]
    if isinstance(content, Review):
        lines = ["Completed since the last review:", *_tasks("", content.achievements, zone, "  none")]
        lines += ["", "In progress:", *_tasks("", content.in_progress, zone, "  none")]
        if content.next_milestone:
            lines += ["", f"Next milestone: {content.next_milestone.task.title}"]
        return lines
    if isinstance(content, Planning):
        lines = [
            f"Not started, due by {content.sprint_end:%a %d %b}:",
            *_tasks("", content.not_started, zone, "  none"),
        ]
        lines += ["", "Without an owner:", *_tasks("", content.unassigned, zone, "  none")]
        lines += ["", "Workload (open / late / due soon):"]
        return lines + [f"  {w.person.name}: {w.open} / {w.late} / {w.due_soon}" for w in content.workload]
    if isinstance(content, Retrospective):
        lines = [
            f"Sprint {content.period_start:%d %b} – {content.period_end:%d %b}: {content.on_time} of {content.planned} on time"
        ]
        return lines + [f"  slipped: {s.task.title} ({s.days} days)" for s in content.slipped]
    if isinstance(content, Steering):
        lines = [f"Status: {agenda.report.rag.value.upper()} — {agenda.report.summary}", "", "Milestones:"]
        lines += [f"  {m.task.title}" + (f" — at risk: {m.reason}" if m.at_risk else "") for m in content.milestones]
        lines += ["", "Top risks:", *[f"  - {r.summary}" for r in content.risks]]
        return [*lines, "", "Decisions needed:", *_tasks("", content.decisions, zone, "  none")]
    assert isinstance(content, General)
    return ["Invitation:", *[f"  {line}" for line in content.invitation.splitlines() if line.strip()]]


def _tasks(label: str, tasks: tuple[Task, ...], zone: ZoneInfo, empty: str | None = None) -> list[str]:
    if not tasks:
        return [empty] if empty else []
    prefix = f"    {label}: " if label else "  - "
    lines = []
    for task in tasks:
        due = task.due_date(zone)
        owners = ", ".join(p.name for p in task.assignees) or "no owner"
        lines.append(f"{prefix}{task.title} ({owners}" + (f", due {due:%a %d %b})" if due else ")"))
    return lines
