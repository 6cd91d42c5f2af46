"""Load and validate a tenant file (docs/tenant-format.md).

The file holds Graph resources in Graph's own shape, so the models below check only what the sandbox
relies on and let every other Graph property through untouched. Problems are reported with the JSON path
of the offending value, because a tenant file is written by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.sandbox import recurrence, timezones
from assistant.sandbox.tenant_meetings import AccessPolicy, OnlineMeeting, check_meetings, check_policies


class TenantFileError(ValueError):
    """A tenant file that cannot be served; the message starts with the file and the JSON path."""


class _Graph(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class TenantInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    displayName: str
    domain: str


class User(_Graph):
    id: str
    displayName: str
    userPrincipalName: str
    mail: str | None = None


class Application(BaseModel):
    model_config = ConfigDict(extra="forbid")
    appId: str
    displayName: str
    secret: str | None = None
    certificates: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    scopes: list[str] = Field(default_factory=list)


class Bot(BaseModel):
    """An Azure Bot registration (*sandbox*): the Entra app it signs in as, its name, the teams it is installed in."""

    model_config = ConfigDict(extra="forbid")
    appId: str
    name: str
    teams: list[str] = Field(default_factory=list)


class Channel(_Graph):
    id: str
    displayName: str


class Team(_Graph):
    id: str
    displayName: str
    channels: list[Channel] = Field(default_factory=list)


class Bucket(_Graph):
    id: str
    name: str
    planId: str


class TaskDetails(_Graph):
    description: str | None = None
    checklist: dict[str, dict[str, Any]] = Field(default_factory=dict)
    references: dict[str, dict[str, Any]] = Field(default_factory=dict)


class Task(_Graph):
    id: str
    planId: str
    title: str
    bucketId: str | None = None
    percentComplete: Annotated[int, Field(ge=0, le=100)] = 0
    priority: Annotated[int, Field(ge=0, le=10)] = 5
    assignments: dict[str, dict[str, Any]] = Field(default_factory=dict)
    appliedCategories: dict[str, bool] = Field(default_factory=dict)
    details: TaskDetails = Field(default_factory=TaskDetails)

    @field_validator("appliedCategories")
    @classmethod
    def _categories(cls, value: dict[str, bool]) -> dict[str, bool]:
        for key in value:
            if not key.startswith("category") or not key[8:].isdigit() or not 1 <= int(key[8:]) <= 25:
                raise ValueError(f"unknown category {key!r}; Planner has category1..category25")
        return value


class PlanDetails(_Graph):
    categoryDescriptions: dict[str, str | None] = Field(default_factory=dict)


class Plan(_Graph):
    id: str
    title: str
    details: PlanDetails = Field(default_factory=PlanDetails)
    buckets: list[Bucket] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)


class DateTimeTimeZone(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dateTime: str
    timeZone: str

    @field_validator("timeZone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        timezones.zone(value)
        return value


class Event(_Graph):
    id: str
    subject: str = ""
    start: DateTimeTimeZone
    end: DateTimeTimeZone
    type: str = "singleInstance"
    recurrence: dict[str, Any] | None = None

    @field_validator("type")
    @classmethod
    def _stored_type(cls, value: str) -> str:
        if value not in ("singleInstance", "seriesMaster"):
            raise ValueError("a mailbox stores singleInstance events and seriesMaster events only")
        return value


class TenantModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tenant: TenantInfo
    users: list[User]
    applications: list[Application]
    teams: list[Team] = Field(default_factory=list)
    plans: list[Plan] = Field(default_factory=list)
    calendars: dict[str, list[Event]] = Field(default_factory=dict)
    onlineMeetings: list[OnlineMeeting] = Field(default_factory=list)
    applicationAccessPolicies: list[AccessPolicy] = Field(default_factory=list)
    bots: list[Bot] = Field(default_factory=list)


def load_tenant_file(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TenantFileError(f"{path}: file not found") from exc
    except json.JSONDecodeError as exc:
        raise TenantFileError(f"{path}: line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    return validate_tenant(document, source=str(path))


def validate_tenant(document: Any, *, source: str = "tenant") -> dict[str, Any]:
    """Check the document and return it unchanged (the sandbox serves the Graph JSON as given)."""
    try:
        model = TenantModel.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise TenantFileError(f"{source}: {_json_path(first['loc'])}: {first['msg']}") from exc
    problem = _cross_check(model)
    if problem:
        raise TenantFileError(f"{source}: {problem}")
    return document


def _json_path(loc: tuple[int | str, ...]) -> str:
    path = "$"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _cross_check(model: TenantModel) -> str | None:
    """References between resources, which the per-object models cannot see."""
    user_keys = {u.id for u in model.users} | {u.userPrincipalName.lower() for u in model.users}
    user_ids = {u.id for u in model.users}
    for p, plan in enumerate(model.plans):
        buckets = {b.id for b in plan.buckets}
        for t, task in enumerate(plan.tasks):
            where = f"$.plans[{p}].tasks[{t}]"
            if task.planId != plan.id:
                return f"{where}.planId: {task.planId!r} is not the plan it is listed under ({plan.id!r})"
            if task.bucketId and task.bucketId not in buckets:
                return f"{where}.bucketId: no bucket {task.bucketId!r} in this plan"
            for user_id, assignment in task.assignments.items():
                if user_id not in user_ids:
                    return f"{where}.assignments.{user_id}: no such user"
                if assignment.get("@odata.type") != "#microsoft.graph.plannerAssignment":
                    return f"{where}.assignments.{user_id}: @odata.type must be #microsoft.graph.plannerAssignment"
    for mailbox, events in model.calendars.items():
        if mailbox.lower() not in user_keys:
            return f"$.calendars.{mailbox}: no user with that id or userPrincipalName"
        for e, event in enumerate(events):
            where = f"$.calendars.{mailbox}[{e}]"
            if event.type == "seriesMaster":
                if event.recurrence is None:
                    return f"{where}.recurrence: a seriesMaster needs a recurrence"
                try:
                    recurrence.validate(event.recurrence)
                except recurrence.RecurrenceError as exc:
                    return f"{where}.{exc}"
    users = {key.lower(): u.id for u in model.users for key in (u.id, u.userPrincipalName)}
    apps = {app.appId for app in model.applications}
    teams = {team.id for team in model.teams}
    for b, bot in enumerate(model.bots):
        if bot.appId not in apps:
            return f"$.bots[{b}].appId: no application {bot.appId!r} (a bot signs in as an app registration)"
        unknown = [team for team in bot.teams if team not in teams]
        if unknown:
            return f"$.bots[{b}].teams: no team {unknown[0]!r}"
    return check_meetings(model.onlineMeetings, user_ids) or check_policies(
        model.applicationAccessPolicies, apps, users
    )
