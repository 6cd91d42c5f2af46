"""The agenda's header in words, the same in the Word document and the card: kind, when, answers."""

from __future__ import annotations

import datetime as dt

from assistant.domain.agenda import Agenda
from assistant.domain.meeting_types import MeetingType
from assistant.domain.meetings import Meeting, Response
from assistant.domain.project import Project
from assistant.render.word import day_text, where

KIND_LABEL = {
    MeetingType.STANDUP: "Stand-up",
    MeetingType.SPRINT_REVIEW: "Sprint review",
    MeetingType.PLANNING: "Sprint planning",
    MeetingType.RETROSPECTIVE: "Retrospective",
    MeetingType.STEERING: "Steering committee",
    MeetingType.GENERAL: "Meeting",
}
RESPONSE_TEXT = {
    Response.ACCEPTED: "Accepted",
    Response.TENTATIVE: "Tentative",
    Response.DECLINED: "Declined",
    Response.NONE: "No response",
    Response.ORGANIZER: "Organizer",
}


def when_text(agenda: Agenda) -> str:
    """`Thu 5 Mar 2026, 09:45–10:00 Berlin time`, or `Mon 9 Mar 2026, all day`."""
    return meeting_when_text(agenda.meeting, agenda.project)


def meeting_when_text(meeting: Meeting, project: Project) -> str:
    """When a meeting is, in the project's zone: the agenda's and the minutes' header line."""
    if meeting.all_day:
        first, last = meeting.days
        span = long_day(first) if first == last else f"{day_text(first, last)} – {long_day(last)}"
        return f"{span}, all day"
    start, end = meeting.local_start(project.zone), meeting.local_end(project.zone)
    return f"{long_day(start.date())}, {start:%H:%M}–{end:%H:%M} {city(project.timezone)} time"


def hours(agenda: Agenda) -> str:
    return "all day" if agenda.meeting.all_day else f"{agenda.start:%H:%M}–{agenda.end:%H:%M}"


def organizer_time_text(agenda: Agenda) -> str:
    """`09:00–09:15 New York time (the organizer's)`, with the day when it is another one; "" when the same."""
    theirs = agenda.organizer_time
    if theirs is None:
        return ""
    other_day = theirs.start.date() != agenda.day
    day = f"{day_text(theirs.start.date(), agenda.day)}, " if other_day else ""
    return f"{day}{theirs.start:%H:%M}–{theirs.end:%H:%M} {city(theirs.zone)} time (the organizer's)"


def responses_text(agenda: Agenda) -> str:
    """`12 invited: 8 accepted, 1 tentative, 1 declined, 2 no response`."""
    people = [*agenda.required, *agenda.optional]
    if not people:
        return "Nobody else invited"
    order = (Response.ACCEPTED, Response.TENTATIVE, Response.DECLINED, Response.NONE)
    counts = [(sum(1 for a in people if a.response is r), r) for r in order]
    parts = [f"{n} {RESPONSE_TEXT[r].lower()}" for n, r in counts if n]
    return f"{len(people)} invited: " + ", ".join(parts) if parts else f"{len(people)} invited"


def city(zone: str) -> str:
    """`Europe/Berlin` → `Berlin`, `America/New_York` → `New York`, `Etc/UTC` → `UTC`."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def long_day(day: dt.date) -> str:
    """`Thu 5 Mar 2026`."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def moment_text(moment: dt.datetime, agenda: Agenda) -> str:
    """`Wed 4 Mar, 09:45` in the project's zone (the year added when it is not the meeting's)."""
    local = moment.astimezone(agenda.project.zone)
    return f"{day_text(local.date(), agenda.day)}, {local:%H:%M}"


def agenda_text(agenda: Agenda) -> str:
    """The agenda in a terminal: the header, then what the type's template would fill, in the same order."""
    from assistant.render.agenda_terminal import body_lines

    meeting = agenda.meeting
    lines = [
        f"{KIND_LABEL[agenda.kind]} agenda: {meeting.subject}",
        f"  when: {when_text(agenda)}" + (f" ({organizer_time_text(agenda)})" if agenda.organizer_time else ""),
        f"  where: {_where(agenda)}",
        f"  organizer: {meeting.organizer}",
        f"  attendees: {responses_text(agenda)}",
    ]
    if meeting.join_url:
        lines.append(f"  join: {meeting.join_url}")
    lines += ["", *body_lines(agenda)]
    lines += ["", "Open action items carried over:"]
    lines += [
        f"  - {a.text} — {a.owner.name if a.owner else '@' + a.owner_text}"
        + (f", due {a.due:%a %d %b}" if a.due else "")
        + f" (from {a.meeting_day:%d %b})"
        for a in agenda.carried_actions
    ] or ["  none"]
    return "\n".join(lines)


def _where(agenda: Agenda) -> str:
    """Rooms and places, without Outlook's "Microsoft Teams Meeting" placeholder; Teams when there is a link."""
    meeting = agenda.meeting
    places = [place for place in where(meeting.location).split("; ") if place]
    if meeting.join_url:
        places.append("Teams")
    return ", ".join(places) or "not given"
