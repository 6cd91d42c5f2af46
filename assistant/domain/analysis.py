"""The report's verdicts: what is late, due soon, at risk, overloaded, blocked; and the colour they add to.

Every rule is in docs/status-report.md with the same words; the numbers come from `ReportRules`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence

from assistant.domain.burndown import burndown
from assistant.domain.meetings import Meeting
from assistant.domain.people import Person
from assistant.domain.plans import PlanSnapshot
from assistant.domain.project import Project
from assistant.domain.report_rules import ReportRules
from assistant.domain.status import (
    Counts,
    Milestone,
    Rag,
    Risk,
    RiskKind,
    StatusReport,
    Workload,
    by_due,
    open_tasks,
    percent,
)
from assistant.domain.summary import quoted_list, summarize_report, when
from assistant.domain.tasks import Status, Task

_BLOCKED_BY = re.compile(r"^\s*blocked by\s*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)


def analyse(
    project: Project, snapshot: PlanSnapshot, meetings: list[Meeting], as_of: dt.date, rules: ReportRules, days: int
) -> StatusReport:
    zone = project.zone
    tasks = list(snapshot.tasks)
    still_open = open_tasks(tasks)
    late = sorted(
        (t for t in still_open if t.is_late(as_of, zone)), key=lambda t: (-t.days_late(as_of, zone), t.title.casefold())
    )
    soon_end = as_of + dt.timedelta(days=rules.due_soon_days - 1)
    due_soon = by_due((t for t in still_open if as_of <= (t.due_date(zone) or dt.date.min) <= soon_end), project)
    period_start = as_of - dt.timedelta(days=days - 1)
    achievements = sorted(
        (t for t in tasks if t.completed and period_start <= t.completed.astimezone(zone).date() <= as_of),
        key=lambda t: (t.completed, t.title),
        reverse=True,
    )
    milestones = [_milestone(t, as_of, soon_end, project) for t in by_due(_milestone_tasks(tasks, rules), project)]
    workload = _workload(still_open, as_of, soon_end, project, rules)
    risks = _risks(tasks, late, due_soon, milestones, workload, as_of, project, rules)
    rag, reasons = _rag(late, still_open, milestones, risks, rules)
    last_milestone = max((d for m in milestones if (d := m.task.due_date(zone))), default=None)
    report = StatusReport(
        project=project,
        plan_title=snapshot.plan.title,
        as_of=as_of,
        period_start=period_start,
        period_end=as_of,
        rag=rag,
        rag_reasons=reasons,
        summary="",
        percent_complete=percent(len(tasks) - len(still_open), len(tasks)),
        counts=Counts(
            total=len(tasks),
            not_started=sum(1 for t in tasks if t.status is Status.NOT_STARTED),
            in_progress=sum(1 for t in tasks if t.status is Status.IN_PROGRESS),
            completed=len(tasks) - len(still_open),
            late=len(late),
            due_soon=len(due_soon),
            unassigned=sum(1 for t in still_open if not t.assignees),
        ),
        achievements=tuple(achievements),
        late=tuple(late),
        due_soon=tuple(due_soon),
        milestones=tuple(milestones),
        workload=tuple(workload),
        risks=tuple(risks),
        upcoming_meetings=_upcoming(meetings, as_of, project, rules),
        burndown=burndown(tasks, as_of, zone, rules.burndown_weeks, last_milestone),
        rules=rules,
    )
    return _with_summary(report)


def _with_summary(report: StatusReport) -> StatusReport:
    from dataclasses import replace

    return replace(report, summary=summarize_report(report))


def _milestone_tasks(tasks: Sequence[Task], rules: ReportRules) -> list[Task]:
    label = rules.milestone_label.casefold()
    return [t for t in tasks if any(name.casefold() == label for name in t.labels)]


def _milestone(task: Task, as_of: dt.date, soon_end: dt.date, project: Project) -> Milestone:
    """At risk when late, or due soon and not started."""
    zone = project.zone
    due = task.due_date(zone)
    if task.is_late(as_of, zone):
        late = task.days_late(as_of, zone)
        return Milestone(task, True, True, f"{late} day{'s' if late != 1 else ''} late")
    if task.status is Status.NOT_STARTED and due is not None and due <= soon_end:
        return Milestone(task, True, False, f"due {when(due, as_of)} and not started")
    return Milestone(task, False, False, "")


def _workload(
    still_open: Sequence[Task], as_of: dt.date, soon_end: dt.date, project: Project, rules: ReportRules
) -> list[Workload]:
    """Per person: open, late and due-soon counts (a task with two assignees counts for both)."""
    zone = project.zone
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    people: dict[str, Person] = {}
    for task in still_open:
        due = task.due_date(zone)
        for person in task.assignees:
            key = person.id or person.name
            people[key] = person
            counts = tally[key]
            counts[0] += 1
            counts[1] += task.is_late(as_of, zone)
            counts[2] += due is not None and as_of <= due <= soon_end
    rows = [
        Workload(
            person=people[key],
            open=c[0],
            late=c[1],
            due_soon=c[2],
            overloaded=c[0] > rules.overload_open or c[1] > rules.overload_late or c[2] > rules.overload_due_soon,
        )
        for key, c in tally.items()
    ]
    return sorted(rows, key=lambda w: (-w.open, -w.late, w.person.name.casefold()))


def blocked_by(task: Task) -> list[str]:
    """Titles named on `Blocked by: <title>` lines of the task's description (empty until details load)."""
    return [m.group(1) for m in _BLOCKED_BY.finditer(task.description or "")]


