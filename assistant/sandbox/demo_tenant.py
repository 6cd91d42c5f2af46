"""The built-in demo tenant "Contoso IT": a Graph v1.0-shaped document for the sandbox server.

`build_demo_tenant(now)` returns the whole tenant (format: docs/tenant-format.md). Every date is relative to
`now`, so the demo always shows tasks due next week and meetings tomorrow. Ids never depend on `now`: they are
derived from names (uuid5 / hashes), so a configuration naming a plan or channel keeps working across days.
The only randomness is a `random.Random` with a constant seed per project, so output is a pure function of
(`now`, `scale`). The content itself (people, task titles, cadences) lives in `demo_tenant_data.py`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from assistant.sandbox import demo_tenant_data as data

Json = dict[str, Any]

DEMO_TENANT_ID = "0fd2c1be-9acb-5747-84a3-7bb460b10e62"
DEMO_APP_ID = "1d49ac92-8904-54a2-9b99-9f493c1e0341"
DEMO_APP_SECRET = "sandbox-demo-secret-not-for-production"  # noqa: S105 - sandbox-only credential
READONLY_APP_ID = "b744c9ec-ac9e-5b55-b3bc-0b63c07be1aa"
READONLY_APP_SECRET = "sandbox-readonly-secret-not-for-production"  # noqa: S105 - sandbox-only credential

DEMO_APP_ROLES = ["User.Read.All", "Calendars.Read", "Tasks.ReadWrite.All", "Team.ReadBasic.All",
                  "Channel.ReadBasic.All", "Files.ReadWrite.All"]  # fmt: skip
DEMO_APP_SCOPES = ["ChannelMessage.Send", "User.Read", "Calendars.Read", "Tasks.ReadWrite",
                   "Files.ReadWrite.All", "offline_access"]  # fmt: skip
READONLY_APP_ROLES = ["Calendars.Read", "User.Read.All"]

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "demo.contoso.com")
_NO_TIME = "0001-01-01T00:00:00Z"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_OWA_ITEM = "https://outlook.office365.com/owa/?itemid={}&exvsurl=1&path=/calendar/item"
_DUE_HOUR = 16  # Planner due dates are stored at 16:00Z unless the task is due at project-local midnight
_RESPONSES = ("accepted", "accepted", "accepted", "tentativelyAccepted", "declined", "none")
_OWNER_RESPONSES = ("accepted", "tentativelyAccepted")


# -------------------------------------------------------------------------------------------- ids and formats
def _guid(kind: str, name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{name}"))


def _digest(key: str, size: int = 32) -> bytes:
    return hashlib.sha256(key.encode()).digest()[:size]


def _planner_id(kind: str, key: str) -> str:
    """28 URL-safe characters, like Planner's ids (21 bytes encode to 28 base64 characters)."""
    return base64.urlsafe_b64encode(_digest(f"{kind}:{key}", 21)).decode()


def _planner_etag(kind: str, key: str) -> str:
    """Planner etags are base64 of "'1-Task  @@…X'"-like strings; the last letter varies per resource."""
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[_digest(key)[0] % 26]
    return 'W/"' + base64.b64encode(f"'1-{kind:<6}{'@' * 16}{letter}'".encode()).decode() + '"'


def _order_hint(index: int) -> str:
    return str(8585269241124408024 + index * 104729)


def _stamp(moment: datetime, key: str = "") -> str:
    """A system timestamp as Graph writes it: UTC, 7 fractional digits, "Z"."""
    ticks = int.from_bytes(_digest(key, 3), "big") % 10_000_000 if key else 0
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S}.{ticks:07d}Z"


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S}Z"


