"""Every sentence the bot says, in one place (STYLE 12), so wording is reviewed and changed together.

Replies are sent with `textFormat: plain`: plan text (titles, names) is never read as markdown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from assistant.domain.tasks import Task

SHOWN = 15  # longer lists end with "… and N more"

GREETING = "Hello! I am Coordinator. I answer questions about this channel's project. Type one of these:"
HELP_INTRO = "Commands (add `in PROJECT` to ask about another project):"
UNKNOWN = "I don't know the command “{word}”."
CLOSEST = "Did you mean “{closest}”?"
EMPTY = "Tell me what you need."
NO_PROJECT = (
    "This channel is not linked to a project in the projects file. Add `in PROJECT` to the command; projects: {known}."
)
UNKNOWN_PROJECT = "There is no project “{key}”. Projects: {known}."
FAILED = "Sorry, that did not work: {problem}"
FAILED_SERVICE = "Sorry, Microsoft 365 did not answer as expected; the coordinator's log has the details."
TOO_SLOW = "That is taking longer than Teams waits for an outgoing webhook (5 s). Try again in a moment."
BAD_DAYS = "DAYS must be a whole number from 1 to 90, e.g. `due 14`."
EXTRA_ARGS = "“{command}” takes no “{extra}”."


def usage_line(usage: str, summary: str) -> str:
    return f"{usage} — {summary}"


def task_lines(tasks: Sequence[Task], as_of: dt.date, zone: ZoneInfo) -> list[str]:
    lines = []
    for task in tasks[:SHOWN]:
        due = task.due_date(zone)
        late = task.days_late(as_of, zone)
        when = f"{late} day{'s' if late != 1 else ''} late" if late else (f"due {due:%a %d %b}" if due else "no date")
        people = ", ".join(p.name for p in task.assignees) or "no owner"
        lines.append(f"• {task.title} ({people}; {when})")
    if len(tasks) > SHOWN:
        lines.append(f"… and {len(tasks) - SHOWN} more")
    return lines


def heading(project_name: str, what: str, as_of: dt.date) -> str:
    return f"{project_name}: {what}, as of {as_of:%a %d %b %Y}"
