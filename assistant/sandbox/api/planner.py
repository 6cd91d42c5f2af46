"""Planner routes: plans, details (label names), buckets, tasks and task details; create/update/delete.

Behaviour from https://learn.microsoft.com/graph/api/resources/planner-overview (every PATCH and DELETE
needs `If-Match` with the last etag, else 412; open types need `@odata.type`), the update pages (204 by
default, 200 + body with `Prefer: return=representation`) and GRAPH-FACTS §2.6 (lists come in fixed pages
of ~400; `$top`, `$filter` and `$orderby` are ignored).
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from typing import Any

from flask import Blueprint, Response, request

from assistant.sandbox import odata
from assistant.sandbox.context import (
    current,
    empty_response,
    graph_base,
    graph_response,
    odata_prefs,
    read_json,
    require,
    resolve_user,
)
from assistant.sandbox.errors import GraphHTTPError, planner_error
from assistant.sandbox.permissions import TASKS_READ, TASKS_WRITE
from assistant.sandbox.tokens import Caller

planner = Blueprint("planner", __name__)

PAGE_SIZE = 400
ASSIGNMENT_TYPE = "#microsoft.graph.plannerAssignment"
CHECKLIST_TYPE = "#microsoft.graph.plannerChecklistItem"
REFERENCE_TYPE = "#microsoft.graph.plannerExternalReference"
TASK_WRITABLE = {
    "title", "bucketId", "orderHint", "assigneePriority", "percentComplete", "priority", "startDateTime",
    "dueDateTime", "assignments", "appliedCategories", "conversationThreadId", "previewType",
}  # fmt: skip
DETAILS_WRITABLE = {"description", "previewType", "checklist", "references"}


def etag(kind: str, resource_id: str) -> str:
    version = current().state.etag_versions[f"{kind}:{resource_id}"] + 1
    raw = f"'{version}-{kind}@@@@@@@@@@@@@@@@{resource_id[:8]}'".encode()
    return f'W/"{base64.b64encode(raw).decode()}"'


def _bump(kind: str, resource_id: str) -> None:
    current().state.etag_versions[f"{kind}:{resource_id}"] += 1


def _with_etag(kind: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"@odata.etag": etag(kind, resource["id"]), **{k: v for k, v in resource.items() if k != "@odata.etag"}}


def _not_found() -> GraphHTTPError:
    return planner_error(404, "The requested item is not found.")


def _plan(plan_id: str) -> dict[str, Any]:
    plan = current().state.plans.get(plan_id)
    if plan is None:
        raise _not_found()
    return plan


def _task(task_id: str) -> dict[str, Any]:
    task = current().state.tasks.get(task_id)
    if task is None:
        raise _not_found()
    return task


def _plan_public(plan: dict[str, Any]) -> dict[str, Any]:
    return _with_etag("Plan", {k: v for k, v in plan.items() if k not in ("details", "buckets", "tasks")})


def _single(kind: str, resource: dict[str, Any], context: str) -> Response:
    body = odata.select(_with_etag(kind, resource), request.args.get("$select"))
    return graph_response({"@odata.context": f"{graph_base()}/$metadata#{context}", **body})


def _planner_page(items: list[dict[str, Any]], context: str) -> Response:
    """Fixed pages of 400 with an opaque `$skiptoken`; `$top`/`$filter`/`$orderby` are ignored like Planner."""
    token = request.args.get("$skiptoken", "")
    try:
        offset = int(base64.urlsafe_b64decode(token.encode()).decode()) if token else 0
    except ValueError as exc:
        raise planner_error(400, "The request is invalid: bad $skiptoken.") from exc
    body: dict[str, Any] = {"@odata.context": f"{graph_base()}/$metadata#{context}"}
    if offset + PAGE_SIZE < len(items):
        next_token = base64.urlsafe_b64encode(str(offset + PAGE_SIZE).encode()).decode()
        body["@odata.nextLink"] = f"{graph_base()}{request.path[5:]}?$skiptoken={next_token}"
    body["value"] = [odata.select(i, request.args.get("$select")) for i in items[offset : offset + PAGE_SIZE]]
    return graph_response(body)


@planner.get("/v1.0/planner/plans/<plan_id>")
def get_plan(plan_id: str) -> Response:
    require(TASKS_READ)
    with current().state.lock:
        return _single("Plan", _plan_public(_plan(plan_id)), "planner/plans/$entity")


@planner.get("/v1.0/planner/plans/<plan_id>/details")
def get_plan_details(plan_id: str) -> Response:
    require(TASKS_READ)
    with current().state.lock:
        details = {"id": plan_id, "sharedWith": {}, "categoryDescriptions": {}, **_plan(plan_id).get("details", {})}
        return _single("PlanDetails", details, f"planner/plans('{plan_id}')/details/$entity")


@planner.get("/v1.0/planner/plans/<plan_id>/buckets")
def list_buckets(plan_id: str) -> Response:
    require(TASKS_READ)
    with current().state.lock:
        buckets = [_with_etag("Bucket", b) for b in _plan(plan_id).get("buckets", [])]
    return _planner_page(buckets, f"planner/plans('{plan_id}')/buckets")


@planner.get("/v1.0/planner/plans/<plan_id>/tasks")
def list_plan_tasks(plan_id: str) -> Response:
    require(TASKS_READ)
    state = current().state
    with state.lock:
        tasks = [_with_etag("Task", state.tasks[t]) for t in _plan(plan_id)["tasks"]]
    return _planner_page(tasks, f"planner/plans('{plan_id}')/tasks")


@planner.get("/v1.0/groups/<group_id>/planner/plans")
def list_group_plans(group_id: str) -> Response:
    require(TASKS_READ)
    state = current().state
    with state.lock:
        plans = [
            _plan_public(p)
            for p in state.plans.values()
            if p.get("owner") == group_id or (p.get("container") or {}).get("containerId") == group_id
        ]
    return _planner_page(plans, f"groups('{group_id}')/planner/plans")


@planner.get("/v1.0/users/<user_key>/planner/tasks")
@planner.get("/v1.0/me/planner/tasks", defaults={"user_key": "me"})
def list_user_tasks(user_key: str) -> Response:
    require(TASKS_READ)
    user = resolve_user(user_key)
    state = current().state
    with state.lock:
        tasks = [_with_etag("Task", t) for t in state.tasks.values() if user["id"] in (t.get("assignments") or {})]
    return _planner_page(tasks, f"users('{user['id']}')/planner/tasks")


@planner.get("/v1.0/planner/tasks/<task_id>")
def get_task(task_id: str) -> Response:
    require(TASKS_READ)
    with current().state.lock:
        return _single("Task", _task(task_id), "planner/tasks/$entity")


@planner.get("/v1.0/planner/tasks/<task_id>/details")
def get_task_details(task_id: str) -> Response:
    require(TASKS_READ)
    state = current().state
    with state.lock:
        _task(task_id)
        details = {
            "id": task_id,
            "description": "",
            "previewType": "automatic",
            "checklist": {},
            "references": {},
            **state.task_details.get(task_id, {}),
        }
        return _single("TaskDetails", details, f"planner/tasks('{task_id}')/details/$entity")


# --- writes ------------------------------------------------------------------------------------------------


def _check_if_match(kind: str, resource_id: str) -> None:
    supplied = request.headers.get("If-Match")
    if supplied is None:
        raise planner_error(412, "The If-Match header must be specified for this kind of request.")
    if supplied != etag(kind, resource_id):
        raise planner_error(412, "The resource has changed since it was last read. Refresh and try again.")


def _written(kind: str, resource: dict[str, Any], status: int = 204) -> Response:
    """204 by default; 200 with the updated resource when the client asked for it."""
    if odata_prefs().get("return") == "representation":
        return graph_response(_with_etag(kind, resource), 200, {"Preference-Applied": "return=representation"})
    return empty_response(status)


def _identity(who: Caller) -> dict[str, Any]:
    if who.delegated:
        return {"user": {"id": who.user_id}}
    return {"application": {"id": who.app_id}}


def _timestamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _parse_time(field: str, value: Any) -> dt.datetime | None:
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise planner_error(400, f"Invalid value for {field}: {value!r}.") from exc
    if parsed.tzinfo is None:
        raise planner_error(400, f"Invalid value for {field}: a DateTimeOffset needs an offset.")
    return parsed


def _apply_task_changes(task: dict[str, Any], changes: dict[str, Any], who: Caller) -> None:
    unknown = set(changes) - TASK_WRITABLE - {"planId", "@odata.etag"}
    if unknown:
        raise planner_error(400, f"Invalid request body: property '{sorted(unknown)[0]}' cannot be written.")
    state = current().state
    if changes.get("bucketId"):
        bucket = state.buckets.get(changes["bucketId"])
        if bucket is None or bucket["planId"] != task["planId"]:
            raise planner_error(400, "The bucket does not belong to the task's plan.")
    if "percentComplete" in changes:
        value = changes["percentComplete"]
        if not isinstance(value, int) or not 0 <= value <= 100:
            raise planner_error(400, "percentComplete must be an integer between 0 and 100.")
    if "priority" in changes and (not isinstance(changes["priority"], int) or not 0 <= changes["priority"] <= 10):
        raise planner_error(400, "priority must be an integer between 0 and 10.")
    start = _parse_time("startDateTime", changes.get("startDateTime", task.get("startDateTime")))
    due = _parse_time("dueDateTime", changes.get("dueDateTime", task.get("dueDateTime")))
    if start and due and start > due:
        raise planner_error(400, "The start date must be before the due date.")
    now = current().clock.now()
    for name, value in changes.items():
        if name == "assignments":
            task["assignments"] = _merge_assignments(task.get("assignments") or {}, value, who, now)
        elif name == "appliedCategories":
            task["appliedCategories"] = _merge_categories(task.get("appliedCategories") or {}, value)
        elif name in TASK_WRITABLE:
            task[name] = value
    if "percentComplete" in changes:
        done = changes["percentComplete"] == 100
        task["completedDateTime"] = _timestamp(now) if done else None
        task["completedBy"] = _identity(who) if done else None


def _merge_assignments(current_value: dict[str, Any], changes: Any, who: Caller, now: dt.datetime) -> dict[str, Any]:
    if not isinstance(changes, dict):
        raise planner_error(400, "assignments must be an object keyed by user id.")
    merged = dict(current_value)
    state = current().state
    for user_id, assignment in changes.items():
        if assignment is None:
            merged.pop(user_id, None)
            continue
        if not isinstance(assignment, dict) or assignment.get("@odata.type") != ASSIGNMENT_TYPE:
            raise planner_error(400, f'The assignment for \'{user_id}\' needs "@odata.type": "{ASSIGNMENT_TYPE}".')
        if state.user(user_id) is None:
            raise planner_error(400, f"The user '{user_id}' cannot be assigned: not found.")
        merged[user_id] = {
            "@odata.type": ASSIGNMENT_TYPE,
            "assignedBy": _identity(who),
            "assignedDateTime": _timestamp(now),
            "orderHint": assignment.get("orderHint", " !"),
        }
    return merged


def _merge_categories(current_value: dict[str, bool], changes: Any) -> dict[str, bool]:
    if not isinstance(changes, dict):
        raise planner_error(400, "appliedCategories must be an object.")
    merged = dict(current_value)
    for key, value in changes.items():
        if not key.startswith("category") or not key[8:].isdigit() or not 1 <= int(key[8:]) <= 25:
            raise planner_error(400, f"Unknown category '{key}'.")
        if value:
            merged[key] = True
        else:
            merged.pop(key, None)
    return merged


def new_planner_id() -> str:
    """28 URL-safe characters, like Planner's ids."""
    return secrets.token_urlsafe(21)[:28]


