"""The demo tenant: deterministic, stable ids, Graph-shaped, and full of the situations a coordinator meets.

Every test passes `now` explicitly; "late", "due soon" and "this week" are judged against that `now`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from assistant.sandbox.demo_tenant import (
    DEMO_APP_ID,
    DEMO_APP_SECRET,
    DEMO_TENANT_ID,
    READONLY_APP_ID,
    READONLY_APP_SECRET,
    build_demo_tenant,
    demo_projects,
)

NOW = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)  # a Thursday in winter (CET)
SUMMER = datetime(2027, 7, 2, 22, 45, tzinfo=UTC)  # a Friday late evening in summer (CEST/EDT)
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PLANNER_ID = re.compile(r"^[A-Za-z0-9_-]{28}$")
UTC_TEXT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z$")
LOCAL_TEXT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.0000000$")
CHANNEL_ID = re.compile(r"^19:[0-9a-f]{32}@thread\.tacv2$")
WINDOWS_ZONES = {"W. Europe Standard Time": "Europe/Berlin", "Eastern Standard Time": "America/New_York"}
# Every weekday, just after and just before midnight UTC: the edges of "today" and "the coming week".
SWEEP = [NOW + timedelta(days=d, hours=h) for d in range(7) for h in (-10.4, 13.4)]
# Weeks in which the US (2026-03-08) and Europe (2026-03-29) switch to daylight time.
DST_WEEKS = [datetime(2026, 3, 4, 7, 0, tzinfo=UTC), datetime(2026, 3, 26, 20, 0, tzinfo=UTC)]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@pytest.fixture(scope="module")
def tenant() -> dict[str, Any]:
    return build_demo_tenant(NOW)


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


def all_tasks(tenant: dict[str, Any]) -> list[dict[str, Any]]:
    return [task for plan in tenant["plans"] for task in plan["tasks"]]


def is_open(task: dict[str, Any]) -> bool:
    return task["percentComplete"] < 100


def ids(tenant: dict[str, Any]) -> dict[str, list[str]]:
    """Every id in the tenant, grouped by kind and in document order."""
    tasks = all_tasks(tenant)
    return {
        "users": [u["id"] for u in tenant["users"]],
        "teams": [t["id"] for t in tenant["teams"]],
        "channels": [c["id"] for t in tenant["teams"] for c in t["channels"]],
        "plans": [p["id"] for p in tenant["plans"]],
        "buckets": [b["id"] for p in tenant["plans"] for b in p["buckets"]],
        "tasks": [t["id"] for t in tasks],
        "checklist": [key for t in tasks for key in t["details"]["checklist"]],
        "events": [
            f"{mailbox}/{e['id']}/{e['iCalUId']}/" + ",".join(x["id"] for x in e.get("exceptionOccurrences", []))
            for mailbox, events in tenant["calendars"].items()
            for e in events
        ],
        "apps": [a["appId"] for a in tenant["applications"]],
    }


# ---------------------------------------------------------------------------------------- determinism and ids
def test_same_now_gives_identical_json() -> None:
    first = json.dumps(build_demo_tenant(NOW), sort_keys=True)
    assert first == json.dumps(build_demo_tenant(NOW), sort_keys=True)


def test_ids_are_stable_across_different_now_values() -> None:
    winter, summer = build_demo_tenant(NOW), build_demo_tenant(SUMMER)
    assert ids(winter) == ids(summer)
    assert all_tasks(winter)[0]["createdDateTime"] != all_tasks(summer)[0]["createdDateTime"]


def test_output_is_json_serialisable_without_special_floats(tenant: dict[str, Any]) -> None:
    text = json.dumps(tenant, allow_nan=False)
    assert json.loads(text) == tenant


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        build_demo_tenant(datetime(2026, 11, 26, 10, 30))  # a naive datetime: the point of the test


def test_ids_have_graph_formats(tenant: dict[str, Any]) -> None:
    found = ids(tenant)
    for kind in ("users", "teams", "apps"):
        assert all(GUID.match(value) for value in found[kind]), kind
    for kind in ("plans", "buckets", "tasks"):
        assert all(PLANNER_ID.match(value) for value in found[kind]), kind
    assert all(GUID.match(value) for value in found["checklist"])
    assert all(CHANNEL_ID.match(value) for value in found["channels"])
    for kind, values in found.items():
        assert len(values) == len(set(values)), f"duplicate {kind} ids"
    events = [e for events in tenant["calendars"].values() for e in events]
    assert all(e["id"].startswith("AAMkAG") and len(e["id"]) > 100 for e in events)


# ----------------------------------------------------------------------------------------- directory and apps
def test_users_have_the_graph_user_shape(tenant: dict[str, Any]) -> None:
    keys = set(
        """
        id displayName givenName surname mail userPrincipalName jobTitle department
        officeLocation businessPhones mobilePhone preferredLanguage
        """.split()
    )
    assert len(tenant["users"]) >= 12
    for user in tenant["users"]:
        assert set(user) == keys
        assert user["userPrincipalName"].endswith("@contoso.com")
        assert isinstance(user["businessPhones"], list)
    upns = {user["userPrincipalName"] for user in tenant["users"]}
    assert {"megan.bowen@contoso.com", "coordinator.bot@contoso.com"} <= upns
    assert tenant["tenant"] == {"id": DEMO_TENANT_ID, "displayName": "Contoso IT", "domain": "contoso.com"}


def test_applications_demo_app_and_read_only_app_without_planner(tenant: dict[str, Any]) -> None:
    apps = {app["appId"]: app for app in tenant["applications"]}
    demo, readonly = apps[DEMO_APP_ID], apps[READONLY_APP_ID]
    assert demo["secret"] == DEMO_APP_SECRET and readonly["secret"] == READONLY_APP_SECRET
    assert demo["displayName"] == "Coordinator (demo)"
    assert {"Tasks.ReadWrite.All", "Calendars.Read", "User.Read.All"} <= set(demo["roles"])
    assert {"ChannelMessage.Send", "offline_access"} <= set(demo["scopes"])
    assert set(readonly["roles"]) == {"Calendars.Read", "User.Read.All"}
    assert readonly["scopes"] == []
    assert not [role for role in readonly["roles"] if role.startswith(("Tasks.", "Group."))]


# ------------------------------------------------------------------------------------------------------ teams
def test_one_team_with_general_and_one_channel_per_project(tenant: dict[str, Any]) -> None:
    (team,) = tenant["teams"]
    assert team["displayName"] == "Contoso IT Projects"
    assert GUID.match(team["id"]) and team["tenantId"] == DEMO_TENANT_ID
    names = [channel["displayName"] for channel in team["channels"]]
    assert names[0] == "General" and len(names) == 4
    general = team["channels"][0]
    assert general["id"] == team["internalId"]  # as in Teams: the General channel's thread is the team's
    for channel in team["channels"]:
        assert channel["membershipType"] == "standard"
        assert channel["webUrl"].startswith("https://teams.microsoft.com/l/channel/19%3a")
        assert channel["tenantId"] == DEMO_TENANT_ID
        assert UTC_TEXT.match(channel["createdDateTime"])


# ------------------------------------------------------------------------------------------ Planner structure
def test_plans_buckets_and_tasks_reference_each_other(tenant: dict[str, Any]) -> None:
    user_ids = {user["id"] for user in tenant["users"]}
    group_id = tenant["teams"][0]["id"]
    assert len(tenant["plans"]) >= 3
    for plan in tenant["plans"]:
        assert plan["owner"] == group_id and plan["container"]["containerId"] == group_id
        assert plan["container"]["type"] == "group"
        assert plan["@odata.etag"].startswith('W/"')
        assert 4 <= len(plan["buckets"]) <= 6
        assert plan["details"]["id"] == plan["id"]
        assert set(plan["details"]["sharedWith"]) <= user_ids
        bucket_ids = {bucket["id"] for bucket in plan["buckets"]}
        assert all(bucket["planId"] == plan["id"] for bucket in plan["buckets"])
        assert 50 <= len(plan["tasks"]) <= 60
        for task in plan["tasks"]:
            assert task["planId"] == plan["id"]
            assert task["bucketId"] in bucket_ids
            assert task["details"]["id"] == task["id"]
            assert set(task["assignments"]) <= user_ids
            assert task["createdBy"]["user"]["id"] in user_ids


def test_category_descriptions_cover_25_labels(tenant: dict[str, Any]) -> None:
    for plan in tenant["plans"]:
        labels = plan["details"]["categoryDescriptions"]
        assert list(labels) == [f"category{n}" for n in range(1, 26)]
        assert labels["category1"] == "Milestone" and labels["category2"] == "Decision"
        assert labels["category25"] is None
        for task in plan["tasks"]:
            assert all(labels[name] and value is True for name, value in task["appliedCategories"].items())


def test_tasks_have_exactly_the_graph_fields(tenant: dict[str, Any]) -> None:
    keys = set(
        """
        @odata.etag id planId bucketId title orderHint assigneePriority percentComplete priority
        startDateTime createdDateTime dueDateTime completedDateTime completedBy createdBy
        hasDescription previewType referenceCount checklistItemCount activeChecklistItemCount
        conversationThreadId appliedCategories assignments details
        """.split()
    )
    for task in all_tasks(tenant):
        assert set(task) == keys
        assert task["priority"] in (1, 3, 5, 9)
        assert task["percentComplete"] in (0, 50, 100)
        for field in ("createdDateTime", "dueDateTime", "startDateTime", "completedDateTime"):
            assert task[field] is None or UTC_TEXT.match(task[field]), field
        if task["startDateTime"] and task["dueDateTime"]:
            assert parse(task["startDateTime"]) <= parse(task["dueDateTime"])
        assert parse(task["createdDateTime"]) < NOW
        for assignment in task["assignments"].values():
            assert assignment["@odata.type"] == "#microsoft.graph.plannerAssignment"
            assert UTC_TEXT.match(assignment["assignedDateTime"])


def test_completion_fields_agree_with_percent_complete(tenant: dict[str, Any]) -> None:
    for task in all_tasks(tenant):
        done = task["percentComplete"] == 100
        assert (task["completedDateTime"] is not None) == done
        assert (task["completedBy"] is not None) == done
        if done:
            assert parse(task["completedDateTime"]) < NOW


def test_checklist_and_reference_counters_match_details(tenant: dict[str, Any]) -> None:
    with_checklist = with_references = 0
    for task in all_tasks(tenant):
        details = task["details"]
        items = details["checklist"].values()
        assert task["checklistItemCount"] == len(items)
        assert task["activeChecklistItemCount"] == sum(not item["isChecked"] for item in items)
        assert task["referenceCount"] == len(details["references"])
        assert task["hasDescription"] == bool(details["description"])
        assert all(item["@odata.type"] == "#microsoft.graph.plannerChecklistItem" for item in items)
        for key, reference in details["references"].items():
            assert reference["@odata.type"] == "#microsoft.graph.plannerExternalReference"
            assert key.startswith("https%3A//") and "." not in key
        with_checklist += bool(items)
        with_references += bool(details["references"])
    assert with_checklist >= 9 and with_references >= 3


# -------------------------------------------------------------------------------------------- task situations
@pytest.mark.parametrize("now", [NOW, SWEEP[1], SWEEP[2], SUMMER], ids=["morning", "late", "early", "summer"])
def test_at_least_150_tasks_in_every_state_relative_to_now(now: datetime) -> None:
    tasks = all_tasks(build_demo_tenant(now))
    assert len(tasks) >= 150

    def due(task: dict[str, Any]) -> datetime | None:
        return parse(task["dueDateTime"]) if task["dueDateTime"] else None

    open_tasks = [t for t in tasks if is_open(t)]
    late = [t for t in open_tasks if (d := due(t)) and d.date() < now.date()]
    soon = [t for t in open_tasks if (d := due(t)) and now < d <= now + timedelta(days=7)]
    later = [t for t in open_tasks if (d := due(t)) and d > now + timedelta(days=7)]
    completed = [parse(t["completedDateTime"]) for t in tasks if not is_open(t)]
    recent = [moment for moment in completed if now - timedelta(days=7) <= moment < now]
    long_ago = [moment for moment in completed if moment < now - timedelta(days=30)]
    in_progress = [t for t in open_tasks if t["percentComplete"] == 50]
    not_started = [t for t in open_tasks if t["percentComplete"] == 0]
    no_due = [t for t in open_tasks if t["dueDateTime"] is None]
    unassigned = [t for t in open_tasks if not t["assignments"]]
    shared = [t for t in tasks if len(t["assignments"]) > 1]
    situations: dict[str, list[Any]] = {
        "late": late, "due soon": soon, "due later": later, "completed in the last 7 days": recent,
        "completed long ago": long_ago, "in progress": in_progress, "not started": not_started,
        "no due date": no_due, "unassigned": unassigned, "several assignees": shared,
    }  # fmt: skip
    for name, found in situations.items():
        assert len(found) >= 3, name


def test_milestones_decisions_and_one_milestone_at_risk(tenant: dict[str, Any]) -> None:
    for plan in tenant["plans"]:
        labels = {v: k for k, v in plan["details"]["categoryDescriptions"].items() if v}
        milestones = [t for t in plan["tasks"] if labels["Milestone"] in t["appliedCategories"]]
        decisions = [t for t in plan["tasks"] if labels["Decision"] in t["appliedCategories"]]
        assert len(milestones) >= 3 and decisions
    at_risk = [
        t
        for plan in tenant["plans"]
        for t in plan["tasks"]
        if {"category1", "category3"} <= set(t["appliedCategories"]) and is_open(t)  # Milestone + Blocked
    ]
    assert at_risk
    assert parse(at_risk[0]["dueDateTime"]) <= NOW + timedelta(days=7)


def test_blocked_by_lines_name_an_open_task_due_after_the_blocked_one(tenant: dict[str, Any]) -> None:
    blocked = 0
    for plan in tenant["plans"]:
        by_title = {task["title"]: task for task in plan["tasks"]}
        assert len(by_title) == len(plan["tasks"]), "titles must be unique for 'Blocked by' to resolve"
        for task in plan["tasks"]:
            for line in task["details"]["description"].splitlines():
                if line.startswith("Blocked by: "):
                    blocker = by_title[line.removeprefix("Blocked by: ")]
                    assert is_open(blocker) and is_open(task)
                    assert parse(blocker["dueDateTime"]) > parse(task["dueDateTime"])
                    blocked += 1
    assert 2 <= blocked <= 3


def test_one_person_is_clearly_overloaded(tenant: dict[str, Any]) -> None:
    late = Counter(
        user_id
        for task in all_tasks(tenant)
        if is_open(task) and task["dueDateTime"] and parse(task["dueDateTime"]) < NOW
        for user_id in task["assignments"]
    )
    (top, top_count), (_, runner_up) = late.most_common(2)
    names = {user["id"]: user["displayName"] for user in tenant["users"]}
    assert names[top] == "Tomasz Nowak"
    assert top_count >= 8 and top_count >= 3 * runner_up


@pytest.mark.parametrize("now", [NOW, SUMMER], ids=["winter", "summer"])
def test_some_due_dates_fall_at_project_local_midnight(now: datetime) -> None:
    tenant = build_demo_tenant(now)
    zones = {p["plan_id"]: ZoneInfo(p["timezone"]) for p in demo_projects(tenant).values()}
    found = 0
    for plan in tenant["plans"]:
        for task in plan["tasks"]:
            if task["dueDateTime"]:
                local = parse(task["dueDateTime"]).astimezone(zones[plan["id"]])
                found += local.hour == 0 and local.minute == 0
    assert found >= 3
    berlin = [t for t in tenant["plans"][0]["tasks"] if (t["dueDateTime"] or "").endswith("T23:00:00Z")]
    assert bool(berlin) == (now == NOW)  # CET midnight is 23:00Z; in summer (CEST) it is 22:00Z


def test_scale_multiplies_tasks_deterministically() -> None:
    base = build_demo_tenant(NOW)
    big = build_demo_tenant(NOW, scale=20)
    assert len(all_tasks(big)) >= 20 * len(all_tasks(base))
    assert [t["id"] for t in all_tasks(big)][: len(base["plans"][0]["tasks"])] == [
        t["id"] for t in base["plans"][0]["tasks"]
    ]
    for plan in big["plans"]:
        assert len({task["title"] for task in plan["tasks"]}) == len(plan["tasks"])
    assert json.dumps(big) == json.dumps(build_demo_tenant(NOW, scale=20))


# -------------------------------------------------------------------------------------------------- calendars
def events_of(tenant: dict[str, Any], mailbox: str = "megan.bowen@contoso.com") -> list[dict[str, Any]]:
    return tenant["calendars"][mailbox]


def to_utc(value: dict[str, str]) -> datetime:
    naive = datetime.fromisoformat(value["dateTime"])
    return naive.replace(tzinfo=ZoneInfo(WINDOWS_ZONES[value["timeZone"]])).astimezone(UTC)


def occurrences(event: dict[str, Any], start: datetime, end: datetime) -> list[datetime]:
    """Starts (UTC) in [start, end) of a single event or a weekly/relativeMonthly series (a test oracle)."""
    if event["type"] == "singleInstance":
        moment = to_utc(event["start"])
        return [moment] if start <= moment < end else []
    recurrence = event["recurrence"]
    pattern, first = recurrence["pattern"], date.fromisoformat(recurrence["range"]["startDate"])
    zone = ZoneInfo(WINDOWS_ZONES[recurrence["range"]["recurrenceTimeZone"]])
    clock = datetime.fromisoformat(event["start"]["dateTime"]).time()
    cancelled = {entry.rsplit(".", 1)[1] for entry in event["cancelledOccurrences"]}
    moved = {parse(x["originalStart"]): to_utc(x["start"]) for x in event["exceptionOccurrences"]}
    found = []
    day = first
    while day <= end.date() + timedelta(days=1):
        weekday = WEEKDAYS[day.weekday()]
        if pattern["type"] == "weekly":
            weeks = (day - (first - timedelta(days=first.weekday()))).days // 7
            hit = weekday in pattern["daysOfWeek"] and weeks % pattern["interval"] == 0
        else:
            index = ("first", "second", "third", "fourth").index(pattern["index"])
            hit = weekday in pattern["daysOfWeek"] and (day.day - 1) // 7 == index
        if hit and day.isoformat() not in cancelled:
            original = datetime.combine(day, clock, zone).astimezone(UTC)
            moment = moved.get(original, original)
            if start <= moment < end:
                found.append(moment)
        day += timedelta(days=1)
    return found


@pytest.mark.parametrize("now", [*SWEEP, *DST_WEEKS, SUMMER])
def test_the_coming_week_has_several_meetings_for_every_project(now: datetime) -> None:
    tenant = build_demo_tenant(now)
    events = events_of(tenant)
    for key, project in demo_projects(tenant).items():
        (keyword,) = project["meetings"]
        mine = [e for e in events if keyword in e["subject"] and keyword in e["categories"]]
        week = [moment for e in mine for moment in occurrences(e, now, now + timedelta(days=7))]
        assert len(week) >= 5, key


def test_series_masters_have_recurrence_in_windows_zones(tenant: dict[str, Any]) -> None:
    masters = [e for e in events_of(tenant) if e["type"] == "seriesMaster"]
    kinds = Counter(e["recurrence"]["pattern"]["type"] for e in masters)
    assert kinds["weekly"] >= 12 and kinds["relativeMonthly"] == 3
    for event in masters:
        rng = event["recurrence"]["range"]
        first = date.fromisoformat(rng["startDate"])
        assert NOW.date() - timedelta(days=70) <= first < NOW.date()
        assert rng["recurrenceTimeZone"] == event["start"]["timeZone"] == event["originalStartTimeZone"]
        assert event["start"]["dateTime"].startswith(rng["startDate"])
    standups = [e for e in masters if e["subject"].endswith("stand-up")]
    assert len(standups) == 3
    for standup in standups:
        assert standup["recurrence"]["pattern"]["daysOfWeek"] == list(WEEKDAYS[:5])
    zones = {e["recurrence"]["range"]["recurrenceTimeZone"] for e in standups}
    assert zones == {"W. Europe Standard Time", "Eastern Standard Time"}


@pytest.mark.parametrize("now", [*SWEEP, *DST_WEEKS, SUMMER])
def test_a_cancelled_and_a_moved_occurrence_in_the_coming_week(now: datetime) -> None:
    masters = [e for e in events_of(build_demo_tenant(now)) if e["type"] == "seriesMaster"]
    cancelled = [(e, entry) for e in masters for entry in e["cancelledOccurrences"]]
    assert cancelled
    for master, entry in cancelled:
        prefix, day = entry.rsplit(".", 1)
        assert prefix == f"OID.{master['id']}"
        assert now.date() < date.fromisoformat(day) <= now.date() + timedelta(days=7)
    moved = [(e, x) for e in masters for x in e["exceptionOccurrences"]]
    assert len(moved) >= 2
    for master, exception in moved:
        assert exception["type"] == "exception" and exception["seriesMasterId"] == master["id"]
        assert UTC_TEXT.match(exception["originalStart"])
        original, new = parse(exception["originalStart"]), to_utc(exception["start"])
        assert original != new
        assert now < new <= now + timedelta(days=7)
        assert original in occurrences({**master, "exceptionOccurrences": []}, now, now + timedelta(days=8))


def test_events_have_the_graph_event_shape(tenant: dict[str, Any]) -> None:
    required = set(
        """
        @odata.etag id iCalUId subject bodyPreview body start end originalStartTimeZone
        originalEndTimeZone isAllDay isCancelled isOrganizer isOnlineMeeting
        onlineMeetingProvider onlineMeeting onlineMeetingUrl organizer attendees location
        locations categories importance sensitivity showAs type seriesMasterId webLink
        responseStatus reminderMinutesBeforeStart isReminderOn hasAttachments changeKey
        createdDateTime lastModifiedDateTime
        """.split()
    )
    responses: Counter[str] = Counter()
    for mailbox, events in tenant["calendars"].items():
        for event in events:
            assert required <= set(event), event["subject"]
            assert event["type"] in ("singleInstance", "seriesMaster")
            assert event["@odata.etag"] == f'W/"{event["changeKey"]}"'
            assert event["body"]["contentType"] == "html" and len(event["bodyPreview"]) <= 255
            assert LOCAL_TEXT.match(event["start"]["dateTime"]) and LOCAL_TEXT.match(event["end"]["dateTime"])
            assert to_utc(event["start"]) < to_utc(event["end"])
            assert UTC_TEXT.match(event["createdDateTime"]) and UTC_TEXT.match(event["lastModifiedDateTime"])
            assert parse(event["createdDateTime"]) <= parse(event["lastModifiedDateTime"]) < NOW
            assert event["isOrganizer"] == (event["organizer"]["emailAddress"]["address"] == mailbox)
            if event["isOnlineMeeting"]:
                assert event["onlineMeetingProvider"] == "teamsForBusiness"
                assert event["onlineMeeting"]["joinUrl"].startswith("https://teams.microsoft.com/l/meetup-join/")
                assert event["onlineMeetingUrl"] is None
            for attendee in event["attendees"]:
                assert attendee["type"] in ("required", "optional", "resource")
                status = attendee["status"]
                responses[status["response"]] += 1
                assert (status["time"] == "0001-01-01T00:00:00Z") == (status["response"] == "none")
    assert {"none", "accepted", "tentativelyAccepted", "declined"} <= set(responses)


def test_all_day_events_run_midnight_to_midnight(tenant: dict[str, Any]) -> None:
    all_day = [e for e in events_of(tenant) if e["isAllDay"]]
    assert {e["subject"] for e in all_day} >= {"Apollo cutover weekend"}
    for event in all_day:
        start, end = (datetime.fromisoformat(event[k]["dateTime"]) for k in ("start", "end"))
        assert start.time() == end.time() == datetime.min.time() and (end - start).days >= 1
        assert event["start"]["timeZone"] == event["originalStartTimeZone"]


def test_unrelated_meetings_match_no_project_keyword(tenant: dict[str, Any]) -> None:
    keywords = [keyword for p in demo_projects(tenant).values() for keyword in p["meetings"]]
    unrelated = [
        e
        for e in events_of(tenant)
        if not any(k.lower() in e["subject"].lower() or k in e["categories"] for k in keywords)
    ]
    assert len(unrelated) >= 3
    assert any("1:1" in e["subject"] for e in unrelated) and any("Lunch" in e["subject"] for e in unrelated)


def test_shared_meetings_appear_in_each_mailbox_with_its_own_id(tenant: dict[str, Any]) -> None:
    assert len(tenant["calendars"]) >= 2
    by_uid: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for mailbox, events in tenant["calendars"].items():
        for event in events:
            by_uid.setdefault(event["iCalUId"], []).append((mailbox, event))
    shared = [copies for copies in by_uid.values() if len(copies) > 1]
    assert shared
    for copies in shared:
        assert len({event["id"] for _, event in copies}) == len(copies)
        assert sum(event["isOrganizer"] for _, event in copies) <= 1
        for _, event in copies:
            if not event["isOrganizer"]:
                assert event["responseStatus"]["response"] in ("accepted", "tentativelyAccepted")


# -------------------------------------------------------------------------------------- project configuration
def test_demo_projects_resolve_to_tenant_ids(tenant: dict[str, Any]) -> None:
    projects = demo_projects(tenant)
    assert set(projects) == {"apollo", "atlas", "meridian"}
    plans = {plan["id"] for plan in tenant["plans"]}
    (team,) = tenant["teams"]
    channels = {channel["id"] for channel in team["channels"]}
    upns = {user["userPrincipalName"] for user in tenant["users"]}
    for project in projects.values():
        keys = {
            "name",
            "plan_id",
            "team_id",
            "channel_id",
            "calendar",
            "meetings",
            "timezone",
            "status_schedule",
        }
        assert set(project) == keys
        assert project["plan_id"] in plans and project["team_id"] == team["id"]
        assert project["channel_id"] in channels and project["channel_id"] != team["internalId"]
        assert project["calendar"] in upns and project["calendar"] in tenant["calendars"]
        ZoneInfo(project["timezone"])
        assert len(project["status_schedule"].split()) == 5
    assert {p["timezone"] for p in projects.values()} == {"Europe/Berlin", "America/New_York"}
    assert demo_projects(build_demo_tenant(SUMMER)) == projects  # configuration does not depend on `now`


def test_the_sandbox_loader_accepts_the_demo_tenant(tenant: dict[str, Any]) -> None:
    loader = pytest.importorskip("assistant.sandbox.tenant")
    assert loader.validate_tenant(json.loads(json.dumps(tenant)), source="demo") is not None
