"""Read a Planner plan into a `PlanSnapshot` in the fewest round trips Graph allows, and map tasks.

The plan, its details (label names) and buckets and the first page of tasks go in one `$batch`; the
remaining task pages follow `@odata.nextLink` (Planner pages are a fixed ~400 and ignore `$top`, GRAPH-FACTS
§2.6); the assignees' names come 20 per `$batch` through `PeopleDirectory`. A 2,000-task plan with 25
assignees therefore costs 1 + 4 + 2 = 7 round trips. Task details (description, checklist) are read only
for the tasks a feature needs, batched the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from assistant.domain.people import Person
from assistant.domain.plans import Bucket, Plan, PlanSnapshot
from assistant.domain.tasks import Checklist, ChecklistItem, Priority, Status, Task
from assistant.graph.batch import BatchItem, run_batch
from assistant.graph.client import GraphClient
from assistant.graph.people import PeopleDirectory


def load_plan_snapshot(client: GraphClient, plan_id: str, people: PeopleDirectory) -> PlanSnapshot:
    base = f"/planner/plans/{plan_id}"
    first = run_batch(
        client,
        [
            BatchItem(id="plan", url=base),
            BatchItem(id="details", url=f"{base}/details"),
            BatchItem(id="buckets", url=f"{base}/buckets"),
            BatchItem(id="tasks", url=f"{base}/tasks"),
        ],
    )
    plan = to_plan(first["plan"].json(), first["details"].json(), list(client.follow(first["buckets"].json())))
    raw_tasks = list(client.follow(first["tasks"].json()))
    assigned = people.resolve(uid for t in raw_tasks for uid in sorted(t.get("assignments") or {}))
    tasks = tuple(to_task(t, plan, assigned) for t in raw_tasks)
    return PlanSnapshot(plan, tasks, assigned)


DETAILS_CONCURRENCY = 4  # batches of details in flight at once


def with_details(client: GraphClient, tasks: Iterable[Task]) -> list[Task]:
    """The tasks with description and checklist items filled in, 20 details per round trip, 4 in flight."""
    chosen = list(tasks)
    items = [BatchItem(id=str(n), url=f"/planner/tasks/{t.id}/details") for n, t in enumerate(chosen)]
    results = run_batch(client, items, concurrency=DETAILS_CONCURRENCY)
    return [add_details(task, results[item.id].json()) for task, item in zip(chosen, items, strict=True)]


def to_plan(plan: Mapping[str, Any], details: Mapping[str, Any], buckets: list[dict[str, Any]]) -> Plan:
    ordered = sorted(buckets, key=_order_hint_key)
    labels = {k: v for k, v in (details.get("categoryDescriptions") or {}).items() if v and not k.startswith("@")}
    return Plan(
        id=plan["id"],
        title=plan.get("title") or "",
        buckets=tuple(Bucket(b["id"], b.get("name") or "") for b in ordered),
        labels=labels,
    )


def to_task(task: Mapping[str, Any], plan: Plan, people: Mapping[str, Person]) -> Task:
    buckets = {b.id: b.name for b in plan.buckets}
    percent = int(task.get("percentComplete") or 0)
    total = int(task.get("checklistItemCount") or 0)
    active = int(task.get("activeChecklistItemCount") or 0)
    categories = [k for k, on in (task.get("appliedCategories") or {}).items() if on is True]
    return Task(
        id=task["id"],
        title=task.get("title") or "",
        bucket=buckets.get(task.get("bucketId") or "", ""),
        status=Status.from_percent(percent),
        due=parse_instant(task.get("dueDateTime")),
        completed=parse_instant(task.get("completedDateTime")),
        assignees=tuple(people.get(uid) or Person.unknown(uid) for uid in sorted(task.get("assignments") or {})),
        priority=Priority.from_planner(int(task.get("priority", 5))),
        start=parse_instant(task.get("startDateTime")),
        labels=tuple(plan.labels.get(c, c) for c in sorted(categories, key=_category_number)),
        checklist=Checklist(done=max(0, total - active), total=total),
        percent=percent,
        has_description=bool(task.get("hasDescription")),
        created=parse_instant(task.get("createdDateTime")),
    )


def add_details(task: Task, details: Mapping[str, Any]) -> Task:
    checklist = sorted((details.get("checklist") or {}).values(), key=_order_hint_key)
    items = tuple(ChecklistItem(str(i.get("title") or ""), bool(i.get("isChecked"))) for i in checklist)
    return dataclasses.replace(task, description=str(details.get("description") or ""), checklist_items=items)


def parse_instant(value: str | None) -> dt.datetime | None:
    """Planner dates are UTC DateTimeOffsets like `2026-03-05T10:00:00Z` (7 fractional digits tolerated)."""
    if not value:
        return None
    text = value.replace("Z", "+00:00")
    if "." in text:
        head, rest = text.split(".", 1)
        digits = len(rest) - len(rest.lstrip("0123456789"))  # the fraction only, not the offset's digits after it
        text = f"{head}.{rest[: min(digits, 6)]}{rest[digits:]}"
    return dt.datetime.fromisoformat(text)


def _order_hint_key(item: Mapping[str, Any]) -> str:
    """Planner orders by `orderHint` compared ordinally (https://learn.microsoft.com/graph/planner-order-hint-format)."""
    return str(item.get("orderHint") or "")


def _category_number(name: str) -> int:
    digits = name.removeprefix("category")
    return int(digits) if digits.isdigit() else 0
