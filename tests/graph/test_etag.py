"""Etag-aware updates: a concurrent change is re-read and merged, never applied twice or lost."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.graph.errors import PreconditionFailed
from assistant.graph.etag import update_with_etag


def a_task(client, demo_tenant: dict) -> dict[str, Any]:
    plan = demo_tenant["plans"][0]["id"]
    return next(t for t in client.pages(f"/planner/plans/{plan}/tasks") if t["percentComplete"] == 0)


def test_a_stale_etag_is_re_read_and_the_change_merged(client, make_client, demo_tenant, exchanges):
    task = a_task(client, demo_tenant)
    path = f"/planner/tasks/{task['id']}"
    # Someone else changes the title after we read the task: our etag is now stale.
    other = make_client()
    other.request(
        "PATCH", path, json_body={"title": "Renamed by a colleague"}, headers={"If-Match": task["@odata.etag"]}
    )
    exchanges.clear()

    updated = update_with_etag(client, path, lambda t: {"percentComplete": 50}, current=task)

    assert updated["percentComplete"] == 50 and updated["title"] == "Renamed by a colleague"
    assert [(e.method, e.status) for e in exchanges] == [("PATCH", 412), ("GET", 200), ("PATCH", 200)]


def test_a_409_conflict_is_retried_after_a_fresh_read(client, faults, demo_tenant, exchanges):
    task = a_task(client, demo_tenant)
    path = f"/planner/tasks/{task['id']}"
    faults(script=[{"status": 409, "method": "PATCH", "path": path}])
    updated = update_with_etag(client, path, lambda t: {"percentComplete": 100}, current=task)
    assert updated["percentComplete"] == 100
    assert [e.status for e in exchanges if e.method == "PATCH"] == [409, 200]


def test_a_change_someone_else_already_made_is_not_sent_again(client, make_client, demo_tenant, exchanges):
    task = a_task(client, demo_tenant)
    path = f"/planner/tasks/{task['id']}"
    make_client().request("PATCH", path, json_body={"percentComplete": 100}, headers={"If-Match": task["@odata.etag"]})

    def complete(current: dict[str, Any]) -> dict[str, Any] | None:
        return None if current["percentComplete"] == 100 else {"percentComplete": 100}

    exchanges.clear()
    result = update_with_etag(client, path, complete, current=task)
    assert result["percentComplete"] == 100
    assert [(e.method, e.status) for e in exchanges] == [("PATCH", 412), ("GET", 200)]


def test_a_dropped_patch_is_retried_and_applied_once(client, faults, demo_tenant, exchanges):
    task = a_task(client, demo_tenant)
    path = f"/planner/tasks/{task['id']}"
    faults(script=[{"status": "drop", "method": "PATCH", "path": path}])
    updated = update_with_etag(client, path, lambda t: {"percentComplete": 50}, current=task)
    assert updated["percentComplete"] == 50
    assert [e.status for e in exchanges if e.method == "PATCH"] == [None, 200]


def test_gives_up_after_the_attempts_allowed(client, faults, demo_tenant):
    task = a_task(client, demo_tenant)
    path = f"/planner/tasks/{task['id']}"
    faults(script=[{"status": 412, "method": "PATCH", "path": path, "times": 10}])
    with pytest.raises(PreconditionFailed):
        update_with_etag(client, path, lambda t: {"percentComplete": 50}, current=task, attempts=3)
