"""Minutes of a meeting: who was there, what was decided and discussed, and who does what by when.

Sources are used when available and the minutes say which: the Teams attendance report (else the accepted
invitations), the notes (decisions, actions, discussion per agenda item) and, from a transcript, *suggested*
actions that are never created without someone confirming them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.domain.actions import ActionItem, resolve_owner
from assistant.domain.meeting_types import MeetingType
from assistant.domain.meetings import AttendeeKind, Meeting, Response
from assistant.domain.notes import Notes
from assistant.domain.people import Person
from assistant.domain.project import Project


@dataclass(frozen=True)
class Attendance:
    present: tuple[Person, ...]
    absent: tuple[Person, ...]
    unknown: tuple[Person, ...]  # invited, but neither seen nor declined
    source: str  # "Teams attendance report" or "accepted invitations"
    note: str = ""  # why the better source was not used, said once


@dataclass(frozen=True)
class SuggestedAction:
    """A sentence from the transcript that sounds like an action item; only a suggestion."""

    text: str
    speaker: str
    at: str  # position in the recording, "00:12:41"


@dataclass(frozen=True)
class Minutes:
    meeting: Meeting
    project: Project
    kind: MeetingType
    attendance: Attendance
    decisions: tuple[str, ...]
    discussion: dict[str, tuple[str, ...]]  # agenda item → lines; "" for notes before any item
    actions: tuple[ActionItem, ...]
    suggestions: tuple[SuggestedAction, ...]
    next_meeting: Meeting | None

    @property
    def unresolved(self) -> tuple[ActionItem, ...]:
        """Actions whose owner matched nobody: reported, never guessed, never sent to Planner."""
        return tuple(a for a in self.actions if a.owner is None)

    @property
    def day(self) -> dt.date:
        return self.meeting.local_start(self.project.zone).date()


def build_minutes(
    meeting: Meeting,
    project: Project,
    kind: MeetingType,
    notes: Notes,
    people: Sequence[Person],
    attendance: Attendance,
    next_meeting: Meeting | None = None,
    suggestions: Sequence[SuggestedAction] = (),
) -> Minutes:
    day = meeting.local_start(project.zone).date()
    actions = []
    for noted in notes.actions:
        owner, written, task = resolve_owner(noted.words, people)
        actions.append(
            ActionItem(
                id=action_id(meeting.id, noted.words, noted.due),
                text=task[:1].upper() + task[1:],
                owner_text=written,
                owner=owner,
                due=noted.due,
                meeting_id=meeting.id,
                series_id=meeting.series_id,
                meeting_subject=meeting.subject,
                meeting_day=day,
            )
        )
    return Minutes(
        meeting=meeting,
        project=project,
        kind=kind,
        attendance=attendance,
        decisions=notes.decisions,
        discussion=dict(notes.discussion),
        actions=tuple(actions),
        suggestions=tuple(suggestions),
        next_meeting=next_meeting,
    )


def action_id(meeting_id: str, words: str, due: dt.date | None) -> str:
    """The same action line of the same meeting always gets the same id, wherever it sits in the notes."""
    text = f"{meeting_id}\n{' '.join(words.split()).casefold()}\n{due.isoformat() if due else ''}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def invited(meeting: Meeting) -> list[Person]:
    """Organizer and attendees, rooms left out, each once (by mail address)."""
    seen: dict[str, Person] = {}
    for person in (meeting.organizer, *(a.person for a in meeting.attendees if a.kind is not AttendeeKind.RESOURCE)):
        seen.setdefault(person.email.casefold() or person.name, person)
    return list(seen.values())


def attendance_from_invitations(meeting: Meeting, note: str = "") -> Attendance:
    """Without an attendance report: accepted means present, declined means absent, the rest unknown."""
    answers = {a.person.email.casefold(): a.response for a in meeting.attendees}
    present, absent, unknown = [], [], []
    for person in invited(meeting):
        answer = answers.get(person.email.casefold(), Response.ORGANIZER if person == meeting.organizer else None)
        if answer in (Response.ACCEPTED, Response.ORGANIZER):
            present.append(person)
        elif answer is Response.DECLINED:
            absent.append(person)
        else:
            unknown.append(person)
    return Attendance(tuple(present), tuple(absent), tuple(unknown), "accepted invitations", note)


def attendance_from_report(meeting: Meeting, seen: Iterable[Person]) -> Attendance:
    """With the Teams attendance report: who joined is present (guests too), every other invitee absent."""
    joined = list(seen)
    mails = {p.email.casefold() for p in joined if p.email}
    names = {p.name.casefold() for p in joined}
    absent = [p for p in invited(meeting) if p.email.casefold() not in mails and p.name.casefold() not in names]
    return Attendance(tuple(joined), tuple(absent), (), "Teams attendance report")
