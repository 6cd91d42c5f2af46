"""What each kind of meeting talks about, computed from the plan: the items of an agenda.

Pure functions of a plan snapshot, the status report as of the meeting's day, and the period the meeting looks
back over (since the previous meeting of its series). Definitions, in the same words: docs/agenda.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.domain.analysis import blocked_by
from assistant.domain.people import Person
from assistant.domain.project import Project
from assistant.domain.status import Milestone, Risk, StatusReport, Workload, by_due, open_tasks
from assistant.domain.tasks import Status, Task

DECISION_LABEL = "Decision"  # open tasks with this Planner label are decisions the steering committee owes
BLOCKED_LABEL = "Blocked"  # a task with this label is blocked even without a `Blocked by:` line
TOP_RISKS = 5


@dataclass(frozen=True)
class Blocked:
    task: Task
    waiting_for: tuple[str, ...]  # titles of the open tasks it names on `Blocked by:` lines; () when only labelled


@dataclass(frozen=True)
class PersonUpdate:
    """One person's turn at a stand-up."""

    person: Person  # as invited (name and address from the invitation)
    response: str  # the attendee's answer, `Response` value
    closed: tuple[Task, ...]  # completed since the previous stand-up, newest first
    due: tuple[Task, ...]  # open and due from today to the working day after the meeting
    late: tuple[Task, ...]  # open and due before today, most overdue first
    blocked: tuple[Blocked, ...]

    @property
    def has_news(self) -> bool:
        return bool(self.closed or self.due or self.late or self.blocked)


@dataclass(frozen=True)
class Standup:
    since: dt.datetime  # work closed from this moment on counts as "since the last stand-up"
    next_working_day: dt.date  # the working day after the meeting: "due" runs from today to this day
    people: tuple[PersonUpdate, ...]  # attendees with something to report, in invitation order
    quiet: tuple[Person, ...]  # attendees with nothing closed, due, late or blocked
    unassigned_due: tuple[Task, ...]  # due today or next working day with nobody on it
    blocked: tuple[Blocked, ...]  # every blocked open task of the plan, for "blockers and help needed"


@dataclass(frozen=True)
class Review:
    since: dt.datetime
    achievements: tuple[Task, ...]  # completed since the last review, newest first
    in_progress: tuple[Task, ...]  # open work under way, by due date
    next_milestone: Milestone | None  # the first open milestone not yet late
    late_milestones: tuple[Milestone, ...]


@dataclass(frozen=True)
class Planning:
    sprint_end: dt.date  # the last day the coming sprint covers
    not_started: tuple[Task, ...]  # not started and due by the sprint's end (overdue ones included)
    unassigned: tuple[Task, ...]  # open with nobody assigned, by due date
    workload: tuple[Workload, ...]


@dataclass(frozen=True)
class Slip:
    task: Task
    days: int  # days past the due date: when completed, or as of the meeting's day while open
    done: bool


@dataclass(frozen=True)
class Retrospective:
    since: dt.datetime
    period_start: dt.date  # due dates from here …
    period_end: dt.date  # … to here (the day before the retrospective) make the sprint's commitments
    completed: tuple[Task, ...]  # completed in the period, newest first
    planned: int  # tasks due in the period
    on_time: int  # of those, completed by their due date
    slipped: tuple[Slip, ...]  # of those, completed late or open past their due date; most days first
    pending: int  # of those, open and not due yet (only when the agenda is made before the sprint ends)


@dataclass(frozen=True)
class Steering:
    milestones: tuple[Milestone, ...]
    risks: tuple[Risk, ...]  # the most serious few
    decisions: tuple[Task, ...]  # open tasks labelled `Decision`, by due date


@dataclass(frozen=True)
class General:
    invitation: str  # the invitation's own text, without the Teams join block


Content = Standup | Review | Planning | Retrospective | Steering | General


def standup(
    report: StatusReport,
    tasks: Sequence[Task],
    meeting_day: dt.date,
    since: dt.datetime,
    until: dt.datetime,
    invited: Sequence[tuple[Person, str]],
    tasks_of: Callable[[Person], list[Task]],
) -> Standup:
    zone, day = report.project.zone, report.as_of
    following = next_working_day(meeting_day)
    blocked = _blocked(tasks, report.project)
    blocked_ids = {b.task.id: b for b in blocked}
    updates, quiet = [], []
    for person, response in invited:
        mine = tasks_of(person)
        update = PersonUpdate(
            person=person,
            response=response,
            closed=_completed_between(mine, since, until),
            due=tuple(by_due((t for t in open_tasks(mine) if day <= (t.due_date(zone) or dt.date.min) <= following),
                             report.project)),
            late=tuple(sorted((t for t in mine if t.is_late(day, zone)),
                              key=lambda t: (-t.days_late(day, zone), t.title.casefold()))),
            blocked=tuple(blocked_ids[t.id] for t in by_due(mine, report.project) if t.id in blocked_ids),
        )  # fmt: skip
        (updates.append(update) if update.has_news else quiet.append(person))
    unassigned = by_due(
        (t for t in open_tasks(tasks) if not t.assignees and day <= (t.due_date(zone) or dt.date.min) <= following),
        report.project,
    )
    return Standup(since, following, tuple(updates), tuple(quiet), tuple(unassigned), tuple(blocked))