def _reference_key(url: str) -> str:
    """Planner keys external references by the URL with % . : @ # percent-encoded (see the docs sample)."""
    for char, code in (("%", "%25"), (".", "%2E"), (":", "%3A"), ("@", "%40"), ("#", "%23")):
        url = url.replace(char, code)
    return url


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class _Context:
    now: datetime
    today: date  # now's UTC date: day offsets in the data count from here
    users: dict[str, Json]  # alias -> Graph user

    def at(self, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
        return datetime.combine(self.today + timedelta(days=day), time(hour, minute, second), UTC)

    def uid(self, alias: str) -> str:
        return str(self.users[alias]["id"])

    def ident(self, alias: str) -> Json:
        return {"user": {"id": self.uid(alias)}}


# ------------------------------------------------------------------------------------------------- public API
def build_demo_tenant(now: datetime, scale: int = 1) -> dict[str, Any]:
    """The whole demo tenant as of `now` (an aware datetime); `scale` multiplies the tasks of every plan."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if scale < 1:
        raise ValueError("scale must be at least 1")
    users = [_user(person) for person in data.PEOPLE]
    by_alias = {person.alias: user for person, user in zip(data.PEOPLE, users, strict=True)}
    ctx = _Context(now=now, today=now.astimezone(UTC).date(), users=by_alias)
    team = _team(ctx)
    return {
        "tenant": {"id": DEMO_TENANT_ID, "displayName": "Contoso IT", "domain": data.DOMAIN},
        "users": users,
        "applications": _applications(),
        "teams": [team],
        "plans": [_plan(ctx, project, team["id"], scale) for project in data.PROJECTS],
        "calendars": _calendars(ctx),
    }


def demo_projects(tenant: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Coordinator's project configuration for the demo tenant, with ids looked up in `tenant`."""
    team = next(t for t in tenant["teams"] if t["displayName"] == data.TEAM_NAME)
    plans = {plan["title"]: plan["id"] for plan in tenant["plans"]}
    channels = {channel["displayName"]: channel["id"] for channel in team["channels"]}
    users = {user["id"]: user["userPrincipalName"] for user in tenant["users"]}
    organizer = users[_guid("user", _upn(data.COORDINATOR))]
    return {
        project.key: {
            "name": project.name,
            "plan_id": plans[project.name],
            "team_id": team["id"],
            "channel_id": channels[project.channel],
            "calendar": organizer,
            "meetings": [project.code],
            "timezone": project.timezone,
            "status_schedule": project.status_schedule,
        }
        for project in data.PROJECTS
    }


# -------------------------------------------------------------------------------------------------- directory
def _upn(alias: str) -> str:
    person = next(p for p in data.PEOPLE if p.alias == alias)
    local = data.UPN_OVERRIDES.get(alias, f"{person.given}.{person.surname}".lower())
    return f"{local}@{data.DOMAIN}"


def _user(person: data.Person) -> Json:
    upn = _upn(person.alias)
    return {
        "id": _guid("user", upn),
        "displayName": f"{person.given} {person.surname}",
        "givenName": person.given,
        "surname": person.surname,
        "mail": upn,
        "userPrincipalName": upn,
        "jobTitle": person.job_title,
        "department": person.department,
        "officeLocation": person.office,
        "businessPhones": [person.phone] if person.phone else [],
        "mobilePhone": person.mobile,
        "preferredLanguage": person.language,
    }


def _applications() -> list[Json]:
    return [
        {"appId": DEMO_APP_ID, "displayName": "Coordinator (demo)", "secret": DEMO_APP_SECRET,
         "roles": list(DEMO_APP_ROLES), "scopes": list(DEMO_APP_SCOPES)},
        {"appId": READONLY_APP_ID, "displayName": "Calendar reader (demo, no Planner access)",
         "secret": READONLY_APP_SECRET, "roles": list(READONLY_APP_ROLES), "scopes": []},
    ]  # fmt: skip


def _thread_id(name: str) -> str:
    return f"19:{uuid.uuid5(_NAMESPACE, f'channel:{name}').hex}@thread.tacv2"


def _team(ctx: _Context) -> Json:
    group_id = _guid("group", data.TEAM_NAME)
    general = _thread_id(f"{data.TEAM_NAME}/General")
    query = f"groupId={group_id}&tenantId={DEMO_TENANT_ID}"

    def encoded(thread: str) -> str:
        return thread.replace(":", "%3a").replace("@", "%40")

    def channel(thread: str, name: str, description: str | None, created: datetime) -> Json:
        email = f"{_digest(thread).hex()[:8]}.{data.DOMAIN}@emea.teams.ms"
        return {
            "id": thread,
            "createdDateTime": _stamp(created, thread),
            "displayName": name,
            "description": description,
            "isFavoriteByDefault": name == "General" or None,
            "email": email,
            "webUrl": f"https://teams.microsoft.com/l/channel/{encoded(thread)}/{quote(name)}?{query}",
            "membershipType": "standard",
            "isArchived": False,
            "tenantId": DEMO_TENANT_ID,
        }

    created = ctx.at(-150, 9, 12, 40)
    channels = [channel(general, "General", data.TEAM_DESCRIPTION, created)]
    for offset, project in enumerate(data.PROJECTS):
        thread = _thread_id(f"{data.TEAM_NAME}/{project.key}")
        created_at = ctx.at(-70 + offset, 10)
        channels.append(channel(thread, project.channel, project.channel_description, created_at))
    return {
        "id": group_id,
        "createdDateTime": _stamp(created, group_id),
        "displayName": data.TEAM_NAME,
        "description": data.TEAM_DESCRIPTION,
        "internalId": general,
        "classification": None,
        "specialization": "none",
        "visibility": "private",
        "webUrl": f"https://teams.microsoft.com/l/team/{encoded(general)}/conversations?{query}",
        "isArchived": False,
        "tenantId": DEMO_TENANT_ID,
        "memberSettings": {"allowCreateUpdateChannels": True, "allowDeleteChannels": False,
                           "allowAddRemoveApps": True, "allowCreateUpdateRemoveTabs": True,
                           "allowCreateUpdateRemoveConnectors": True, "allowCreatePrivateChannels": True},
        "guestSettings": {"allowCreateUpdateChannels": False, "allowDeleteChannels": False},
        "messagingSettings": {"allowUserEditMessages": True, "allowUserDeleteMessages": True,
                              "allowOwnerDeleteMessages": True, "allowTeamMentions": True,
                              "allowChannelMentions": True},
        "funSettings": {"allowGiphy": True, "giphyContentRating": "moderate", "allowStickersAndMemes": True,
                        "allowCustomMemes": True},
        "channels": channels,
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------------- Planner
@dataclass(frozen=True)
class _PlanContext:
    ctx: _Context
    project: data.Project
    plan_id: str
    bucket_ids: tuple[str, ...]
    categories: dict[str, str]  # label name -> categoryN
    rng: random.Random


def _plan(ctx: _Context, project: data.Project, group_id: str, scale: int) -> Json:
    plan_id = _planner_id("plan", project.key)
    labels = (*data.CATEGORY_NAMES, project.extra_label)
    descriptions: dict[str, str | None] = {f"category{n}": None for n in range(1, 26)}
    descriptions.update({f"category{n}": label for n, label in enumerate(labels, start=1)})
    buckets = [
        {
            "@odata.etag": _planner_etag("Bucket", f"{plan_id}/{name}"),
            "name": name,
            "planId": plan_id,
            "orderHint": _order_hint(1000 * index),
            "id": _planner_id("bucket", f"{project.key}/{name}"),
        }
        for index, name in enumerate(project.buckets)
    ]
    plan = _PlanContext(
        ctx=ctx,
        project=project,
        plan_id=plan_id,
        bucket_ids=tuple(bucket["id"] for bucket in buckets),
        categories={label: f"category{n}" for n, label in enumerate(labels, start=1)},
        rng=random.Random(f"contoso-demo/{project.key}"),
    )
    tasks = [_task(plan, row, cycle, index) for cycle in range(scale) for index, row in enumerate(project.tasks)]
    return {
        "@odata.etag": _planner_etag("Plan", plan_id),
        "id": plan_id,
        "title": project.name,
        "createdDateTime": _stamp(ctx.at(-65, 8, 31, 5), plan_id),
        "owner": group_id,
        "createdBy": ctx.ident(data.COORDINATOR),
        "container": {"containerId": group_id, "type": "group",
                      "url": f"https://graph.microsoft.com/v1.0/groups/{group_id}"},
        "details": {
            "@odata.etag": _planner_etag("PlanDetails", plan_id),
            "id": plan_id,
            "sharedWith": {user["id"]: True for user in ctx.users.values()},
            "categoryDescriptions": descriptions,
        },
        "buckets": buckets,
        "tasks": tasks,
    }  # fmt: skip


def _cycle_title(project: data.Project, title: str, cycle: int) -> str:
    """Scaled-up tenants repeat the task table per wave/site/branch; titles stay unique within a plan."""
    return title if cycle == 0 else f"{title} [{project.unit} {cycle + 1}]"


def _due(plan: _PlanContext, row: data.TaskRow, day: int) -> datetime:
    if row.title in plan.project.midnight_due:
        zone = ZoneInfo(plan.project.timezone)
        return datetime.combine(plan.ctx.today + timedelta(days=day), time(0), zone).astimezone(UTC)
    return plan.ctx.at(day, _DUE_HOUR)


def _task(plan: _PlanContext, row: data.TaskRow, cycle: int, index: int) -> Json:
    ctx, project, rng = plan.ctx, plan.project, plan.rng
    key = f"{project.key}/{cycle}/{index}"
    task_id = _planner_id("task", key)
    title = _cycle_title(project, row.title, cycle)
    assignees = row.who.split()
    creator = rng.choice([data.COORDINATOR, data.COORDINATOR, project.lead])

    completed: datetime | None = None
    due: datetime | None = None
    if row.state == "done":
        completed = ctx.at(row.day or 0, rng.randint(8, 18), rng.randint(0, 59), rng.randint(0, 59))
        slip = rng.choice([-3, -1, 0, 0, 0, 1, 2, None])
        due = None if slip is None else ctx.at((row.day or 0) + slip, _DUE_HOUR)
    elif row.day is not None:
        due = _due(plan, row, row.day)
    start: datetime | None = None
    if due is not None and (row.state != "open" or rng.random() < 0.3):
        start = (due - timedelta(days=rng.randint(3, 15))).replace(hour=8, minute=0)
    anchors = [moment for moment in (start, due, completed, ctx.now - timedelta(days=3)) if moment]
    created = min(anchors) - timedelta(days=rng.randint(2, 12), seconds=rng.randint(0, 36000))
    created_at = _stamp(created, key)
    assigned_at = _stamp(created + timedelta(minutes=rng.randint(1, 90)), key + "/assigned")

    details = _task_details(plan, row, cycle, task_id, created, completed, assignees or [creator])
    categories = [plan.categories[label] for label in row.labels.split(",") if label]
    checklist = details["checklist"].values()
    return {
        "@odata.etag": _planner_etag("Task", task_id),
        "planId": plan.plan_id,
        "bucketId": plan.bucket_ids[row.bucket],
        "title": title,
        "orderHint": _order_hint(index + cycle * len(project.tasks)),
        "assigneePriority": _order_hint(index * 7) if assignees else "",
        "percentComplete": {"done": 100, "wip": 50}.get(row.state, 0),
        "startDateTime": _utc(start) if start else None,
        "createdDateTime": created_at,
        "dueDateTime": _utc(due) if due else None,
        "hasDescription": bool(details["description"]),
        "previewType": "automatic",
        "completedDateTime": _stamp(completed, key + "/done") if completed else None,
        "completedBy": ctx.ident(assignees[0] if assignees else creator) if completed else None,
        "referenceCount": len(details["references"]),
        "checklistItemCount": len(checklist),
        "activeChecklistItemCount": sum(1 for item in checklist if not item["isChecked"]),
        "conversationThreadId": None,
        "priority": row.priority,
        "id": task_id,
        "createdBy": ctx.ident(creator),
        "appliedCategories": {category: True for category in categories},
        "assignments": {
            ctx.uid(alias): {
                "@odata.type": "#microsoft.graph.plannerAssignment",
                "assignedBy": ctx.ident(creator),
                "assignedDateTime": assigned_at,
                "orderHint": f"{_order_hint(index)[:14]}{position}!",
            }
            for position, alias in enumerate(assignees)
        },
        "details": details,
    }


def _task_details(
    plan: _PlanContext,
    row: data.TaskRow,
    cycle: int,
    task_id: str,
    created: datetime,
    completed: datetime | None,
    editors: list[str],
) -> Json:
    ctx, project = plan.ctx, plan.project
    description = project.descriptions.get(row.title, "")
    blocker = project.blocked_by.get(row.title)
    if blocker:
        line = f"Blocked by: {_cycle_title(project, blocker, cycle)}"
        description = f"{description}\n{line}" if description else line
    edited = min(ctx.now - timedelta(hours=2), (completed or ctx.now) - timedelta(minutes=5))
    edited = max(edited, created + timedelta(minutes=1))
    checklist = {
        _guid("checklist", f"{task_id}/{position}"): {
            "@odata.type": "#microsoft.graph.plannerChecklistItem",
            "isChecked": checked or row.state == "done",
            "title": item,
            "orderHint": f"{_order_hint(position)} !",
            "lastModifiedBy": ctx.ident(editors[position % len(editors)]),
            "lastModifiedDateTime": _stamp(edited - timedelta(hours=position), f"{task_id}/{position}"),
        }
        for position, (item, checked) in enumerate(project.checklists.get(row.title, ()))
    }
    references = {
        _reference_key(url): {
            "@odata.type": "#microsoft.graph.plannerExternalReference",
            "alias": alias,
            "type": kind,
            "previewPriority": _order_hint(position),
            "lastModifiedBy": ctx.ident(editors[0]),
            "lastModifiedDateTime": _stamp(created + timedelta(minutes=30), url),
        }
        for position, (url, alias, kind) in enumerate(project.references.get(row.title, ()))
    }
    return {
        "@odata.etag": _planner_etag("TaskDetails", task_id),
        "description": description,
        "previewType": "automatic",
        "references": references,
        "checklist": checklist,
        "id": task_id,
    }


# -------------------------------------------------------------------------------------------------- calendars
_Attendee = tuple[str, str, str, str]  # name, address, type, response


@dataclass(frozen=True)
class _Meeting:
    """A meeting before it is rendered into the mailboxes of its organizer and attendees."""

    key: str
    subject: str
    organizer: str
    attendees: tuple[_Attendee, ...]
    zone: str
    start: datetime  # naive, local to `zone`
    end: datetime
    categories: tuple[str, ...]
    agenda: str
    created: datetime
    recurrence: Json | None = None
    online: bool = True
    all_day: bool = False
    room: tuple[str, str] | None = None
    importance: str = "normal"
    sensitivity: str = "normal"
    show_as: str = "busy"
    cancelled: tuple[date, ...] = ()
    moved: tuple[tuple[datetime, datetime], ...] = ()  # (original local start, new local start)


def _to_utc(local: datetime, zone: str) -> datetime:
    return local.replace(tzinfo=ZoneInfo(data.WINDOWS_TO_IANA[zone])).astimezone(UTC)


def _next_weekday(start: date, weekday: str) -> date:
    return start + timedelta(days=(_WEEKDAYS.index(weekday) - start.weekday()) % 7)


def _nth_weekday(month_day: date, index: str, weekday: str) -> date:
    first = _next_weekday(month_day.replace(day=1), weekday)
    return first + timedelta(weeks=("first", "second", "third", "fourth").index(index))


def _recurrence(pattern: str, interval: int, days: list[str], start: date, zone: str, index: str = "first") -> Json:
    """A patternedRecurrence exactly as Graph returns it (unused members carry Graph's defaults)."""
    return {
        "pattern": {"type": pattern, "interval": interval, "month": 0, "dayOfMonth": 0, "daysOfWeek": days,
                    "firstDayOfWeek": "sunday" if pattern == "relativeMonthly" else "monday", "index": index},
        "range": {"type": "noEnd", "startDate": start.isoformat(), "endDate": "0001-01-01",
                  "recurrenceTimeZone": zone, "numberOfOccurrences": 0},
    }  # fmt: skip


def _people(ctx: _Context, aliases: str, rng: random.Random, kind: str = "required") -> list[_Attendee]:
    """Attendees with a mix of responses; mailbox owners accept (declined meetings leave their calendar)."""
    result = []
    for alias in aliases.split():
        user = ctx.users[alias]
        choices = _OWNER_RESPONSES if alias in data.MAILBOXES else _RESPONSES
        result.append((user["displayName"], user["mail"], kind, rng.choice(choices)))
    return result


def _project_meetings(ctx: _Context, project: data.Project, rng: random.Random) -> list[_Meeting]:
    """Stand-up (weekdays), sprint review/planning/retro (every two weeks), steering committee (monthly)."""
    cadence, today = project.cadence, ctx.today
    team = _people(ctx, project.team, rng)
    room = project.room
    series: list[tuple[str, str, list[_Attendee], date, str, int, Json]] = []

    monday = today - timedelta(days=today.weekday() + 35)  # five weeks back
    weekdays = _recurrence("weekly", 1, list(_WEEKDAYS[:5]), monday, project.windows_zone)
    series.append(("standup", "stand-up", team, monday, *cadence.standup, weekdays))
    for kind, subject, (weekday, start, length) in (
        ("review", "sprint review", cadence.review),
        ("planning", "sprint planning", cadence.planning),
        ("retro", "retrospective", cadence.retro),
    ):
        # Phase the fortnightly series so that an occurrence falls in the coming week.
        first = _next_weekday(today + timedelta(days=1), weekday) - timedelta(weeks=4)
        people = team + (_people(ctx, "hannah", rng, "optional") if kind == "review" else [])
        fortnightly = _recurrence("weekly", 2, [weekday], first, project.windows_zone)
        series.append((kind, subject, people, first, start, length, fortnightly))
    index, weekday, start, length = cadence.steering
    first = _nth_weekday(today - timedelta(days=21), index, weekday)
    board = [*_people(ctx, project.steering, rng), (room[0], room[1], "resource", "accepted")]
    monthly = _recurrence("relativeMonthly", 1, [weekday], first, project.windows_zone, index)
    series.append(("steering", "steering committee", board, first, start, length, monthly))

    meetings = []
    for kind, subject, people, first, start, length, recurrence in series:
        begin = datetime.combine(first, _hhmm(start))
        cancelled: tuple[date, ...] = ()
        moved: tuple[tuple[datetime, datetime], ...] = ()
        if (project.key, kind) in data.CANCELLED_OCCURRENCES:
            cancelled = (_upcoming(recurrence, today),)
        if (project.key, kind) in data.MOVED_OCCURRENCES:
            upcoming = _upcoming(recurrence, today)
            original = datetime.combine(upcoming, begin.time())
            if kind == "standup":  # pushed back 90 minutes on the same day
                moved = ((original, original + timedelta(minutes=90)),)
            else:  # a day later (or earlier, to stay within the coming week) and an hour later
                shift = 1 if upcoming <= today + timedelta(days=5) else -1
                moved = ((original, original + timedelta(days=shift, hours=1)),)
        meetings.append(
            _Meeting(
                key=f"{project.key}/{kind}",
                subject=f"{project.code} {subject}",
                organizer=data.COORDINATOR,
                attendees=tuple(people),
                zone=project.windows_zone,
                start=begin,
                end=begin + timedelta(minutes=length),
                categories=(project.code,),
                agenda=data.AGENDAS[kind].format(code=project.code),
                created=datetime.combine(first - timedelta(days=rng.randint(3, 10)), time(14, 5), UTC),
                recurrence=recurrence,
                room=room if kind == "steering" else None,
                importance="high" if kind == "steering" else "normal",
                cancelled=cancelled,
                moved=moved,
            )
        )
    return meetings


def _upcoming(recurrence: Json, today: date) -> date:
    """The series' first occurrence from tomorrow on (weekly patterns only)."""
    pattern = recurrence["pattern"]
    first = date.fromisoformat(recurrence["range"]["startDate"])
    day = max(today + timedelta(days=1), first)
    while True:
        weeks = (day - (first - timedelta(days=first.weekday()))).days // 7
        if _WEEKDAYS[day.weekday()] in pattern["daysOfWeek"] and weeks % pattern["interval"] == 0:
            return day
        day += timedelta(days=1)


def _one_off(ctx: _Context, spec: data.OneOff, rng: random.Random) -> _Meeting:
    project = next((p for p in data.PROJECTS if p.key == spec.project), None)
    day = ctx.today + timedelta(days=spec.day)
    if spec.align:
        day = _next_weekday(day, spec.align)
    if day.weekday() >= 5 and "weekend" not in spec.subject.lower():  # people meet on working days
        day = _next_weekday(day, "monday")
    start = datetime.combine(day, time(0) if spec.all_day else _hhmm(spec.start))
    people = _people(ctx, spec.attendees, rng) if spec.attendees else []
    if spec.vendor and project:
        people.append((project.vendor[0], project.vendor[1], "required", "none"))
    room = project.room if (spec.room and project) else (data.PROJECTS[0].room if spec.room else None)
    if room:
        people.append((room[0], room[1], "resource", "accepted"))
    lead_time = timedelta(days=rng.randint(3, 14), minutes=rng.randint(0, 500))
    created = min(_to_utc(start, spec.zone), ctx.now) - lead_time
    return _Meeting(
        key=spec.key, subject=spec.subject, organizer=spec.organizer, attendees=tuple(people), zone=spec.zone,
        start=start, end=start + timedelta(minutes=spec.minutes), agenda=spec.agenda, created=created,
        categories=(project.code, *spec.categories) if project else spec.categories, online=spec.online,
        all_day=spec.all_day, room=room, show_as=spec.show_as, sensitivity=spec.sensitivity,
    )  # fmt: skip


def _other_series(ctx: _Context, spec: data.Series, rng: random.Random) -> _Meeting:
    series_start = _next_weekday(ctx.today - timedelta(weeks=8), spec.weekday)
    first = datetime.combine(series_start, _hhmm(spec.start))
    return _Meeting(
        key=spec.key, subject=spec.subject, organizer=spec.organizer,
        attendees=tuple(_people(ctx, spec.attendees, rng)), zone=spec.zone, start=first,
        end=first + timedelta(minutes=spec.minutes), agenda=spec.agenda, categories=(),
        created=datetime.combine(series_start - timedelta(days=3), time(8, 55), UTC),
        recurrence=_recurrence("weekly", 1, [spec.weekday], series_start, spec.zone),
    )  # fmt: skip


def _calendars(ctx: _Context) -> dict[str, list[Json]]:
    rng = random.Random("contoso-demo/calendars")
    meetings = [meeting for project in data.PROJECTS for meeting in _project_meetings(ctx, project, rng)]
    meetings += [_one_off(ctx, spec, rng) for spec in data.ONE_OFFS]
    meetings += [_other_series(ctx, spec, rng) for spec in data.OTHER_SERIES]
    calendars: dict[str, list[Json]] = {_upn(alias): [] for alias in data.MAILBOXES}
    by_mail = {user["mail"]: alias for alias, user in ctx.users.items()}
    for meeting in meetings:
        owners = [meeting.organizer] + [by_mail[a[1]] for a in meeting.attendees if a[1] in by_mail]
        for owner in owners:
            if owner in data.MAILBOXES:
                calendars[_upn(owner)].append(_event(ctx, meeting, owner))
    return calendars


def _event_id(owner: str, key: str) -> str:
    """An Outlook-style id ("AAMkAG…"): a mailbox GUID and an item hash, URL-safe base64 like Exchange's."""
    mailbox = "e" + _guid("mailbox", owner)[1:]  # a hex letter first gives the familiar "AAMkAG" prefix
    item = hashlib.sha512(f"{owner}/{key}".encode()).digest()
    raw = b"\x00\x03$\x00" + mailbox.encode() + b"\x00F\x00\x00\x00\x00\x00" + item
    return base64.urlsafe_b64encode(raw).decode()


def _ical_uid(key: str) -> str:
    digest = _digest(f"ical:{key}").hex().upper()
    return f"040000008200E00074C5B7101A82E00800000000{digest[:16]}000000000000000010000000{digest[16:48]}"


def _change_key(key: str) -> str:
    return base64.b64encode(_digest(f"change:{key}", 22)).decode()


def _join_url(ctx: _Context, meeting: _Meeting) -> str:
    thread = base64.b64encode(_guid("meeting", meeting.key).encode()).decode().rstrip("=")
    context = f"%7b%22Tid%22%3a%22{DEMO_TENANT_ID}%22%2c%22Oid%22%3a%22{ctx.uid(meeting.organizer)}%22%7d"
    return f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{thread}%40thread.v2/0?context={context}"


def _body(ctx: _Context, meeting: _Meeting) -> tuple[str, str]:
    """(html content, bodyPreview) with the Teams join block Outlook adds to online meetings."""
    digits = str(int.from_bytes(_digest(f"conf:{meeting.key}", 6), "big"))[:12]
    conference = " ".join(digits[i : i + 3] for i in range(0, 12, 3))
    passcode = base64.b32encode(_digest(f"pass:{meeting.key}", 5)).decode()[:6]
    join_url = _join_url(ctx, meeting)
    html_body = f"<div><p>{html.escape(meeting.agenda)}</p></div>" if meeting.agenda else ""
    text = meeting.agenda
    if meeting.online:
        fields = {"conference": conference, "passcode": passcode}
        html_body += data.TEAMS_BLOCK_HTML.format(join_url=html.escape(join_url), **fields)
        text += data.TEAMS_BLOCK_TEXT.format(**fields)
    head = '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>'
    content = f"<html>{head}<body>{html_body}</body></html>"
    return content, text.strip()[:255]


def _locations(meeting: _Meeting) -> tuple[Json, list[Json]]:
    teams = {"displayName": "Microsoft Teams Meeting", "locationType": "default",
             "uniqueId": "Microsoft Teams Meeting", "uniqueIdType": "private"}  # fmt: skip
    if meeting.room:
        room = {"displayName": meeting.room[0], "locationType": "conferenceRoom", "uniqueId": meeting.room[1],
                "uniqueIdType": "directory"}  # fmt: skip
        if not meeting.online:
            return room, [room]
        both_name = f"{meeting.room[0]}; Microsoft Teams Meeting"
        both = {"displayName": both_name, "locationType": "default", "uniqueId": both_name,
                "uniqueIdType": "private"}  # fmt: skip
        return both, [room, teams]
    if meeting.online:
        return teams, [teams]
    return {"displayName": "", "locationType": "default", "uniqueId": None, "uniqueIdType": "unknown"}, []


def _response_time(ctx: _Context, meeting: _Meeting, address: str) -> str:
    delay = timedelta(minutes=20 + _digest(f"{meeting.key}/{address}")[0] * 7)
    return _utc(min(meeting.created + delay, ctx.now - timedelta(minutes=30)))


def _local_text(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%M:%S}.0000000"


def _event(ctx: _Context, meeting: _Meeting, owner: str) -> Json:
    """`meeting` as stored in `owner`'s mailbox: a single instance, or a series master with its exceptions."""
    event = _instance(ctx, meeting, owner, meeting.key, meeting.start, meeting.end)
    if meeting.recurrence is None:
        return event
    event["type"] = "seriesMaster"
    event["recurrence"] = meeting.recurrence
    event["cancelledOccurrences"] = [f"OID.{event['id']}.{day.isoformat()}" for day in meeting.cancelled]
    exceptions = []
    for number, (original, moved) in enumerate(meeting.moved):
        occurrence = _instance(ctx, meeting, owner, f"{meeting.key}/exception/{number}", moved,
                               moved + (meeting.end - meeting.start))  # fmt: skip
        occurrence.update(type="exception", seriesMasterId=event["id"], originalStart=_utc(_to_utc(original,
                          meeting.zone)))  # fmt: skip
        exceptions.append(occurrence)
    event["exceptionOccurrences"] = exceptions
    return event


def _instance(ctx: _Context, meeting: _Meeting, owner: str, key: str, start: datetime, end: datetime) -> Json:
    event_id = _event_id(owner, key)
    organizer = ctx.users[meeting.organizer]
    mine = next((a for a in meeting.attendees if a[1] == ctx.users[owner]["mail"]), None)
    if owner == meeting.organizer or mine is None:
        response = {"response": "organizer", "time": _NO_TIME}
    elif mine[3] == "none":
        response = {"response": "notResponded", "time": _NO_TIME}
    else:
        response = {"response": mine[3], "time": _response_time(ctx, meeting, mine[1])}
    changed = meeting.created + timedelta(minutes=5 + _digest(key)[1])
    if meeting.cancelled or meeting.moved:
        changed = max(changed, ctx.now - timedelta(hours=20))
    content, preview = _body(ctx, meeting)
    location, locations = _locations(meeting)
    change_key = _change_key(f"{owner}/{key}")
    return {
        "@odata.etag": f'W/"{change_key}"',
        "id": event_id,
        "createdDateTime": _stamp(meeting.created, key),
        "lastModifiedDateTime": _stamp(min(changed, ctx.now - timedelta(minutes=10)), key + "/changed"),
        "changeKey": change_key,
        "categories": list(meeting.categories),
        "transactionId": None,
        "originalStartTimeZone": meeting.zone,
        "originalEndTimeZone": meeting.zone,
        "iCalUId": _ical_uid(key),
        "reminderMinutesBeforeStart": 1080 if meeting.all_day else 15,
        "isReminderOn": owner == meeting.organizer or response["response"] != "declined",
        "hasAttachments": False,
        "subject": meeting.subject,
        "bodyPreview": preview,
        "importance": meeting.importance,
        "sensitivity": meeting.sensitivity,
        "isAllDay": meeting.all_day,
        "isCancelled": False,
        "isOrganizer": owner == meeting.organizer,
        "responseRequested": True,
        "seriesMasterId": None,
        "showAs": meeting.show_as if owner == meeting.organizer or response["response"] == "accepted"
        else "tentative",
        "type": "singleInstance",
        "webLink": _OWA_ITEM.format(quote(event_id, safe="")),
        "onlineMeetingUrl": None,
        "isOnlineMeeting": meeting.online,
        "onlineMeetingProvider": "teamsForBusiness" if meeting.online else "unknown",
        "allowNewTimeProposals": True,
        "isDraft": False,
        "hideAttendees": False,
        "responseStatus": response,
        "body": {"contentType": "html", "content": content},
        "start": {"dateTime": _local_text(start), "timeZone": meeting.zone},
        "end": {"dateTime": _local_text(end), "timeZone": meeting.zone},
        "location": location,
        "locations": locations,
        "recurrence": None,
        "attendees": [
            {"type": kind, "status": {"response": answer, "time": _NO_TIME if answer == "none"
                                      else _response_time(ctx, meeting, address)},
             "emailAddress": {"name": name, "address": address}}
            for name, address, kind, answer in meeting.attendees
        ],
        "organizer": {"emailAddress": {"name": organizer["displayName"], "address": organizer["mail"]}},
        "onlineMeeting": {"joinUrl": _join_url(ctx, meeting)} if meeting.online else None,
    }  # fmt: skip
