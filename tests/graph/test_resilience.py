"""Under a storm of 429s, 503/504s and dropped connections: reads complete, writes are never lost or doubled.

"Lost" means the caller believes a write happened that did not, or the reverse; every POST here either
returns the created task or raises, and the plan afterwards holds exactly the ones that returned.
"""

from __future__ import annotations

from typing import Any

from assistant.graph.errors import GraphError
from assistant.graph.etag import update_with_etag
from assistant.graph.people import PeopleDirectory
from assistant.graph.planner import load_plan_snapshot
from tests.conftest import FakeTime

STORM = {"rate": 0.35, "seed": 11, "kinds": ["429", "503", "504", "drop"], "retry_after": 2}
MARK = " ✓"


def test_a_plan_loads_the_same_in_a_storm(make_client, faults, fake_time: FakeTime, demo_tenant):
    plan = demo_tenant["plans"][1]["id"]
    calm = load_plan_snapshot(make_client(), plan, PeopleDirectory(make_client()))
    faults(**STORM)
    stormy_client = make_client()
    stormy = load_plan_snapshot(stormy_client, plan, PeopleDirectory(stormy_client))
    assert stormy == calm
    assert fake_time.sleeps, "the storm caused retries"
    assert fake_time.now - 1000.0 <= stormy_client.round_trips * stormy_client.policy.deadline


def test_writes_in_a_storm_are_neither_lost_nor_doubled(make_client, faults, fake_time: FakeTime, demo_tenant):
    plan = demo_tenant["plans"][0]["id"]
    client = make_client()
    faults(**STORM)
    created: list[dict[str, Any]] = []
    refused = 0
    for n in range(12):
        try:
            created.append(
                client.request("POST", "/planner/tasks", json_body={"planId": plan, "title": f"Storm {n}"}).json()
            )
        except GraphError:
            refused += 1
    assert refused, "some POSTs met a 503/504 or a drop and were not replayed"

    def mark(task: dict[str, Any]) -> dict[str, Any] | None:
        return None if task["title"].endswith(MARK) else {"title": task["title"] + MARK}

    for task in created:
        update_with_etag(client, f"/planner/tasks/{task['id']}", mark, current=task)

    faults(rate=0.0)
    storm = [t for t in make_client().pages(f"/planner/plans/{plan}/tasks") if t["title"].startswith("Storm ")]
    assert sorted(t["id"] for t in storm) == sorted(t["id"] for t in created)  # nothing phantom, nothing doubled
    assert all(t["title"].count("✓") == 1 for t in storm)  # every update applied exactly once
    assert len(storm) + refused == 12