def review(report: StatusReport, tasks: Sequence[Task], since: dt.datetime, until: dt.datetime) -> Review:
    in_progress = by_due((t for t in tasks if t.status is Status.IN_PROGRESS), report.project)
    ahead = [m for m in report.milestones if m.task.status is not Status.COMPLETED and not m.late]
    return Review(
        since=since,
        achievements=_completed_between(tasks, since, until),
        in_progress=tuple(in_progress),
        next_milestone=ahead[0] if ahead else None,
        late_milestones=tuple(m for m in report.milestones if m.late),
    )


def planning(report: StatusReport, tasks: Sequence[Task], meeting_day: dt.date, sprint_days: int) -> Planning:
    zone = report.project.zone
    end = meeting_day + dt.timedelta(days=sprint_days - 1)
    idle = (t for t in tasks if t.status is Status.NOT_STARTED and (t.due_date(zone) or dt.date.max) <= end)
    return Planning(
        sprint_end=end,
        not_started=tuple(by_due(idle, report.project)),
        unassigned=tuple(by_due((t for t in open_tasks(tasks) if not t.assignees), report.project)),
        workload=report.workload,
    )


def retrospective(
    report: StatusReport, tasks: Sequence[Task], meeting_day: dt.date, since: dt.datetime, until: dt.datetime
) -> Retrospective:
    zone = report.project.zone
    start, end = since.astimezone(zone).date(), meeting_day - dt.timedelta(days=1)
    planned = [t for t in tasks if start <= (t.due_date(zone) or dt.date.min) <= end]
    slipped, on_time, pending = [], 0, 0
    for task in planned:
        due = task.due_date(zone)
        assert due is not None
        done = task.completed.astimezone(zone).date() if task.completed else None
        if task.status is Status.COMPLETED and (done is None or done <= due):
            on_time += 1
        elif task.status is Status.COMPLETED and done is not None:
            slipped.append(Slip(task, (done - due).days, True))
        elif task.is_late(report.as_of, zone):
            slipped.append(Slip(task, task.days_late(report.as_of, zone), False))
        else:
            pending += 1
    slipped.sort(key=lambda s: (-s.days, s.task.title.casefold()))
    completed = _completed_between(tasks, since, until)
    return Retrospective(since, start, end, completed, len(planned), on_time, tuple(slipped), pending)


def steering(report: StatusReport, tasks: Sequence[Task]) -> Steering:
    label = DECISION_LABEL.casefold()
    decisions = (t for t in open_tasks(tasks) if any(name.casefold() == label for name in t.labels))
    return Steering(report.milestones, report.risks[:TOP_RISKS], tuple(by_due(decisions, report.project)))


def general(body: str) -> General:
    return General(invitation_text(body))


def invitation_text(body: str) -> str:
    """The invitation's plain text up to the join block Outlook appends (it starts with a rule of underscores)."""
    lines = []
    for line in body.replace("\r\n", "\n").split("\n"):
        if len(line.strip()) >= 10 and set(line.strip()) == {"_"}:
            break
        lines.append(line.rstrip())
    return "\n".join(lines).strip()


def next_working_day(day: dt.date) -> dt.date:
    """The next Monday-to-Friday day after `day` (public holidays are not known here)."""
    following = day + dt.timedelta(days=1)
    while following.weekday() >= 5:
        following += dt.timedelta(days=1)
    return following


def previous_working_day(day: dt.date) -> dt.date:
    before = day - dt.timedelta(days=1)
    while before.weekday() >= 5:
        before -= dt.timedelta(days=1)
    return before


def _completed_between(tasks: Sequence[Task], since: dt.datetime, until: dt.datetime) -> tuple[Task, ...]:
    done = [t for t in tasks if t.completed is not None and since <= t.completed < until]
    return tuple(sorted(done, key=lambda t: (t.completed, t.title), reverse=True))


def _blocked(tasks: Sequence[Task], project: Project) -> list[Blocked]:
    """Open tasks waiting for an open task they name on a `Blocked by:` line, or labelled `Blocked`."""
    by_title = {t.title.casefold().strip(): t for t in tasks}
    label = BLOCKED_LABEL.casefold()
    found = []
    for task in by_due(open_tasks(tasks), project):
        waiting = []
        for title in blocked_by(task):
            blocker = by_title.get(title.casefold().strip())
            if blocker is not None and blocker.status is not Status.COMPLETED:
                waiting.append(blocker.title)
        if waiting or any(name.casefold() == label for name in task.labels):
            found.append(Blocked(task, tuple(waiting)))
    return found