def _blocked(tasks: Sequence[Task], as_of: dt.date, project: Project) -> list[Risk]:
    """A task is blocked when a blocker it names is open and due on or after the task's own due date."""
    zone = project.zone
    by_title = {t.title.casefold().strip(): t for t in tasks}
    risks = []
    for task in by_due(open_tasks(tasks), project):
        due = task.due_date(zone)
        for title in blocked_by(task):
            blocker = by_title.get(title.casefold().strip())
            if blocker is None or blocker.status is Status.COMPLETED or due is None:
                continue
            blocker_due = blocker.due_date(zone)
            if blocker_due is not None and blocker_due >= due:
                summary = (
                    f"“{task.title}” (due {when(due, as_of)}) waits for “{blocker.title}”, "
                    f"which is not due until {when(blocker_due, as_of)}."
                )
                risks.append(Risk(RiskKind.BLOCKED, summary, (task.id, blocker.id)))
    return risks


def _risks(
    tasks: Sequence[Task],
    late: Sequence[Task],
    due_soon: Sequence[Task],
    milestones: Sequence[Milestone],
    workload: Sequence[Workload],
    as_of: dt.date,
    project: Project,
    rules: ReportRules,
) -> list[Risk]:
    """Most serious first: milestones, late work, blocked work, work not started, work without an owner, people."""
    zone = project.zone
    risks = [
        Risk(RiskKind.MILESTONE_AT_RISK, f"Milestone “{m.task.title}” is {m.reason}.", (m.task.id,))
        for m in milestones
        if m.at_risk
    ]
    if late:
        oldest = late[0]
        days = oldest.days_late(as_of, zone)
        head = "1 task is late" if len(late) == 1 else f"{len(late)} tasks are late"
        summary = f"{head}; the oldest, “{oldest.title}”, by {days} day{'s' if days != 1 else ''}."
        risks.append(Risk(RiskKind.LATE, summary, tuple(t.id for t in late)))
    risks += _blocked(tasks, as_of, project)
    idle = [t for t in due_soon if t.status is Status.NOT_STARTED]
    if idle:
        head = f"{len(idle)} task{'s' if len(idle) != 1 else ''} due within {rules.due_soon_days} days"
        verb = "has" if len(idle) == 1 else "have"
        risks.append(
            Risk(RiskKind.NOT_STARTED_DUE_SOON, f"{head} {verb} not started: {quoted_list(idle)}.", _ids(idle))
        )
    horizon = as_of + dt.timedelta(days=rules.unassigned_horizon_days - 1)
    ownerless = by_due(
        (t for t in open_tasks(tasks) if not t.assignees and as_of <= (t.due_date(zone) or dt.date.max) <= horizon),
        project,
    )
    if ownerless:
        head = (
            f"{len(ownerless)} task{'s' if len(ownerless) != 1 else ''} due within {rules.unassigned_horizon_days} days"
        )
        verb = "has" if len(ownerless) == 1 else "have"
        risks.append(
            Risk(RiskKind.UNASSIGNED_DUE, f"{head} {verb} no owner: {quoted_list(ownerless)}.", _ids(ownerless))
        )
    for row in workload:
        if row.overloaded:
            ids = tuple(t.id for t in open_tasks(tasks) if row.person in t.assignees)
            summary = f"{row.person.name} has {row.open} open tasks, {row.late} late and {row.due_soon} due soon."
            risks.append(Risk(RiskKind.OVERLOADED, summary, ids))
    return risks


def _rag(
    late: Sequence[Task],
    still_open: Sequence[Task],
    milestones: Sequence[Milestone],
    risks: Sequence[Risk],
    rules: ReportRules,
) -> tuple[Rag, tuple[str, ...]]:
    red = []
    if rules.red_on_late_milestone:
        red += [f"Milestone “{m.task.title}” is {m.reason}." for m in milestones if m.late]
    share = percent(len(late), len(still_open))
    if still_open and len(late) * 100 > rules.red_late_percent * len(still_open):
        red.append(
            f"{len(late)} of {len(still_open)} open tasks ({share} %) are late, more than {rules.red_late_percent} %."
        )
    if red:
        return Rag.RED, tuple(red)
    if risks:
        return Rag.AMBER, tuple(r.summary for r in risks)
    return Rag.GREEN, ("Nothing is late, blocked or at risk.",)


def _upcoming(meetings: Sequence[Meeting], as_of: dt.date, project: Project, rules: ReportRules) -> tuple[Meeting, ...]:
    """The next occurrence of each of the project's meetings (a daily stand-up appears once)."""
    zone = project.zone
    horizon = as_of + dt.timedelta(days=rules.meetings_horizon_days)
    seen: set[str] = set()
    chosen = []
    for meeting in sorted(meetings, key=lambda m: m.local_start(zone)):
        day = meeting.local_start(zone).date()
        key = meeting.series_id or meeting.id
        if meeting.cancelled or not as_of <= day < horizon or key in seen:
            continue
        seen.add(key)
        chosen.append(meeting)
    return tuple(chosen[: rules.upcoming_meetings])


def _ids(tasks: Sequence[Task]) -> tuple[str, ...]:
    return tuple(t.id for t in tasks)
