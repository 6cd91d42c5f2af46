"""Action items into Planner, and Planner's answer back: a completed task closes its action.

One task per action whose owner resolved, in the project plan's `Action items` bucket (made if missing),
assigned to the owner, due on the action's date, with a link back to the minutes. Idempotent: an action
that already has a task gets none; and before creating, an open task of the same title assigned to the same
person in that bucket is adopted — which is what makes a re-run after a crash between "created" and
"recorded" safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.domain.actions import ActionItem
from assistant.domain.plans import PlanSnapshot
from assistant.domain.project import Project
from assistant.domain.tasks import Status
from assistant.graph.client import GraphClient
from assistant.graph.errors import GraphError, NotFound
from assistant.graph.planner_write import complete_task, create_task, ensure_bucket, link_details
from assistant.storage.meeting_records import MeetingRecords

ACTIONS_BUCKET = "Action items"


@dataclass
class TaskOutcome:
    created: list[tuple[ActionItem, str]] = field(default_factory=list)  # (action, new task id)
    already: list[ActionItem] = field(default_factory=list)  # had a task before this run
    unresolved: list[ActionItem] = field(default_factory=list)  # owner matched nobody: no task
    failed: list[tuple[ActionItem, str]] = field(default_factory=list)  # (action, why)

    def summary(self) -> str:
        parts = [f"{len(self.created)} Planner task{'s' if len(self.created) != 1 else ''} created"]
        if self.already:
            parts.append(f"{len(self.already)} already had one")
        if self.unresolved:
            names = ", ".join(sorted({f"@{a.owner_text}" for a in self.unresolved}))
            parts.append(f"{len(self.unresolved)} not created: nobody matches {names}")
        if self.failed:
            parts.append(f"{len(self.failed)} failed ({self.failed[0][1]})")
        return "; ".join(parts)


def create_action_tasks(
    client: GraphClient,
    records: MeetingRecords,
    project: Project,
    snapshot: PlanSnapshot,
    actions: Sequence[ActionItem],
    minutes_url: str | None,
    clock: Callable[[], dt.datetime],
) -> TaskOutcome:
    outcome = TaskOutcome()
    todo = []
    for action in actions:
        if action.planner_task_id:
            outcome.already.append(action)
        elif action.owner is None or not action.owner.id:
            outcome.unresolved.append(action)
        else:
            todo.append(action)
    if not todo:
        return outcome
    bucket_id = ensure_bucket(client, project.plan_id, ACTIONS_BUCKET)
    bucket = next((b.name for b in snapshot.plan.buckets if b.id == bucket_id), ACTIONS_BUCKET)
    taken = {a.planner_task_id for a in actions if a.planner_task_id}
    for action in todo:
        assert action.owner is not None and action.owner.id
        existing = next(
            (
                t.id
                for t in snapshot.tasks
                if t.bucket == bucket
                and t.title == action.text
                and action.owner.id in t.assignee_ids
                and t.id not in taken
            ),
            None,
        )
        try:
            task_id = existing or _create(client, project, bucket_id, action, minutes_url)
        except GraphError as exc:
            outcome.failed.append((action, str(exc)))
            continue
        taken.add(task_id)
        records.set_planner_task(action.id, task_id, clock())
        if existing:
            outcome.already.append(action)
        else:
            outcome.created.append((action, task_id))
    return outcome


def _create(client: GraphClient, project: Project, bucket_id: str, action: ActionItem, minutes_url: str | None) -> str:
    due = dt.datetime.combine(action.due, dt.time(), project.zone) if action.due else None
    task = create_task(
        client, project.plan_id, bucket_id, action.text, assignee_id=action.owner.id if action.owner else None, due=due
    )
    task_id = str(task["id"])
    if minutes_url:
        about = f"Agreed in “{action.meeting_subject}” on {action.meeting_day:%a %d %b %Y}."
        link_details(client, task_id, minutes_url, f"Minutes: {action.meeting_subject}", about)
    return task_id


def close_completed(
    records: MeetingRecords, project: Project, snapshot: PlanSnapshot, clock: Callable[[], dt.datetime]
) -> int:
    """Close the project's open actions whose Planner task is completed; returns how many closed."""
    done = {t.id for t in snapshot.tasks if t.status is Status.COMPLETED}
    finished = [a.id for a in records.actions(project.key, open_only=True) if a.planner_task_id in done]
    return records.close(finished, clock()) if finished else 0


@dataclass(frozen=True)
class Done:
    """What `done` / "Mark done" did: `closed` is False when the item was already done (a second click)."""

    action: ActionItem
    closed: bool
    task: str | None = None  # "completed", "already complete", "gone" (deleted in Planner), None: no task


def mark_done(
    client: GraphClient, records: MeetingRecords, project: Project, action_id: str, clock: Callable[[], dt.datetime]
) -> Done | None:
    """Close one action item and complete its Planner task; None when the project has no such item.

    The task first, then the item: if Planner fails, the item stays open and a retry does both. An item already
    done is answered as such without a Graph call, so a second click changes nothing anywhere.
    """
    action = next((a for a in records.actions(project.key) if a.id == action_id), None)
    if action is None:
        return None
    if not action.is_open:
        return Done(action, closed=False)
    task = None
    if action.planner_task_id:
        try:
            task = "completed" if complete_task(client, action.planner_task_id) else "already complete"
        except NotFound:
            task = "gone"
    closed = records.close([action.id], clock()) > 0
    return Done(action, closed=closed, task=task if closed else None)
