"""The status report's reads: one pipelined plan load with the calendar in its first $batch, and descriptions
only for the tasks that can be blocked; the report is the one a read of every description gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from assistant.domain.status import build_status
from assistant.domain.tasks import Status
from assistant.graph.calendar import meetings
from assistant.graph.client import GraphClient
from assistant.graph.http import PinnedSession
from assistant.graph.people import IDS_PER_FILTER, PeopleDirectory
from assistant.graph.planner import load_plan_snapshot, with_details
from assistant.projects import parse_projects
from assistant.render.status_json import status_json
from assistant.sandbox.clock import SandboxClock
from assistant.sandbox.demo_tenant import build_demo_tenant, demo_projects
from assistant.sandbox.server import SandboxServer
from assistant.services.connect import Connection
from assistant.services.status import may_be_blocked, status_inputs
from tests.conftest import DEMO_NOW, app_token

UNDATED = 4  # described open tasks whose due date the tenant below drops, a blocked one among them


@pytest.fixture(scope="module")
def undated_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """The demo tenant where some open Atlas tasks with a description, one with a `Blocked by:` line, have
    no due date: by the rule they cannot be blocked."""
    tenant = build_demo_tenant(DEMO_NOW)
    atlas = next(p for p in tenant["plans"] if p["title"].startswith("Atlas"))
    described = [t for t in atlas["tasks"] if t["hasDescription"] and t["percentComplete"] < 100 and t["dueDateTime"]]
    blocked = [t for t in described if "Blocked by:" in t["details"]["description"]]
    for task in [blocked[0], *[t for t in described if t is not blocked[0]][: UNDATED - 1]]:
        task["dueDateTime"] = None
    with SandboxServer(tenant, tmp_path_factory.mktemp("undated"), clock=SandboxClock.frozen_at(DEMO_NOW)) as server:
        yield server


def connect(server: SandboxServer) -> Connection:
    token = app_token(server)
    client = GraphClient(f"{server.url}/v1.0", lambda: token, PinnedSession(server.ca_bundle))
    return Connection(client, PeopleDirectory(client), PinnedSession(server.ca_bundle))


def every_description_read(graph: Connection, project, as_of: dt.date):
    """The reads before the pipeline: plan, then every open task's description, then the calendar."""
    snapshot = load_plan_snapshot(graph.client, project.plan_id, graph.people)
    wanted = [t for t in snapshot.tasks if t.has_description and t.status is not Status.COMPLETED]
    detailed = {t.id: t for t in with_details(graph.client, wanted)}
    snapshot = dataclasses.replace(snapshot, tasks=tuple(detailed.get(t.id, t) for t in snapshot.tasks))
    start = dt.datetime.combine(as_of, dt.time(), project.zone)
    found = meetings(graph.client, project, start, start + dt.timedelta(days=project.rules.meetings_horizon_days))
    return snapshot, found


@pytest.mark.parametrize("key", ["apollo", "atlas", "meridian"])
def test_the_pipelined_reads_give_the_report_every_description_gives(sandbox, key):
    graph = connect(sandbox)
    project = parse_projects({"projects": demo_projects(build_demo_tenant(DEMO_NOW))}, source="test")[key]
    as_of = DEMO_NOW.astimezone(project.zone).date()
    snapshot, found = status_inputs(graph, project, as_of)
    trips = graph.client.round_trips
    reference = every_description_read(connect(sandbox), project, as_of)

    assert found == reference[1]
    report = status_json(build_status(project, snapshot, found, as_of))
    assert report == status_json(build_status(project, *reference, as_of))
    assert [r["kind"] for r in report["risks"]].count("blocked") == 1  # read from a description
    read = [t for t in snapshot.tasks if t.description is not None]
    assert read == [t for t in reference[0].tasks if may_be_blocked(t)]
    names = -(-len(snapshot.people) // IDS_PER_FILTER)
    assert trips == 1 + -(-(len(read) + names) // 20)  # one page: the first $batch (calendar in it), then the rest


def test_a_task_without_a_due_date_is_never_blocked_so_its_description_is_not_read(undated_sandbox):
    project = parse_projects({"projects": demo_projects(build_demo_tenant(DEMO_NOW))}, source="test")["atlas"]
    as_of = DEMO_NOW.astimezone(project.zone).date()
    snapshot, found = status_inputs(connect(undated_sandbox), project, as_of)
    reference = every_description_read(connect(undated_sandbox), project, as_of)

    skipped = [t for t in reference[0].tasks if t.description and t.due is None]
    assert len(skipped) == UNDATED and any("Blocked by:" in t.description for t in skipped)
    by_id = {t.id: t for t in snapshot.tasks}
    assert all(by_id[t.id].description is None for t in skipped)
    assert status_json(build_status(project, snapshot, found, as_of)) == status_json(
        build_status(project, *reference, as_of)
    )