@planner.post("/v1.0/planner/tasks")
def create_task() -> Response:
    who = require(TASKS_WRITE)
    body = read_json()
    state = current().state
    with state.lock:
        plan = state.plans.get(body.get("planId", ""))
        if plan is None:
            raise planner_error(400, "The plan id is missing or does not exist.")
        if not str(body.get("title", "")).strip():
            raise planner_error(400, "A task needs a title.")
        now = current().clock.now()
        task: dict[str, Any] = {
            "planId": plan["id"], "bucketId": None, "title": "", "orderHint": "8585269241",
            "assigneePriority": "", "percentComplete": 0, "priority": 5, "startDateTime": None,
            "createdDateTime": _timestamp(now), "dueDateTime": None, "hasDescription": False,
            "previewType": "automatic", "completedDateTime": None, "completedBy": None, "referenceCount": 0,
            "checklistItemCount": 0, "activeChecklistItemCount": 0, "conversationThreadId": None,
            "id": new_planner_id(), "createdBy": _identity(who), "appliedCategories": {}, "assignments": {},
        }  # fmt: skip
        _apply_task_changes(task, {k: v for k, v in body.items() if k != "planId"}, who)
        state.tasks[task["id"]] = task
        state.task_details[task["id"]] = {}
        plan["tasks"].append(task["id"])
        return graph_response(
            {"@odata.context": f"{graph_base()}/$metadata#planner/tasks/$entity", **_with_etag("Task", task)}, 201
        )


