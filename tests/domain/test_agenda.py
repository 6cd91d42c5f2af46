"""Agendas from hand-built meetings and plans: who says what at a stand-up, which meeting came before, time zones
across a DST change, and the items of every other kind of meeting."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assistant.domain.actions import ActionItem, ActionStatus
from assistant.domain.agenda import Agenda, build_agenda, previous_occurrence, tasks_of_people
from assistant.domain.agenda_items import (
    General,
    Planning,
    Retrospective,
    Review,
    Standup,
    Steering,
    next_working_day,
)
from assistant.domain.meeting_types import MeetingType
from assistant.domain.meetings import Attendee, AttendeeKind, Meeting, Response
from assistant.domain.people import Person
from assistant.domain.plans import Bucket, Plan, PlanSnapshot
from assistant.domain.project import Project
from assistant.domain.tasks import Status, Task

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 3, 4, 7, 0, tzinfo=dt.UTC)  # Wed 4 Mar, 08:00 in Berlin
TODAY = dt.date(2026, 3, 4)

MEGAN = Person("Megan Bowen", "megan.bowen@contoso.com", "u-megan")
ANA = Person("Ana Lima", "ana.lima@contoso.com", "u-ana")
BEN = Person("Ben Okafor", "ben.okafor@contoso.com", "u-ben")
CLEO = Person("Cleo Park", "cleo.park@contoso.com", "u-cleo")
DAN = Person("Dan Weiss", "dan.weiss@contoso.com", "u-dan")


def project(zone: str = "Europe/Berlin", name: str = "Atlas") -> Project:
    return Project("atlas", name, "plan", "team", "channel", "megan.bowen@contoso.com", ("Atlas",), zone, None)


def at(day: dt.date, hour: int = 9, minute: int = 45, zone: ZoneInfo = BERLIN) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), zone)


def invitee(person: Person, response: Response = Response.ACCEPTED, kind: AttendeeKind = AttendeeKind.REQUIRED):
    return Attendee(person, kind, response)


def meeting(
    subject: str = "Atlas stand-up",
    start: dt.datetime | None = None,
    minutes: int = 15,
    *,
    series: str | None = "series-standup",
    attendees: tuple[Attendee, ...] = (invitee(ANA), invitee(BEN), invitee(CLEO)),
    join_url: str | None = "https://teams.microsoft.com/l/meetup-join/abc",
    organizer: Person = MEGAN,
    organizer_zone: str | None = "Europe/Berlin",
    cancelled: bool = False,
    body: str = "",
    ident: str | None = None,
) -> Meeting:
    start = start or at(TODAY)
    return Meeting(
        id=ident or f"{series or subject}@{start.isoformat()}",
        series_id=series,
        subject=subject,
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        all_day=False,
        organizer=organizer,
        location="Microsoft Teams Meeting",
        join_url=join_url,
        categories=("Atlas",),
        cancelled=cancelled,
        attendees=attendees,
        body=body,
        organizer_zone=organizer_zone,
    )


def task(
    ident: str,
    *owners: Person,
    due: dt.date | None = None,
    status: Status = Status.NOT_STARTED,
    completed: dt.datetime | None = None,
    labels: tuple[str, ...] = (),
    description: str | None = None,
) -> Task:
    return Task(
        id=ident,
        title=f"Task {ident}",
        bucket="Build",
        status=Status.COMPLETED if completed else status,
        due=at(due, 12) if due else None,
        completed=completed,
        assignees=owners,
        labels=labels,
        percent=100 if completed else (50 if status is Status.IN_PROGRESS else 0),
        description=description,
        has_description=description is not None,
    )


def plan(*tasks: Task) -> PlanSnapshot:
    people = {p.id: p for t in tasks for p in t.assignees if p.id}
    return PlanSnapshot(Plan("plan", "Atlas plan", (Bucket("b", "Build"),), {}), tuple(tasks), people)


def agenda(m: Meeting, *tasks: Task, earlier: tuple[Meeting, ...] = (), **kw: object) -> Agenda:
    zone = kw.pop("zone", "Europe/Berlin")
    return build_agenda(m, project(str(zone)), plan(*tasks), earlier, kw.pop("actions", ()), kw.pop("now", NOW), **kw)  # type: ignore[arg-type]


def titles(tasks) -> list[str]:
    return [t.title for t in tasks]


# --- the stand-up ------------------------------------------------------------------------------------------


def test_each_person_says_what_closed_since_the_last_stand_up_what_is_due_late_and_blocked():
    yesterday = meeting(start=at(TODAY - dt.timedelta(days=1)))
    tasks = [
        task("closed-after", ANA, completed=at(TODAY - dt.timedelta(days=1), 16)),
        task("closed-before", ANA, completed=at(TODAY - dt.timedelta(days=1), 9, 0)),  # before yesterday's stand-up
        task("due-today", ANA, due=TODAY),
        task("due-tomorrow", ANA, BEN, due=TODAY + dt.timedelta(days=1)),
        task("due-later", ANA, due=TODAY + dt.timedelta(days=2)),
        task("late-1", BEN, due=TODAY - dt.timedelta(days=1)),
        task("late-5", BEN, due=TODAY - dt.timedelta(days=5), status=Status.IN_PROGRESS),
        task("blocker", DAN, due=TODAY + dt.timedelta(days=9)),
        task("waiting", CLEO, due=TODAY + dt.timedelta(days=6), description="Notes\nBlocked by: Task blocker\n"),
        task("labelled", CLEO, due=TODAY + dt.timedelta(days=8), labels=("blocked",)),
        task("waits-for-done", CLEO, due=TODAY + dt.timedelta(days=8), description="Blocked by: Task closed-before"),
    ]
    result = agenda(meeting(), *tasks, earlier=(yesterday,))
    content = result.content
    assert isinstance(content, Standup) and result.kind is MeetingType.STANDUP
    assert content.since == yesterday.start and result.previous == yesterday
    by_name = {u.person.name: u for u in content.people}
    assert list(by_name) == ["Ana Lima", "Ben Okafor", "Cleo Park"]  # invitation order; Megan has nothing
    ana, ben, cleo = by_name.values()
    assert titles(ana.closed) == ["Task closed-after"]
    assert titles(ana.due) == ["Task due-today", "Task due-tomorrow"]
    assert titles(ben.due) == ["Task due-tomorrow"] and titles(ben.late) == ["Task late-5", "Task late-1"]
    assert [(b.task.title, b.waiting_for) for b in cleo.blocked] == [
        ("Task waiting", ("Task blocker",)),
        ("Task labelled", ()),
    ]
    assert content.quiet == (MEGAN,)  # the organizer takes part too, and has nothing to report
    assert [b.task.title for b in content.blocked] == ["Task waiting", "Task labelled"]


def test_without_an_earlier_stand_up_closed_means_since_the_previous_working_day_at_the_same_time():
    monday = dt.date(2026, 3, 9)
    result = agenda(
        meeting(start=at(monday)),
        task("friday-morning", ANA, completed=at(dt.date(2026, 3, 6), 9, 0)),
        task("friday-noon", ANA, completed=at(dt.date(2026, 3, 6), 12, 0)),
        now=at(monday, 7),
    )
    assert isinstance(result.content, Standup)
    assert result.content.since == at(dt.date(2026, 3, 6))  # Friday 09:45, not Sunday
    assert titles(result.content.people[0].closed) == ["Task friday-noon"]


def test_on_friday_due_runs_to_monday():
    friday = dt.date(2026, 3, 6)
    result = agenda(
        meeting(start=at(friday)),
        task("mon", ANA, due=dt.date(2026, 3, 9)),
        task("tue", ANA, due=dt.date(2026, 3, 10)),
        now=at(friday, 7),
    )
    assert isinstance(result.content, Standup)
    assert result.content.next_working_day == dt.date(2026, 3, 9) == next_working_day(friday)
    assert titles(result.content.people[0].due) == ["Task mon"]


def test_attendees_are_matched_to_assignees_by_mail_ignoring_case_then_by_name():
    shouting = Person("A. Lima (Contoso)", "ANA.LIMA@CONTOSO.COM")
    renamed = Person("Ben Okafor", "ben@fabrikam.com")  # a guest address; the plan knows Ben by his work mail
    stranger = Person("Ana Lima", "other.ana@contoso.com")
    of = tasks_of_people([task("a", ANA), task("b", BEN)])
    assert titles(of(shouting)) == ["Task a"]
    assert titles(of(renamed)) == ["Task b"]
    assert titles(of(stranger)) == ["Task a"]  # no mail matches: the display name does
    assert of(Person("Nobody", "nobody@contoso.com")) == []


def test_facts_are_as_of_today_even_for_a_meeting_next_week():
    next_week = dt.date(2026, 3, 11)
    result = agenda(
        meeting(start=at(next_week)),
        task("due-friday", ANA, due=dt.date(2026, 3, 6)),  # due before the meeting, but not late today
        task("late", ANA, due=TODAY - dt.timedelta(days=2)),
    )
    assert result.as_of == TODAY and result.day == next_week
    assert isinstance(result.content, Standup)
    [ana] = result.content.people
    assert titles(ana.late) == ["Task late"] and titles(ana.due) == ["Task due-friday"]
    assert result.report.counts.late == 1


# --- which meeting came before -----------------------------------------------------------------------------


def test_the_previous_occurrence_is_the_latest_that_took_place_moved_ones_at_their_new_time():
    today = meeting()
    moved = meeting(start=at(TODAY - dt.timedelta(days=1), 11, 15), ident="moved")  # pushed back 90 minutes
    cancelled = meeting(start=at(TODAY - dt.timedelta(days=1), 9, 45), cancelled=True, ident="cancelled")
    other_series = meeting(start=at(TODAY, 8), series="series-other")
    later = meeting(start=at(TODAY + dt.timedelta(days=1)))
    older = meeting(start=at(TODAY - dt.timedelta(days=2)))
    found = previous_occurrence(today, [older, later, other_series, cancelled, moved, today])
    assert found is moved
    result = agenda(
        today,
        task("early", ANA, completed=at(TODAY - dt.timedelta(days=1), 10, 30)),  # before the moved stand-up
        task("late", ANA, completed=at(TODAY - dt.timedelta(days=1), 12, 0)),
        earlier=(older, cancelled, moved),
    )
    assert isinstance(result.content, Standup) and result.content.since == moved.start
    assert titles(result.content.people[0].closed) == ["Task late"]


def test_when_the_last_occurrence_was_cancelled_the_one_before_it_counts():
    """Graph leaves cancelled occurrences out of calendarView: the previous one is then two days back."""
    monday, friday = meeting(start=at(TODAY - dt.timedelta(days=2))), meeting(start=at(TODAY))
    result = agenda(friday, task("x", ANA, completed=at(TODAY - dt.timedelta(days=1), 12)), earlier=(monday,))
    assert result.previous is monday
    assert isinstance(result.content, Standup) and titles(result.content.people[0].closed) == ["Task x"]


def test_one_off_meetings_are_a_series_by_their_subject():
    first = meeting("Vendor  call", at(TODAY - dt.timedelta(days=7), 15), series=None)
    second = meeting("vendor call", at(TODAY, 15), series=None)
    assert previous_occurrence(second, [first]) is first
    assert previous_occurrence(second, [meeting("Other call", at(TODAY - dt.timedelta(days=7)), series=None)]) is None


# --- the header --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "berlin_hour"),
    [(dt.date(2026, 3, 6), 15), (dt.date(2026, 3, 9), 14)],  # New York moves to daylight time on 8 March
)
def test_a_new_york_series_across_the_us_dst_change_in_berlin_and_in_the_organizers_zone(day, berlin_hour):
    start = at(day, 9, 0, NEW_YORK)
    earlier = meeting(start=at(dt.date(2026, 3, 5), 9, 0, NEW_YORK), organizer_zone="America/New_York")
    result = agenda(meeting(start=start, organizer_zone="America/New_York"), earlier=(earlier,))
    assert (result.start.hour, result.start.minute, result.start.tzinfo) == (berlin_hour, 0, BERLIN)
    assert result.organizer_time is not None
    assert (result.organizer_time.start.hour, result.organizer_time.zone) == (9, "America/New_York")
    assert result.organizer_time.end - result.organizer_time.start == dt.timedelta(minutes=15)
    assert result.day == day and result.previous is earlier


def test_the_organizers_time_is_left_out_when_their_clock_shows_the_same():
    assert agenda(meeting(organizer_zone="Europe/Berlin")).organizer_time is None
    assert agenda(meeting(organizer_zone="Europe/Paris")).organizer_time is None  # another name, the same clock
    assert agenda(meeting(organizer_zone=None)).organizer_time is None
    assert agenda(meeting(organizer_zone="Not/AZone")).organizer_time is None


def test_attendees_without_answers_rooms_and_forty_people():
    people = [Person(f"Person {n:02}", f"p{n}@contoso.com") for n in range(40)]
    room = invitee(Person("Room 4.20", "room@contoso.com"), kind=AttendeeKind.RESOURCE)
    invited = (
        *(
            invitee(
                p,
                Response.NONE if n % 3 == 0 else Response.ACCEPTED,
                AttendeeKind.OPTIONAL if n % 4 == 0 else AttendeeKind.REQUIRED,
            )
            for n, p in enumerate(people)
        ),
        room,
    )
    result = agenda(meeting(attendees=invited), *(task(f"t{n}", p, due=TODAY) for n, p in enumerate(people)))
    assert len(result.required) + len(result.optional) == 40 and len(result.optional) == 10
    assert [r.name for r in result.rooms] == ["Room 4.20"]
    assert isinstance(result.content, Standup) and len(result.content.people) == 40
    assert [u.response for u in result.content.people[:2]] == ["no response", "accepted"]
    assert all(u.person.name != "Room 4.20" for u in result.content.people)


def test_no_join_link_and_markup_in_the_subject_are_carried_as_they_are():
    subject = "Atlas & <Ops> stand-up 🚀  daily"
    result = agenda(meeting(subject, join_url=None))
    assert result.meeting.join_url is None and result.kind is MeetingType.STANDUP
    assert result.series == "Atlas & <Ops> stand-up 🚀 daily"


# --- other kinds of meeting --------------------------------------------------------------------------------


def test_a_review_shows_what_was_done_since_the_last_review_work_in_progress_and_the_next_milestone():
    last = meeting("Atlas sprint review", at(TODAY - dt.timedelta(days=14), 11), 60, series="review")
    this = meeting("Atlas sprint review", at(TODAY, 11), 60, series="review")
    tasks = [
        task("done-since", ANA, completed=at(TODAY - dt.timedelta(days=3), 12)),
        task("done-before", ANA, completed=at(TODAY - dt.timedelta(days=15), 12)),
        task("busy", BEN, due=TODAY + dt.timedelta(days=3), status=Status.IN_PROGRESS),
        task("idle", BEN, due=TODAY + dt.timedelta(days=3)),
        task("gate-late", ANA, due=TODAY - dt.timedelta(days=1), labels=("Milestone",)),
        task("gate-next", ANA, due=TODAY + dt.timedelta(days=10), labels=("Milestone",)),
        task("gate-after", ANA, due=TODAY + dt.timedelta(days=30), labels=("Milestone",)),
    ]
    result = agenda(this, *tasks, earlier=(last,))
    content = result.content
    assert isinstance(content, Review) and content.since == last.start
    assert titles(content.achievements) == ["Task done-since"]
    assert titles(content.in_progress) == ["Task busy"]
    assert content.next_milestone is not None and content.next_milestone.task.title == "Task gate-next"
    assert [m.task.title for m in content.late_milestones] == ["Task gate-late"]
    first = agenda(this, *tasks)  # no earlier review: two weeks back
    assert isinstance(first.content, Review) and first.content.since == this.start - dt.timedelta(days=14)


def test_planning_lists_work_to_start_in_the_coming_sprint_work_without_owner_and_workload():
    last = meeting("Atlas sprint planning", at(TODAY - dt.timedelta(days=21), 10), 60, series="planning")
    this = meeting("Atlas sprint planning", at(TODAY, 10), 60, series="planning")
    tasks = [
        task("overdue-idle", ANA, due=TODAY - dt.timedelta(days=2)),
        task("in-sprint", BEN, due=TODAY + dt.timedelta(days=20)),
        task("after-sprint", BEN, due=TODAY + dt.timedelta(days=21)),
        task("started", BEN, due=TODAY + dt.timedelta(days=3), status=Status.IN_PROGRESS),
        task("nobody", due=TODAY + dt.timedelta(days=40)),
    ]
    content = agenda(this, *tasks, earlier=(last,)).content
    assert isinstance(content, Planning)
    assert content.sprint_end == TODAY + dt.timedelta(days=20)  # three weeks since the last planning
    assert titles(content.not_started) == ["Task overdue-idle", "Task in-sprint"]
    assert titles(content.unassigned) == ["Task nobody"]
    assert [(w.person.name, w.open) for w in content.workload] == [("Ben Okafor", 3), ("Ana Lima", 1)]


def test_a_retrospective_counts_what_was_done_on_time_and_what_slipped_in_the_sprint():
    last = meeting("Atlas retrospective", at(TODAY - dt.timedelta(days=14), 15), 45, series="retro")
    this = meeting("Atlas retrospective", at(TODAY, 15), 45, series="retro")
    tasks = [
        task("on-time", ANA, due=TODAY - dt.timedelta(days=5), completed=at(TODAY - dt.timedelta(days=6), 12)),
        task("done-late", ANA, due=TODAY - dt.timedelta(days=10), completed=at(TODAY - dt.timedelta(days=7), 12)),
        task("open-late", BEN, due=TODAY - dt.timedelta(days=4)),
        task("due-today", BEN, due=TODAY),  # due on the retro's day: next sprint's
        task("before-sprint", BEN, due=TODAY - dt.timedelta(days=20)),
    ]
    content = agenda(this, *tasks, earlier=(last,)).content
    assert isinstance(content, Retrospective)
    assert (content.period_start, content.period_end) == (TODAY - dt.timedelta(days=14), TODAY - dt.timedelta(days=1))
    assert (content.planned, content.on_time, content.pending) == (3, 1, 0)
    assert [(s.task.title, s.days, s.done) for s in content.slipped] == [
        ("Task open-late", 4, False),
        ("Task done-late", 3, True),
    ]
    assert titles(content.completed) == ["Task on-time", "Task done-late"]  # newest first
    early = agenda(this, *tasks, earlier=(last,), now=at(TODAY - dt.timedelta(days=6), 8))  # made a week early
    assert isinstance(early.content, Retrospective) and early.content.pending == 1  # open-late is not due yet


def test_steering_shows_rag_milestones_top_risks_and_decisions_needed():
    last = meeting("Atlas steering committee", at(TODAY - dt.timedelta(days=28), 14), 60, series="steering")
    this = meeting("Atlas steering committee", at(TODAY, 14), 60, series="steering")
    tasks = [
        task("gate", ANA, due=TODAY - dt.timedelta(days=3), labels=("Milestone",)),
        task("choose-vendor", ANA, due=TODAY + dt.timedelta(days=5), labels=("decision",)),
        task("chosen", ANA, due=TODAY - dt.timedelta(days=5), labels=("Decision",), completed=at(TODAY - dt.timedelta(days=6))),
        task("approve-budget", BEN, due=TODAY + dt.timedelta(days=2), labels=("Decision", "Security")),
        *(task(f"late-{n}", BEN, due=TODAY - dt.timedelta(days=n + 1)) for n in range(8)),
        task("done-this-month", BEN, completed=at(TODAY - dt.timedelta(days=20))),
    ]  # fmt: skip
    result = agenda(this, *tasks, earlier=(last,))
    content = result.content
    assert isinstance(content, Steering)
    assert titles(content.decisions) == ["Task approve-budget", "Task choose-vendor"]
    assert content.risks == result.report.risks[:5] and len(content.risks) <= 5
    assert [m.task.title for m in content.milestones] == ["Task gate"] and result.report.rag.value == "red"
    assert (result.report.period_start, result.report.period_end) == (TODAY - dt.timedelta(days=28), TODAY)
    assert "In the last 29 days the team completed 2 tasks" in result.report.summary


def test_a_general_meeting_keeps_the_invitations_text_without_the_join_block():
    body = "Topics:\r\n- QoS templates\r\n\r\n" + "_" * 80 + "\r\nMicrosoft Teams meeting\r\nJoin on your computer"
    result = agenda(meeting("Atlas vendor sync", series=None, body=body))
    assert result.kind is MeetingType.GENERAL
    assert isinstance(result.content, General) and result.content.invitation == "Topics:\n- QoS templates"


def test_the_kind_comes_from_the_projects_rules_unless_given():
    custom = dataclasses.replace(project(), meeting_rules=((MeetingType.STEERING, ("sync",)),))
    m = meeting("Atlas weekly sync")
    assert build_agenda(m, custom, plan(), (), (), NOW).kind is MeetingType.STEERING
    assert build_agenda(m, project(), plan(), (), (), NOW).kind is MeetingType.GENERAL  # no default keyword
    assert build_agenda(m, custom, plan(), (), (), NOW, kind=MeetingType.PLANNING).kind is MeetingType.PLANNING


# --- action items carried over -----------------------------------------------------------------------------


def action(ident: str, *, series: str | None = "series-standup", day: dt.date = TODAY - dt.timedelta(days=1),
           subject: str = "Atlas stand-up", **kw: object) -> ActionItem:  # fmt: skip
    return ActionItem(
        id=ident, text=f"Do {ident}", owner_text="@Ana", owner=ANA, due=kw.get("due"), meeting_id="m",  # type: ignore[arg-type]
        series_id=series, meeting_subject=subject, meeting_day=day,
        status=kw.get("status", ActionStatus.OPEN), planner_task_id=kw.get("planner_task_id"),  # type: ignore[arg-type]
    )  # fmt: skip


def test_open_actions_of_earlier_meetings_of_the_series_are_carried_over():
    actions = [
        action("older", day=TODAY - dt.timedelta(days=5)),
        action("yesterday"),
        action("today", day=TODAY),  # agreed in this very meeting: not carried over into it
        action("closed", status=ActionStatus.DONE),
        action("task-done", planner_task_id="t-done"),
        action("task-open", planner_task_id="t-open"),
        action("other-series", series="series-review"),
    ]
    tasks = [task("t-done", ANA, completed=at(TODAY - dt.timedelta(days=1))), task("t-open", ANA)]
    result = agenda(meeting(), *tasks, actions=actions)
    assert [a.id for a in result.carried_actions] == ["older", "task-open", "yesterday"]


def test_a_one_off_meeting_carries_the_actions_of_meetings_with_its_subject():
    actions = [
        action("same", series=None, subject="Atlas vendor call"),
        action("other", series=None, subject="Apollo vendor call"),
    ]
    result = agenda(meeting("Atlas  Vendor call", series=None), actions=actions)
    assert [a.id for a in result.carried_actions] == ["same"]
