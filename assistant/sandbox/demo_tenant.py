"""The built-in demo tenant "Contoso IT": a Graph v1.0-shaped document for the sandbox server.

`build_demo_tenant(now)` returns the whole tenant (format: docs/tenant-format.md). Every date is relative to
`now`, so the demo always shows tasks due next week and meetings tomorrow. Ids never depend on `now`: they are
derived from names (uuid5 / hashes), so a configuration naming a plan or channel keeps working across days.
The only randomness is a `random.Random` with a constant seed per project, so output is a pure function of
(`now`, `scale`). The content itself (people, task titles, cadences) lives in `demo_tenant_data.py`; the
mailboxes are built by `demo_calendar.py`, online meetings with their attendance reports and transcripts by
`demo_meetings.py` (what was said: `demo_transcripts.py`), and the pieces all share (build context, ids, formats)
are in `demo_context.py`.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from assistant.sandbox import demo_tenant_data as data
from assistant.sandbox.demo_calendar import build_calendars
from assistant.sandbox.demo_context import DEMO_TENANT_ID, Context, Json, channel_thread_id, digest, guid, stamp, utc
from assistant.sandbox.demo_meetings import build_online_meetings

DEMO_APP_ID = "1d49ac92-8904-54a2-9b99-9f493c1e0341"
DEMO_APP_SECRET = "sandbox-demo-secret-not-for-production"  # noqa: S105 - sandbox-only credential
# The Teams bot signs in as the demo app itself (one Entra app registration for Graph and the bot, as the Teams SDK
# sets up); a tenant file may name a separate app instead.
DEMO_BOT_APP_ID = DEMO_APP_ID
DEMO_BOT_NAME = "Coordinator"
READONLY_APP_ID = "b744c9ec-ac9e-5b55-b3bc-0b63c07be1aa"
READONLY_APP_SECRET = "sandbox-readonly-secret-not-for-production"  # noqa: S105 - sandbox-only credential

# Calendars.ReadWrite: only `--attach` (documents on Outlook invitations) needs it; READONLY below keeps without it.
DEMO_APP_ROLES = ["User.Read.All", "Calendars.Read", "Calendars.ReadWrite", "Tasks.ReadWrite.All",
                  "Team.ReadBasic.All", "Channel.ReadBasic.All", "Files.ReadWrite.All", "OnlineMeetings.Read.All",
                  "OnlineMeetingArtifact.Read.All", "OnlineMeetingTranscript.Read.All"]  # fmt: skip
DEMO_APP_SCOPES = ["ChannelMessage.Send", "User.Read", "Calendars.Read", "Tasks.ReadWrite",
                   "Files.ReadWrite.All", "OnlineMeetings.Read", "OnlineMeetingArtifact.Read.All",
                   "OnlineMeetingTranscript.Read.All", "offline_access"]  # fmt: skip
READONLY_APP_ROLES = ["Calendars.Read", "User.Read.All"]

_DUE_HOUR = 16  # Planner due dates are stored at 16:00Z unless the task is due at project-local midnight


# ------------------------------------------------------------------------------------ Planner ids and formats
def _planner_id(kind: str, key: str) -> str:
    """28 URL-safe characters, like Planner's ids (21 bytes encode to 28 base64 characters)."""
    return base64.urlsafe_b64encode(digest(f"{kind}:{key}", 21)).decode()


def _planner_etag(kind: str, key: str) -> str:
    """Planner etags are base64 of "'1-Task  @@…X'"-like strings; the last letter varies per resource."""
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[digest(key)[0] % 26]
    return 'W/"' + base64.b64encode(f"'1-{kind:<6}{'@' * 16}{letter}'".encode()).decode() + '"'


def _order_hint(index: int) -> str:
    return str(8585269241124408024 + index * 104729)


def _reference_key(url: str) -> str:
    """Planner keys external references by the URL with % . : @ # percent-encoded (see the docs sample)."""
    for char, code in (("%", "%25"), (".", "%2E"), (":", "%3A"), ("@", "%40"), ("#", "%23")):
        url = url.replace(char, code)
    return url


