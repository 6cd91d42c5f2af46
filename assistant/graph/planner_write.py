"""Writing to Planner: a bucket found or made, a task created, a link added to a task's details.

Creating is a POST (201 + the task, https://learn.microsoft.com/graph/api/planner-post-tasks); the client
replays it only after a 429, so a create that got no answer is reported, not repeated — the caller's record
of what it created is what makes a re-run safe. Details are a separate resource with their own etag, changed
through `etag.update_with_etag` (re-read and re-apply on 412/409).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from assistant.graph.client import GraphClient, json_of
from assistant.graph.etag import update_with_etag

ASSIGNMENT = "#microsoft.graph.plannerAssignment"
REFERENCE = "#microsoft.graph.plannerExternalReference"


def ensure_bucket(client: GraphClient, plan_id: str, name: str) -> str:
    """The id of the plan's bucket called `name` (ignoring case), created at the end of the board if missing."""
    for bucket in client.pages(f"/planner/plans/{plan_id}/buckets"):
        if str(bucket.get("name", "")).casefold() == name.casefold():
            return str(bucket["id"])
    body = {"name": name, "planId": plan_id, "orderHint": " !"}
    created = json_of(client.request("POST", "/planner/buckets", json_body=body))
    return str(created["id"])


def create_task(
    client: GraphClient,
    plan_id: str,
    bucket_id: str,
    title: str,
    *,
    assignee_id: str | None = None,
    due: dt.datetime | None = None,
) -> dict[str, Any]:
    """A new task; open-type values carry their `@odata.type` (GRAPH-FACTS gotcha 4)."""
    body: dict[str, Any] = {"planId": plan_id, "bucketId": bucket_id, "title": title[:255]}
    if assignee_id:
        body["assignments"] = {assignee_id: {"@odata.type": ASSIGNMENT, "orderHint": " !"}}
    if due is not None:
        body["dueDateTime"] = due.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    result: dict[str, Any] = json_of(client.request("POST", "/planner/tasks", json_body=body))
    return result


def reference_key(url: str) -> str:
    """Planner keys references by the URL with `%`, `.`, `:`, `@` and `#` percent-encoded (GRAPH-FACTS §2.4)."""
    return quote(url, safe="/?=&-_~!$'()*+,;[]").replace(".", "%2E")  # quote already encodes % : @ #


def link_details(client: GraphClient, task_id: str, url: str, alias: str, description: str) -> None:
    """Add a reference to `url` and a description, unless a reference to it is already there."""
    key = reference_key(url)

    def change(details: dict[str, Any]) -> dict[str, Any] | None:
        if key in (details.get("references") or {}):
            return None
        patch: dict[str, Any] = {"references": {key: {"@odata.type": REFERENCE, "alias": alias, "type": "Other"}}}
        if not details.get("description"):
            patch["description"] = description
        return patch

    update_with_etag(client, f"/planner/tasks/{task_id}/details", change)


def complete_task(client: GraphClient, task_id: str) -> bool:
    """Set the task's percentComplete to 100 (etag-aware); False when it already was (nothing sent)."""
    changed = False

    def change(task: dict[str, Any]) -> dict[str, Any] | None:
        nonlocal changed
        if task.get("percentComplete") == 100:
            return None
        changed = True
        return {"percentComplete": 100}

    update_with_etag(client, f"/planner/tasks/{task_id}", change)
    return changed
