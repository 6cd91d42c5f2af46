"""Read a Planner plan into a `PlanSnapshot` in the fewest round trips Graph allows, and map tasks.

The plan, its details (label names) and buckets and the first page of tasks go in one `$batch`, with
whatever else the caller has that needs no task (the status report's calendar page). Planner pages are a
fixed ~400 and ignore `$top` (GRAPH-FACTS §2.6): each next page is known only from the page before, so the
pages form a chain, and every link of it is a `$batch` too, filled with the requests that the pages already
read call for: the assignees' names (15 ids per request, `PeopleDirectory`) and, for the tasks a caller
chooses (`details_for`), their details (description, checklist). What a page calls for that does not fit
waits for a full `$batch` of 20, up to 4 in flight while the pages load; the rest goes after the last page.

Round trips for P pages and R other requests (names and details): P + ⌈(R − S) / 20⌉, where S ≤ 19 (P − 1)
is how many rode with pages 2…P; 1 + ⌈(P − 1 + R) / 20⌉ when those `$batch`es are full. A 2,000-task plan
with 25 assignees and no details: 5, one per page, the names riding with page 2.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.domain.people import Person
from assistant.domain.plans import Bucket, Plan, PlanSnapshot
from assistant.domain.tasks import Checklist, ChecklistItem, Priority, Status, Task
from assistant.graph.batch import BatchItem, BatchPipeline, BatchResult, run_batch
from assistant.graph.client import GraphClient, json_of
from assistant.graph.people import Lookup, PeopleDirectory

DETAILS_CONCURRENCY = 4  # `$batch`es in flight at once (a pipelined load keeps one of them for the next page)


@dataclass(frozen=True)
class PlanLoad:
    snapshot: PlanSnapshot  # with details filled in for the tasks `details_for` chose
    answers: dict[str, BatchResult]  # the answers to the caller's `also` requests, by id


def load_plan_snapshot(client: GraphClient, plan_id: str, people: PeopleDirectory) -> PlanSnapshot:
    return load_plan(client, plan_id, people).snapshot


def load_plan(
    client: GraphClient,
    plan_id: str,
    people: PeopleDirectory,
    *,
    details_for: Callable[[Task], bool] | None = None,
    also: Sequence[BatchItem] = (),
) -> PlanLoad:
    """The plan with its tasks named, the details of the tasks `details_for` accepts, and the answers to
    `also`: requests that need nothing from the plan and go in its first `$batch` (at most 16, with ids other
    than plan, details, buckets and tasks). `details_for` judges a task before its assignees' names are in
    (they are `Person.unknown` then)."""
    base = f"/planner/plans/{plan_id}"
    first = [BatchItem(id=name, url=f"{base}/{name}") for name in ("details", "buckets", "tasks")]
    reading = _Reading(people, details_for)
    with BatchPipeline(client, concurrency=DETAILS_CONCURRENCY) as pipe:
        pipe.lead([BatchItem(id="plan", url=base), *first, *also])
        answers = pipe.lead_answer()
        buckets = list(client.follow(answers["buckets"].json()))
        plan = to_plan(answers["plan"].json(), answers["details"].json(), buckets)
        page = answers["tasks"].json()
        while True:
            pipe.add(reading.take(page, plan))
            link = page.get("@odata.nextLink")
            if not link:
                break
            page = _next_page(client, pipe, link, f"page{reading.pages + 1}")
        answered = pipe.finish()
    return PlanLoad(reading.snapshot(plan, answered), {item.id: answered[item.id] for item in also})


class _Reading:
    """The tasks of the pages read so far, and the requests they call for: the names of assignees not seen
    before and the details of the tasks chosen."""

    def __init__(self, people: PeopleDirectory, details_for: Callable[[Task], bool] | None) -> None:
        self._people = people
        self._details_for = details_for
        self.pages = 0
        self._tasks: list[Task] = []
        self._assignees: dict[str, None] = {}  # user ids, in order of appearance
        self._lookups: list[Lookup] = []
        self._details: dict[str, int] = {}  # details request id → index in _tasks

    def take(self, page: Mapping[str, Any], plan: Plan) -> list[BatchItem]:
        """Map one page of tasks; the requests it calls for."""
        self.pages += 1
        fresh = [to_task(raw, plan, {}) for raw in page.get("value", [])]
        news = [p.id for t in fresh for p in t.assignees if p.id and p.id not in self._assignees]
        self._assignees.update(dict.fromkeys(news))
        lookups = self._people.lookups(news, prefix=f"p{self.pages}")
        self._lookups += lookups
        items = [lookup.item for lookup in lookups]
        chosen = self._details_for or (lambda _: False)
        for n, task in enumerate(fresh, start=len(self._tasks)):
            if chosen(task):
                item = BatchItem(id=f"d{len(self._details)}", url=_details_url(task))
                self._details[item.id] = n
                items.append(item)
        self._tasks += fresh
        return items

    def snapshot(self, plan: Plan, answered: Mapping[str, BatchResult]) -> PlanSnapshot:
        """The tasks with names and details from the answers (a failed details read raises here)."""
        for lookup in self._lookups:
            self._people.learn(lookup, answered[lookup.item.id])
        tasks = self._tasks
        for item_id, n in self._details.items():
            tasks[n] = add_details(tasks[n], answered[item_id].json())
        assigned = self._people.resolve(self._assignees)  # all known by now: no round trip
        return PlanSnapshot(plan, tuple(_named(task, assigned) for task in tasks), assigned)


def with_details(client: GraphClient, tasks: Iterable[Task]) -> list[Task]:
    """The tasks with description and checklist items filled in, 20 details per round trip, 4 in flight."""
    chosen = list(tasks)
    items = [BatchItem(id=str(n), url=_details_url(t)) for n, t in enumerate(chosen)]
    results = run_batch(client, items, concurrency=DETAILS_CONCURRENCY)
    return [add_details(task, results[item.id].json()) for task, item in zip(chosen, items, strict=True)]


def _details_url(task: Task) -> str:
    return f"/planner/tasks/{task.id}/details"


def _next_page(client: GraphClient, pipe: BatchPipeline, link: str, item_id: str) -> dict[str, Any]:
    """The page `link` names, as the lead of a `$batch` (so waiting requests go with it).

    A `$batch` takes URLs relative to the version (https://learn.microsoft.com/graph/json-batching, and the
    "JSON batching" known issue), while `@odata.nextLink` is absolute (microsoftgraph/microsoft-graph-docs#6535
    asks the docs to say so), so the link loses the client's base URL; the request is the same. Microsoft does
    not document a nextLink sent this way, so a link elsewhere, or one the `$batch` refuses, is followed
    directly, verbatim.
    """
    prefix = f"{client.base_url}/"
    if link.startswith(prefix):
        pipe.lead([BatchItem(id=item_id, url="/" + link.removeprefix(prefix))])
        result = pipe.lead_answer()[item_id]
        if result.ok:
            return dict(result.json())
    return json_of(client.request("GET", link))


def _named(task: Task, people: Mapping[str, Person]) -> Task:
    if not task.assignees:
        return task
    return dataclasses.replace(task, assignees=tuple(people.get(p.id or "", p) for p in task.assignees))


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
