"""The status analysis on hand-built plans: each definition in docs/status-report.md, as a user would check it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assistant.domain.meetings import Meeting
from assistant.domain.people import Person
from assistant.domain.plans import Bucket, Plan, PlanSnapshot
from assistant.domain.project import Project
from assistant.domain.report_rules import ReportRules
from assistant.domain.status import Rag, RiskKind, build_status, percent
from assistant.domain.tasks import Priority, Status, Task

BERLIN = ZoneInfo("Europe/Berlin")
AS_OF = dt.date(2026, 3, 4)  # a Wednesday
ANA = Person("Ana Silva", "ana@contoso.com", "u-ana")
BEN = Person("Ben Okoro", "ben@contoso.com", "u-ben")


def project(**rules: object) -> Project:
    return Project(
        key="p", name="Atlas", plan_id="plan", team_id="team", channel_id="chan", calendar="cal@contoso.com",
        meetings=("Atlas",), timezone="Europe/Berlin", status_schedule=None, rules=ReportRules(**rules),  # type: ignore[arg-type]
    )  # fmt: skip


def local(day: dt.date, hour: int = 12) -> dt.datetime:
    """An instant at `hour` o'clock Berlin time on `day`, in UTC as Planner stores it."""
    return dt.datetime.combine(day, dt.time(hour), BERLIN).astimezone(dt.UTC)


def task(
    title: str,
    due: dt.date | dt.datetime | None = None,
    percent_done: int = 0,
    people: tuple[Person, ...] = (ANA,),
    labels: tuple[str, ...] = (),
    completed: dt.date | None = None,
    created: dt.date | None = None,
    description: str | None = None,
    priority: Priority = Priority.MEDIUM,
) -> Task:
    due_at = local(due) if isinstance(due, dt.date) and not isinstance(due, dt.datetime) else due
    return Task(
        id=f"id-{title}", title=title, bucket="Build", status=Status.from_percent(percent_done), due=due_at,
        completed=local(completed) if completed else None, assignees=people, priority=priority,
        labels=labels, percent=percent_done, created=local(created) if created else None,
        has_description=description is not None, description=description,
    )  # fmt: skip


def report(*tasks: Task, meetings: tuple[Meeting, ...] = (), as_of: dt.date = AS_OF, **rules: object):
    plan = Plan("plan", "Atlas plan", (Bucket("b", "Build"),), {"category1": "Milestone"})
    snapshot = PlanSnapshot(plan, tuple(tasks), {})
    return build_status(project(**rules), snapshot, meetings, as_of)


def days(n: int) -> dt.date:
    return AS_OF + dt.timedelta(days=n)


def test_late_means_open_and_due_before_the_as_of_day_in_the_projects_zone():
    # Due "4 March" for a Berlin user is stored as 23:00Z on 3 March: not late on 4 March.
    midnight_due = dt.datetime(2026, 3, 3, 23, 0, tzinfo=dt.UTC)
    r = report(task("due today", midnight_due), task("due yesterday", days(-1)), task("done late", days(-5), 100))
    assert [t.title for t in r.late] == ["due yesterday"]
    assert r.days_late(r.late[0]) == 1
    assert r.counts.late == 1 and r.counts.completed == 1


def test_due_soon_is_the_next_seven_days_today_included():
    r = report(*(task(f"d{n}", days(n)) for n in (-1, 0, 6, 7)), task("no date"))
    assert [t.title for t in r.due_soon] == ["d0", "d6"]


def test_percent_complete_rounds_halves_up():
    assert percent(1, 8) == 13 and percent(1, 3) == 33 and percent(0, 0) == 0
    r = report(task("a", percent_done=100), task("b"), task("c"))
    assert r.percent_complete == 33


def test_achievements_are_the_period_ending_on_the_as_of_day():
    r = report(
        task("inside", percent_done=100, completed=days(-6)),
        task("edge", percent_done=100, completed=days(0)),
        task("outside", percent_done=100, completed=days(-7)),
    )
    assert {t.title for t in r.achievements} == {"inside", "edge"}
    assert (r.period_start, r.period_end) == (days(-6), AS_OF)


def test_milestones_at_risk_when_late_or_due_soon_and_not_started():
    r = report(
        task("M late", days(-2), 50, labels=("Milestone",)),
        task("M soon idle", days(3), labels=("milestone",)),
        task("M soon started", days(3), 10, labels=("Milestone",)),
        task("M later", days(30), labels=("Milestone",)),
    )
    state = {m.task.title: (m.at_risk, m.late) for m in r.milestones}
    assert state == {
        "M late": (True, True), "M soon idle": (True, False), "M soon started": (False, False), "M later": (False, False),
    }  # fmt: skip
    assert r.rag is Rag.RED and any("M late" in reason for reason in r.rag_reasons)
    assert [risk.kind for risk in r.risks][:2] == [RiskKind.MILESTONE_AT_RISK, RiskKind.MILESTONE_AT_RISK]


def test_milestone_label_is_configurable():
    r = report(task("Go live", days(-1), labels=("Gate",)), milestone_label="Gate")
    assert [m.task.title for m in r.milestones] == ["Go live"]


def test_workload_counts_each_assignee_and_flags_overload():
    shared = task("pair", days(1), people=(ANA, BEN))
    many = [task(f"ana {n}", days(-1 - n)) for n in range(3)]
    r = report(shared, *many, task("nobody", days(2), people=()), overload_late=2)
    rows = {w.person.name: w for w in r.workload}
    assert (rows["Ana Silva"].open, rows["Ana Silva"].late, rows["Ana Silva"].due_soon) == (4, 3, 1)
    assert rows["Ana Silva"].overloaded and not rows["Ben Okoro"].overloaded
    assert r.counts.unassigned == 1
    assert any(risk.kind is RiskKind.OVERLOADED and "Ana Silva" in risk.summary for risk in r.risks)


