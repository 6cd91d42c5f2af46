"""The status report in a terminal: verdict and summary first, then the lists that back them."""

from __future__ import annotations

from assistant.domain.status import StatusReport
from assistant.domain.summary import when
from assistant.domain.tasks import Task

SHOWN = 10  # longer lists end with "… and N more"


def status_text(report: StatusReport) -> str:
    counts = report.counts
    zone = report.project.zone
    lines = [
        f"{report.project.name}: status as of {report.as_of:%a %d %b %Y} — {report.rag.value.upper()}",
        "",
        *_wrap(report.summary),
        "",
        f"{report.percent_complete} % complete · {counts.total} tasks: {counts.completed} completed, "
        f"{counts.in_progress} in progress, {counts.not_started} not started · {counts.late} late · "
        f"{counts.due_soon} due within {report.rules.due_soon_days} days · {counts.unassigned} open without owner",
        "",
        "Why " + report.rag.value + ":",
        *[f"  - {reason}" for reason in report.rag_reasons],
    ]
    if report.risks:
        lines += ["", "Risks:", *[f"  - {risk.summary}" for risk in report.risks[:SHOWN]], *_more(report.risks)]
    period = f"{report.period_start:%d %b} – {report.period_end:%d %b}"
    lines += ["", f"Completed {period}:", *_tasks(report, report.achievements, done=True)]
    lines += ["", "Late:", *_tasks(report, report.late)]
    lines += ["", f"Due within {report.rules.due_soon_days} days:", *_tasks(report, report.due_soon)]
    if report.milestones:
        lines += ["", "Milestones:"]
        for m in report.milestones:
            due = report.due(m.task)
            state = "done" if report.completed(m.task) else (f"AT RISK: {m.reason}" if m.at_risk else "on track")
            lines.append(f"  - {m.task.title} — due {when(due, report.as_of) if due else 'no date'} — {state}")
    if report.workload:
        lines += ["", "Workload (open / late / due soon):"]
        for w in report.workload:
            flag = "  OVERLOADED" if w.overloaded else ""
            lines.append(f"  - {w.person.name:<24} {w.open:>3} / {w.late:>2} / {w.due_soon:>2}{flag}")
    if report.upcoming_meetings:
        lines += ["", "Coming meetings:"]
        for meeting in report.upcoming_meetings:
            start = meeting.local_start(zone)
            at = "all day" if meeting.all_day else f"{start:%H:%M}"
            lines.append(f"  - {when(start.date(), report.as_of)} {at}  {meeting.subject}")
    return "\n".join(lines)


def _tasks(report: StatusReport, tasks: tuple[Task, ...], done: bool = False) -> list[str]:
    if not tasks:
        return ["  none"]
    rows = []
    for task in tasks[:SHOWN]:
        people = ", ".join(p.name for p in task.assignees) or "no owner"
        if done:
            day = report.completed(task)
            detail = f"done {when(day, report.as_of)}" if day else "done"
        else:
            due = report.due(task)
            late = report.days_late(task)
            detail = (
                f"{late} day{'s' if late != 1 else ''} late"
                if late
                else (f"due {when(due, report.as_of)}" if due else "no due date")
            )
        rows.append(f"  - {task.title} ({people}; {detail})")
    return rows + _more(tasks)


def _more(items: tuple[object, ...]) -> list[str]:
    return [f"  … and {len(items) - SHOWN} more"] if len(items) > SHOWN else []


def _wrap(text: str, width: int = 100) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]
