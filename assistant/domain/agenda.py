"""A meeting's agenda as data: the header a reader needs and the items its kind of meeting talks about.

`build_agenda` is a pure function of the meeting, the project's plan, the earlier meetings the caller found, the
open action items and the moment it runs; the Word template and the card only format what it decided.
Facts are read as of today in the project's time zone (the meeting's day, for a meeting already past): "late"
means due before today, never a forecast of what will be late by the meeting. Windows are read from the meeting:
a stand-up's "due" runs from today to the working day after the meeting. Definitions: docs/agenda.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from assistant.domain import agenda_items as items
from assistant.domain.actions import ActionItem, carried_over
from assistant.domain.agenda_items import Content
from assistant.domain.meeting_types import MeetingType, classify
from assistant.domain.meetings import Attendee, AttendeeKind, Meeting, Response
from assistant.domain.people import Person
from assistant.domain.plans import PlanSnapshot
from assistant.domain.project import Project
from assistant.domain.status import StatusReport, build_status
from assistant.domain.tasks import Status, Task

DEFAULT_LOOK_BACK_DAYS = 14  # a review or retrospective without an earlier one looks back two weeks
Rules = Sequence[tuple[MeetingType, Sequence[str]]]


@dataclass(frozen=True)
class OrganizerTime:
    """The meeting's time in the zone its organizer set it in, shown when that zone's clock differs."""

    zone: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Agenda:
    meeting: Meeting
    kind: MeetingType
    project: Project
    report: StatusReport  # the project's status as of `as_of` (RAG, summary, milestones, workload)
    now: dt.datetime  # when the agenda was prepared (aware)
    day: dt.date  # the meeting's day in the project's zone
    start: dt.datetime  # in the project's zone
    end: dt.datetime
    organizer_time: OrganizerTime | None
    required: tuple[Attendee, ...]
    optional: tuple[Attendee, ...]
    rooms: tuple[Person, ...]  # resource attendees: the rooms booked
    previous: Meeting | None  # the series' previous occurrence that took place (moved ones at their new time)
    content: Content
    carried_actions: tuple[ActionItem, ...]  # open items from earlier minutes of the same series, oldest first

    @property
    def as_of(self) -> dt.date:
        """The day facts are read as of: today in the project's zone, or the meeting's day when it is past."""
        return self.report.as_of

    @property
    def series(self) -> str:
        """The name the series' documents are filed under: the meeting's subject."""
        return " ".join(self.meeting.subject.split())


def build_agenda(
    meeting: Meeting,
    project: Project,
    snapshot: PlanSnapshot,
    previous_meetings_of_series: Iterable[Meeting],
    actions: Iterable[ActionItem],
    now: dt.datetime,
    rules: Rules | None = None,
    *,
    kind: MeetingType | None = None,
) -> Agenda:
    """The agenda of `meeting`; `kind` overrides the classification by `rules` (default: the project's).

    `previous_meetings_of_series` may hold any meetings: those of other series, later ones and cancelled ones
    are left out when looking for the previous occurrence.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    kind = kind or classify(meeting, project.meeting_rules if rules is None else rules)
    zone = project.zone
    start, end = meeting.local_start(zone), meeting.local_end(zone)
    day = meeting.days[0] if meeting.all_day else start.date()
    as_of = min(now.astimezone(zone).date(), day)
    previous = previous_occurrence(meeting, previous_meetings_of_series)
    period = None  # a steering committee looks back to its previous meeting, the others over the project's period
    if previous is not None and kind is MeetingType.STEERING:
        period = max((as_of - previous.local_start(zone).date()).days + 1, 1)
    report = build_status(project, snapshot, (), as_of, project.rules, period)
    people = [a for a in meeting.attendees if a.kind is not AttendeeKind.RESOURCE]
    return Agenda(
        meeting=meeting,
        kind=kind,
        project=project,
        report=report,
        now=now,
        day=day,
        start=start,
        end=end,
        organizer_time=organizer_time(meeting, zone),
        required=tuple(a for a in people if a.kind is AttendeeKind.REQUIRED),
        optional=tuple(a for a in people if a.kind is AttendeeKind.OPTIONAL),
        rooms=tuple(a.person for a in meeting.attendees if a.kind is AttendeeKind.RESOURCE),
        previous=previous,
        content=_content(kind, meeting, day, report, snapshot.tasks, previous),
        carried_actions=carried_actions(actions, meeting, day, snapshot.tasks),
    )


def _content(
    kind: MeetingType,
    meeting: Meeting,
    day: dt.date,
    report: StatusReport,
    tasks: Sequence[Task],
    previous: Meeting | None,
) -> Content:
    zone = report.project.zone
    if kind is MeetingType.STANDUP:
        if previous is not None:
            since = previous.start
        else:  # one working day back, at the same time of day
            local = meeting.local_start(zone)
            since = dt.datetime.combine(items.previous_working_day(day), local.time(), zone)
        people = invited(meeting)
        return items.standup(report, tasks, day, since, meeting.start, people, tasks_of_people(tasks))
    look_back = previous.start if previous else meeting.start - dt.timedelta(days=DEFAULT_LOOK_BACK_DAYS)
    if kind is MeetingType.SPRINT_REVIEW:
        return items.review(report, tasks, look_back, meeting.start)
    if kind is MeetingType.RETROSPECTIVE:
        return items.retrospective(report, tasks, day, look_back, meeting.start)
    if kind is MeetingType.PLANNING:  # the coming sprint is as long as the gap since the previous planning
        gap = (day - previous.local_start(zone).date()).days if previous else 0
        return items.planning(report, tasks, day, gap if gap >= 1 else DEFAULT_LOOK_BACK_DAYS)
    if kind is MeetingType.STEERING:
        return items.steering(report, tasks)
    return items.general(meeting.body)


def series_key(meeting: Meeting) -> str:
    """Occurrences of a series share its master's id; one-off meetings are a series by their subject."""
    return meeting.series_id or "subject:" + " ".join(meeting.subject.casefold().split())


def previous_occurrence(meeting: Meeting, candidates: Iterable[Meeting]) -> Meeting | None:
    """The latest occurrence of the same series that starts before `meeting` and was not cancelled."""
    key = series_key(meeting)
    earlier = [
        m
        for m in candidates
        if series_key(m) == key and not m.cancelled and m.id != meeting.id and m.start < meeting.start
    ]
    return max(earlier, key=lambda m: m.start, default=None)


def organizer_time(meeting: Meeting, zone: ZoneInfo) -> OrganizerTime | None:
    """The organizer's wall-clock times when their zone's offset differs from the project's at the meeting."""
    if meeting.all_day or not meeting.organizer_zone:
        return None
    try:
        theirs = ZoneInfo(meeting.organizer_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    start = meeting.start.astimezone(theirs)
    if start.utcoffset() == meeting.start.astimezone(zone).utcoffset():
        return None
    return OrganizerTime(meeting.organizer_zone, start, meeting.end.astimezone(theirs))


def invited(meeting: Meeting) -> list[tuple[Person, str]]:
    """The people of a meeting with their answers: the organizer first, then attendees in invitation order."""
    people = [(a.person, a.response.value) for a in meeting.attendees if a.kind is not AttendeeKind.RESOURCE]
    organizer = meeting.organizer
    if (organizer.email or organizer.name) and not any(_same(organizer, person) for person, _ in people):
        people.insert(0, (organizer, Response.ORGANIZER.value))
    return people


def tasks_of_people(tasks: Sequence[Task]) -> Callable[[Person], list[Task]]:
    """A person's tasks: assignees matched by mail address ignoring case, else by display name ignoring case."""
    by_email: dict[str, list[Task]] = defaultdict(list)
    by_name: dict[str, list[Task]] = defaultdict(list)
    for task in tasks:
        for person in task.assignees:
            if person.email:
                by_email[person.email.casefold()].append(task)
            if person.name:
                by_name[person.name.casefold()].append(task)

    def of(person: Person) -> list[Task]:
        if person.email and person.email.casefold() in by_email:
            return by_email[person.email.casefold()]
        return by_name.get(person.name.casefold(), []) if person.name else []

    return of


def attendee_tasks(meeting: Meeting, tasks: Sequence[Task]) -> list[Task]:
    """The open tasks of the people in `meeting`: those whose descriptions a stand-up needs."""
    of = tasks_of_people(tasks)
    seen: dict[str, Task] = {}
    for person, _ in invited(meeting):
        seen.update((t.id, t) for t in of(person) if t.status is not Status.COMPLETED)
    return list(seen.values())


def carried_actions(
    actions: Iterable[ActionItem], meeting: Meeting, day: dt.date, tasks: Sequence[Task]
) -> tuple[ActionItem, ...]:
    """Open actions from earlier meetings of the series, less those whose Planner task is completed.

    A one-off meeting's series is its subject (as in `series_key`), so its actions are matched by subject.
    """
    done = {t.id for t in tasks if t.status is Status.COMPLETED}
    chosen = carried_over(actions, meeting.series_id, day)
    if meeting.series_id is None:
        subject = " ".join(meeting.subject.casefold().split())
        chosen = [a for a in chosen if " ".join(a.meeting_subject.casefold().split()) == subject]
    return tuple(a for a in chosen if a.planner_task_id is None or a.planner_task_id not in done)


def _same(a: Person, b: Person) -> bool:
    if a.email and b.email:
        return a.email.casefold() == b.email.casefold()
    return bool(a.name) and a.name.casefold() == b.name.casefold()