# ------------------------------------------------------------------------------------------------- public API
def build_demo_tenant(now: datetime, scale: int = 1) -> dict[str, Any]:
    """The whole demo tenant as of `now` (an aware datetime); `scale` multiplies the tasks of every plan."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if scale < 1:
        raise ValueError("scale must be at least 1")
    users = [_user(person) for person in data.PEOPLE]
    by_alias = {person.alias: user for person, user in zip(data.PEOPLE, users, strict=True)}
    ctx = Context(now=now, today=now.astimezone(UTC).date(), users=by_alias)
    team = _team(ctx)
    calendars = build_calendars(ctx)
    return {
        "tenant": {"id": DEMO_TENANT_ID, "displayName": "Contoso IT", "domain": data.DOMAIN},
        "users": users,
        "applications": _applications(),
        "teams": [team],
        "plans": [_plan(ctx, project, team["id"], scale) for project in data.PROJECTS],
        "calendars": calendars,
        "onlineMeetings": build_online_meetings(ctx, calendars),
        "applicationAccessPolicies": [_access_policy()],
        "bots": [{"appId": DEMO_BOT_APP_ID, "name": DEMO_BOT_NAME, "teams": [team["id"]]}],
    }


def demo_projects(tenant: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Coordinator's project configuration for the demo tenant, with ids looked up in `tenant`."""
    team = next(t for t in tenant["teams"] if t["displayName"] == data.TEAM_NAME)
    plans = {plan["title"]: plan["id"] for plan in tenant["plans"]}
    channels = {channel["displayName"]: channel["id"] for channel in team["channels"]}
    users = {user["id"]: user["userPrincipalName"] for user in tenant["users"]}
    organizer = users[guid("user", _upn(data.COORDINATOR))]
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
        "id": guid("user", upn),
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


def _access_policy() -> Json:
    """Lets the demo app read the coordinator's online meetings and their artifacts with its application
    permissions (https://learn.microsoft.com/graph/cloud-communication-online-meeting-application-access-policy).
    The read-only app is in no policy, so it meets Graph's 403 even where it holds the permission."""
    return {"identity": "Coordinator-meeting-artifacts", "appIds": [DEMO_APP_ID],
            "description": "Coordinator reads attendance and transcripts of the coordinator's meetings",
            "grantedTo": [_upn(data.COORDINATOR)], "global": False}  # fmt: skip


def _team(ctx: Context) -> Json:
    group_id = guid("group", data.TEAM_NAME)
    general = channel_thread_id("General")
    query = f"groupId={group_id}&tenantId={DEMO_TENANT_ID}"

    def encoded(thread: str) -> str:
        return thread.replace(":", "%3a").replace("@", "%40")

    def channel(thread: str, name: str, description: str | None, created: datetime) -> Json:
        email = f"{digest(thread).hex()[:8]}.{data.DOMAIN}@emea.teams.ms"
        return {
            "id": thread,
            "createdDateTime": stamp(created, thread),
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
        thread = channel_thread_id(project.key)
        created_at = ctx.at(-70 + offset, 10)
        channels.append(channel(thread, project.channel, project.channel_description, created_at))
    return {
        "id": group_id,
        "createdDateTime": stamp(created, group_id),
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
    ctx: Context
    project: data.Project
    plan_id: str
    bucket_ids: tuple[str, ...]
    categories: dict[str, str]  # label name -> categoryN
    rng: random.Random


def _plan(ctx: Context, project: data.Project, group_id: str, scale: int) -> Json:
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
        "createdDateTime": stamp(ctx.at(-65, 8, 31, 5), plan_id),
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
    created_at = stamp(created, key)
    assigned_at = stamp(created + timedelta(minutes=rng.randint(1, 90)), key + "/assigned")

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
        "startDateTime": utc(start) if start else None,
        "createdDateTime": created_at,
        "dueDateTime": utc(due) if due else None,
        "hasDescription": bool(details["description"]),
        "previewType": "automatic",
        "completedDateTime": stamp(completed, key + "/done") if completed else None,
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
        guid("checklist", f"{task_id}/{position}"): {
            "@odata.type": "#microsoft.graph.plannerChecklistItem",
            "isChecked": checked or row.state == "done",
            "title": item,
            "orderHint": f"{_order_hint(position)} !",
            "lastModifiedBy": ctx.ident(editors[position % len(editors)]),
            "lastModifiedDateTime": stamp(edited - timedelta(hours=position), f"{task_id}/{position}"),
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
            "lastModifiedDateTime": stamp(created + timedelta(minutes=30), url),
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
