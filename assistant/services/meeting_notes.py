"""Meeting notes typed in the chat, a line at a time, and the meetings they belong to.

`note`, `decision` and `action` append one line to the stored notes (storage/meeting_records.py) of the project's
current meeting: the one under way, else the latest that ended today. The line is checked first, the way the
minutes will read it (domain/notes.py), and an action's owner must be someone the minutes can resolve, so a bad
date or owner is answered at once instead of surfacing later as a gap in the minutes.

Appending reads the stored text and writes it back: two lines sent in the same instant for the same meeting may
lose one (the table has no version column); the bot answers each line it stored, so a lost one shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from assistant.domain.actions import resolve_owner
from assistant.domain.meetings import Meeting
from assistant.domain.notes import NotedAction, Notes, parse_notes
from assistant.domain.people import Person
from assistant.domain.project import Project
from assistant.graph.calendar import meetings
from assistant.graph.client import GraphClient
from assistant.storage.meeting_records import MeetingRecords

LAST_LOOK_BACK = dt.timedelta(days=14)  # how far back `minutes last` looks for the latest meeting held
STORED_NOTES = "the notes stored for this meeting"


def held(found: Sequence[Meeting], now: dt.datetime) -> list[Meeting]:
    return [m for m in found if not m.cancelled and not m.all_day and m.start <= now]


def current_meeting(client_meetings: Sequence[Meeting], now: dt.datetime) -> Meeting | None:
    """Of today's meetings: the one under way at `now` (the latest started), else the latest that has ended."""
    started = held(client_meetings, now)
    under_way = [m for m in started if m.end > now]
    if under_way:
        return max(under_way, key=lambda m: m.start)
    return max(started, key=lambda m: m.end, default=None)


def meeting_for_notes(client: GraphClient, project: Project, now: dt.datetime) -> Meeting | None:
    """The project's meeting under way, else the latest that ended today (the project's day); None without one."""
    zone = project.zone
    today = dt.datetime.combine(now.astimezone(zone).date(), dt.time(), zone)
    return current_meeting(meetings(client, project, today, now + dt.timedelta(seconds=1)), now)


def last_meeting(client: GraphClient, project: Project, now: dt.datetime) -> Meeting | None:
    """The project's latest meeting that has ended, within LAST_LOOK_BACK."""
    found = [m for m in held(meetings(client, project, now - LAST_LOOK_BACK, now), now) if m.end <= now]
    return max(found, key=lambda m: m.end, default=None)


def check_line(line: str, day: dt.date) -> Notes:
    """The line as the minutes will read it; NotesSyntaxError (with the problem) when they could not."""
    return parse_notes(line, day)


def owner_of(action: NotedAction, people: Sequence[Person]) -> Person | None:
    person, _, _ = resolve_owner(action.words, people)
    return person


def append_line(records: MeetingRecords, meeting: Meeting, line: str, now: dt.datetime) -> str:
    """Add `line` at the end of the meeting's stored notes; returns the notes as stored."""
    before = records.notes(meeting.id) or ""
    text = f"{before}{'' if not before or before.endswith(chr(10)) else chr(10)}{line}\n"
    records.save_notes(meeting.id, text, now)
    return text