def test_unassigned_work_due_within_fourteen_days_is_a_risk():
    r = report(task("soon", days(13), people=()), task("later", days(14), people=()), task("owned", days(1)))
    (risk,) = [x for x in r.risks if x.kind is RiskKind.UNASSIGNED_DUE]
    assert risk.task_ids == ("id-soon",)


def test_blocked_when_the_blocker_is_open_and_not_due_before_the_task():
    r = report(
        task("Ship", days(3), description="Waiting.\nBlocked by: Firmware fix\n"),
        task("Firmware fix", days(5)),
        task("Install", days(10), description="Blocked by: Order parts"),
        task("Order parts", days(2)),  # due earlier: not a risk
        task("Train", days(10), description="blocked by:  firmware FIX "),  # due after its blocker: fine
    )
    blocked = [x for x in r.risks if x.kind is RiskKind.BLOCKED]
    assert [x.task_ids for x in blocked] == [("id-Ship", "id-Firmware fix")]
    assert "Firmware fix" in blocked[0].summary


def test_green_when_nothing_is_at_risk_and_amber_when_something_is():
    calm = report(task("a", days(20)), task("b", percent_done=100, completed=days(-1)))
    assert calm.rag is Rag.GREEN and calm.risks == ()
    worried = report(*(task(f"t{n}", days(20)) for n in range(9)), task("late one", days(-1)))
    assert worried.rag is Rag.AMBER  # 1 of 10 open tasks late: under the 20 % line


def test_red_when_too_much_is_late():
    r = report(*(task(f"late {n}", days(-1)) for n in range(3)), *(task(f"ok {n}", days(20)) for n in range(7)))
    assert r.rag is Rag.RED and "3 of 10 open tasks (30 %) are late" in r.rag_reasons[0]


def test_summary_is_plain_sentences_naming_risk_achievement_and_next_milestone():
    r = report(
        task("Order laptops", days(-3)),
        task("Pilot sign-off", days(12), labels=("Milestone",)),
        task("Image laptops", percent_done=100, completed=days(-1), priority=Priority.URGENT),
        task("Print labels", percent_done=100, completed=days(-2)),
    )
    sentences = [s for s in r.summary.split(". ") if s]
    assert 2 <= len(sentences) <= 4
    assert "Atlas is" in r.summary and "“Order laptops”" in r.summary
    assert "including “Image laptops”" in r.summary  # the urgent one is the main achievement
    assert "“Pilot sign-off”, due Mon 16 Mar" in r.summary
    assert "id-" not in r.summary and "RAG" not in r.summary


def test_an_empty_plan_is_green_and_says_so():
    r = report()
    assert r.rag is Rag.GREEN and r.counts.total == 0 and r.percent_complete == 0
    assert "no tasks" in r.summary


def test_burndown_rebuilds_open_work_from_created_and_completed_dates():
    r = report(
        task("old done", created=days(-30), percent_done=100, completed=days(-10)),
        task("new open", created=days(-3)),
        task("unknown age"),
        task("end", days(28), labels=("Milestone",), created=days(-60)),
    )
    points = {p.day: p.open for p in r.burndown.points}
    assert points[days(-14)] == 3  # old done, unknown age, end
    assert points[days(-7)] == 2  # old done finished on day -10
    assert points[AS_OF] == 3  # new open arrived
    assert len(r.burndown.points) == 9 and r.burndown.target == days(28)
    assert [p.ideal for p in r.burndown.points] == [None] * 8 + [3.0]  # today's pace line starts at today's count


def test_upcoming_meetings_show_each_series_once():
    def meeting(n: int, series: str | None, day: int, cancelled: bool = False) -> Meeting:
        start = local(days(day), 10)
        return Meeting(
            f"m{n}", series, f"Atlas {series or 'one-off'}", start, start + dt.timedelta(minutes=30), False,
            Person("Megan"), "", None, (), cancelled,
        )  # fmt: skip

    meetings = (
        meeting(1, "standup", 0),
        meeting(2, "standup", 1),
        meeting(3, None, 2, cancelled=True),
        meeting(4, None, 3),
    )
    r = report(task("a", days(5)), meetings=meetings)
    assert [m.id for m in r.upcoming_meetings] == ["m1", "m4"]


def test_two_thousand_tasks():
    people = tuple(Person(f"Person {n}", id=f"u{n}") for n in range(25))
    tasks = [
        task(f"T{n}", days(n % 60 - 20), (n * 37) % 101 if n % 3 else 100, people=(people[n % 25],),
             completed=days(-(n % 9)) if n % 3 == 0 else None, created=days(-(n % 50)))
        for n in range(2000)
    ]  # fmt: skip
    r = report(*tasks)
    assert r.counts.total == 2000
    assert r.counts.completed + r.counts.in_progress + r.counts.not_started == 2000
    assert len(r.workload) == 25 and sum(w.open for w in r.workload) == 2000 - r.counts.completed
    assert r.counts.late == len(r.late) == sum(1 for t in tasks if t.is_late(AS_OF, BERLIN))


@pytest.mark.parametrize("period", [1, 14])
def test_period_length_is_respected(period: int):
    plan = Plan("plan", "Atlas plan", (), {})
    snapshot = PlanSnapshot(plan, (task("x", percent_done=100, completed=days(-10)),), {})
    r = build_status(project(), snapshot, (), AS_OF, period_days=period)
    assert (len(r.achievements) == 1) == (period == 14)
    assert r.period_start == AS_OF - dt.timedelta(days=period - 1)