@planner.patch("/v1.0/planner/tasks/<task_id>")
def update_task(task_id: str) -> Response:
    who = require(TASKS_WRITE)
    changes = read_json()
    state = current().state
    with state.lock:
        task = _task(task_id)
        _check_if_match("Task", task_id)
        updated = dict(task)
        _apply_task_changes(updated, changes, who)
        task.clear()
        task.update(updated)
        _bump("Task", task_id)
        return _written("Task", task)


@planner.delete("/v1.0/planner/tasks/<task_id>")
def delete_task(task_id: str) -> Response:
    require(TASKS_WRITE)
    state = current().state
    with state.lock:
        task = _task(task_id)
        _check_if_match("Task", task_id)
        state.plans[task["planId"]]["tasks"].remove(task_id)
        del state.tasks[task_id]
        state.task_details.pop(task_id, None)
    return empty_response(204)


@planner.patch("/v1.0/planner/tasks/<task_id>/details")
def update_task_details(task_id: str) -> Response:
    who = require(TASKS_WRITE)
    changes = read_json()
    state = current().state
    with state.lock:
        task = _task(task_id)
        _check_if_match("TaskDetails", task_id)
        unknown = set(changes) - DETAILS_WRITABLE
        if unknown:
            raise planner_error(400, f"Invalid request body: property '{sorted(unknown)[0]}' cannot be written.")
        details = dict(state.task_details.get(task_id, {}))
        now = _timestamp(current().clock.now())
        for key, odata_type in (("checklist", CHECKLIST_TYPE), ("references", REFERENCE_TYPE)):
            if key in changes:
                details[key] = _merge_open_type(details.get(key) or {}, changes[key], odata_type, who, now)
        for key in ("description", "previewType"):
            if key in changes:
                details[key] = changes[key]
        state.task_details[task_id] = details
        checklist = details.get("checklist") or {}
        task["hasDescription"] = bool(details.get("description"))
        task["checklistItemCount"] = len(checklist)
        task["activeChecklistItemCount"] = sum(1 for item in checklist.values() if not item.get("isChecked"))
        task["referenceCount"] = len(details.get("references") or {})
        _bump("TaskDetails", task_id)
        _bump("Task", task_id)
        return _written("TaskDetails", {"id": task_id, **details})


