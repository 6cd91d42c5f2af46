"""Every sentence the bot says, in one place (STYLE 12), so wording is reviewed and changed together.

Replies are sent with `textFormat: plain`: plan text (titles, names) is never read as markdown.
"""

from __future__ import annotations

import datetime as dt
import math
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
FAILED_LATER = "Sorry, that did not work out; the coordinator's log has the details. Ask again in a moment."
TOO_SLOW = "That is taking longer than Teams waits for an outgoing webhook (5 s). Try again in a moment."
WEBHOOK_STILL_FILING = (
    "That document takes longer than Teams waits for an outgoing webhook (5 s). It is still being drafted and "
    "will be in the channel's files, under Meeting documents, in a moment: no need to ask again."
)
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


# --- meetings, notes and action items (bot/meeting_commands.py) ---
BAD_AGENDA_ARG = "“{word}” is not a kind of meeting. Use `agenda`, `agenda next` or one of: {kinds}."
NO_NEXT_MEETING = "{project} has no {what} in the next {days} days."
ON_IT_AGENDA = "On it: drafting the agenda for {subject}, {when}. I will post it here once it is filed."
AGENDA_FILED = "Agenda for {subject}, {when}: {verb} in the channel's files, {folder}."
ON_IT_MINUTES = "On it: writing the minutes of {subject}, {day:%a %d %b}. I will post them here once they are filed."
MINUTES_FILED = "Minutes of {subject}, {day:%a %d %b} ({counts}): {verb} in the channel's files, {folder}."
BAD_MINUTES_ARG = "`minutes` takes nothing or `last`, not “{word}”."
NO_PAST_MEETING = "{project} has held no meeting in the last {days} days."
NO_NOTES_YET = "No notes are stored for this meeting yet: add them with `note`, `decision` and `action`."
NOTHING_TO_NOTE = "Write what to note after the command, e.g. `{command} {example}`."
NO_CURRENT_MEETING = (
    "{project} has no meeting under way and none ended today, so there is no meeting to add this to. "
    "Notes go to the meeting in progress, or the latest one that ended today."
)
BAD_NOTE = "I can't store that line: {problem}."
NO_OWNER = (
    "I can't tell who you are, so name the owner: `action TEXT @owner [by DATE]`, e.g. "
    "`action send the rollout plan @Omar by Friday`."
)
ASKER_NOT_FOUND = (
    "You ({name}) are not invited to {meeting} and do not work in the plan, so the action needs an owner: "
    "`action TEXT @owner [by DATE]`."
)
UNKNOWN_OWNER = (
    "Nobody called “@{owner}” is invited to {meeting} or works in the plan. Use a full name, a first name only one "
    "person has, or a mail address."
)
NOTED = "Added to the notes of {meeting} ({day:%a %d %b}): {line}"
NOTED_OWNER = "Owner: {owner}{due}."
NOTED_ASKER = "Owner: {owner} (you; add @name to give it to someone else){due}."
BAD_NUMBER = "N must be the number of an open action item, as `actions` shows it (open now: {numbers})."
NO_OPEN_ACTIONS = "{project} has no open action items."
UNKNOWN_ACTION_ITEM = "That action item is not one of {project}'s any more."
ALREADY_DONE = "Already done: “{text}”."
DONE = "Done: “{text}”."
TASK_STATES = {
    "completed": "Its Planner task is marked complete.",
    "already complete": "Its Planner task was already complete.",
    "gone": "Its Planner task no longer exists in the plan.",
}
TASKS_ALREADY = "Nothing to create: the Planner tasks for these minutes exist already ({summary})."
BAD_SCHEDULE = (
    "Use `schedule status CRON` with five cron fields (minute hour day month weekday), e.g. "
    "`schedule status 0 9 * * MON`, or `schedule status off`."
)
SCHEDULE_STORED = "Stored: the status report of {project} is posted on the schedule `{cron}`."
SCHEDULE_OFF = "Stored: no scheduled status report for {project}."
SCHEDULE_LATER = "(Scheduled posting starts once the background jobs are running.)"

# --- refusals decided before a command runs (bot/limits.py) ---
RATE_LIMITED = "I answer at most {commands} every {window} in a conversation. Try again in {wait}."


def rate_limited(count: int, window: dt.timedelta, wait: dt.timedelta) -> str:
    return RATE_LIMITED.format(
        commands=f"{count} command{'s' if count != 1 else ''}", window=duration(window), wait=duration(wait)
    )


def duration(span: dt.timedelta) -> str:
    """A wait as people say it, rounded up: "1 second", "45 seconds", "3 minutes", "2 hours"."""
    seconds = max(1, math.ceil(span.total_seconds()))
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= 2 * size:
            return f"{math.ceil(seconds / size)} {unit}s"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
