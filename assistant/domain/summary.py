"""The report's words for a non-technical reader: two to four plain sentences, built from the data.

No jargon (no "RAG", no "bucket"), no ids; task titles in quotes; dates as a person says them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.domain.tasks import Priority, Status, Task

if TYPE_CHECKING:
    from assistant.domain.status import StatusReport

VERDICT = {"green": "on track", "amber": "at risk", "red": "off track"}


def when(day: dt.date, as_of: dt.date) -> str:
    """`today`, `tomorrow`, `Fri 13 Mar`, or `Fri 13 Mar 2027` in another year."""
    if day == as_of:
        return "today"
    if day == as_of + dt.timedelta(days=1):
        return "tomorrow"
    return f"{day:%a} {day.day} {day:%b}" + (f" {day.year}" if day.year != as_of.year else "")


def spoken_list(items: Sequence[str]) -> str:
    """`A`, `A and B`, `A, B and C`; "" for none."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def quoted_list(tasks: Sequence[Task], limit: int = 3) -> str:
    """`“A”`, `“A” and “B”`, `“A”, “B”, “C” and 4 more`."""
    titles = [f"“{t.title}”" for t in tasks[:limit]]
    rest = len(tasks) - len(titles)
    if rest:
        return ", ".join(titles) + f" and {rest} more"
    return spoken_list(titles)


def summarize_report(report: StatusReport) -> str:
    return " ".join(s for s in (_state(report), _risk(report), _achievement(report), _next(report)) if s)


def _state(report: StatusReport) -> str:
    name = report.project.name
    counts = report.counts
    if counts.total == 0:
        return f"{name} has no tasks in its plan yet."
    late = f", and {counts.late} {'is' if counts.late == 1 else 'are'} late" if counts.late else ""
    verdict = VERDICT[report.rag.value]
    return f"{name} is {verdict}: {report.percent_complete} % of its {counts.total} tasks are done{late}."


def _risk(report: StatusReport) -> str:
    if not report.risks:
        return ""
    return "The biggest risk: " + report.risks[0].summary


def _achievement(report: StatusReport) -> str:
    period = "this week" if (report.period_end - report.period_start).days == 6 else f"in the last {_days(report)} days"
    if not report.achievements:
        return f"Nothing was completed {period}." if report.counts.total else ""
    milestone = report.rules.milestone_label.casefold()
    best = min(
        report.achievements,
        key=lambda t: (
            not any(label.casefold() == milestone for label in t.labels),
            list(Priority).index(t.priority),
            -(t.completed.timestamp() if t.completed else 0),
        ),
    )
    n = len(report.achievements)
    if n == 1:
        return f"{period.capitalize()} the team completed “{best.title}”."
    return f"{period.capitalize()} the team completed {n} tasks, including “{best.title}”."


def _next(report: StatusReport) -> str:
    upcoming = [m for m in report.milestones if m.task.status is not Status.COMPLETED and not m.late]
    dated = [(report.due(m.task), m) for m in upcoming if report.due(m.task)]
    if not dated:
        return ""
    day, milestone = min(dated, key=lambda pair: (pair[0], pair[1].task.title))
    assert day is not None
    return f"The next milestone is “{milestone.task.title}”, due {when(day, report.as_of)}."


def _days(report: StatusReport) -> int:
    return (report.period_end - report.period_start).days + 1