def _merge_open_type(existing: dict[str, Any], changes: Any, odata_type: str, who: Caller, now: str) -> dict[str, Any]:
    if not isinstance(changes, dict):
        raise planner_error(400, "Open-type properties must be objects.")
    merged = dict(existing)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
            continue
        if not isinstance(value, dict) or value.get("@odata.type") != odata_type:
            raise planner_error(400, f'Each value needs "@odata.type": "{odata_type}".')
        merged[key] = {**merged.get(key, {}), **value, "lastModifiedBy": _identity(who), "lastModifiedDateTime": now}
    return merged


@planner.patch("/v1.0/planner/plans/<plan_id>/details")
def update_plan_details(plan_id: str) -> Response:
    require(TASKS_WRITE)
    changes = read_json()
    state = current().state
    with state.lock:
        plan = _plan(plan_id)
        _check_if_match("PlanDetails", plan_id)
        details = plan.setdefault("details", {})
        for key in ("categoryDescriptions", "sharedWith"):
            if key in changes:
                details[key] = {**details.get(key, {}), **changes[key]}
        _bump("PlanDetails", plan_id)
        return _written("PlanDetails", {"id": plan_id, **details})


@planner.post("/v1.0/planner/buckets")
def create_bucket() -> Response:
    require(TASKS_WRITE)
    body = read_json()
    state = current().state
    with state.lock:
        plan = state.plans.get(body.get("planId", ""))
        if plan is None or not str(body.get("name", "")).strip():
            raise planner_error(400, "A bucket needs a name and an existing planId.")
        bucket = {
            "name": body["name"],
            "planId": plan["id"],
            "orderHint": body.get("orderHint", " !"),
            "id": new_planner_id(),
        }
        plan.setdefault("buckets", []).append(bucket)
        state.buckets[bucket["id"]] = bucket
        return graph_response(
            {"@odata.context": f"{graph_base()}/$metadata#planner/buckets/$entity", **_with_etag("Bucket", bucket)},
            201,
        )
