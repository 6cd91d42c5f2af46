"""Read a Planner plan's tasks and buckets and map them to `Task`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.domain.tasks import Status, Task
from assistant.graph.client import GraphClient


def read_tasks(client: GraphClient, plan_id: str) -> list[Task]:
    buckets = {b["id"]: b.get("name", "") for b in client.pages(f"/planner/plans/{plan_id}/buckets")}
    return [to_task(t, buckets) for t in client.pages(f"/planner/plans/{plan_id}/tasks")]


def _instant(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def to_task(task: dict[str, Any], buckets: dict[str, str]) -> Task:
    return Task(
        id=task["id"],
        title=task.get("title", ""),
        bucket=buckets.get(task.get("bucketId") or "", ""),
        status=Status.from_percent(int(task.get("percentComplete") or 0)),
        due=_instant(task.get("dueDateTime")),
        completed=_instant(task.get("completedDateTime")),
        assignee_ids=tuple(sorted((task.get("assignments") or {}).keys())),
    )
