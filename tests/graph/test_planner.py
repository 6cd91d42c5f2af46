"""Loading a plan: one $batch for plan, labels, buckets and the first task page; later pages each lead a $batch
that the names (15 ids a request) and chosen details fill."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from assistant.domain.people import Person
from assistant.domain.tasks import Priority, Status
from assistant.graph import planner
from assistant.graph.batch import BatchItem, BatchPipeline, BatchResult
from assistant.graph.client import GraphClient
from assistant.graph.http import PinnedSession
from assistant.graph.people import PeopleDirectory
from assistant.graph.planner import load_plan, load_plan_snapshot, parse_instant, with_details
from assistant.sandbox.clock import SandboxClock
from assistant.sandbox.demo_tenant import build_demo_tenant
from assistant.sandbox.server import SandboxServer
from tests.conftest import DEMO_NOW, app_token

BERLIN_LATE_DECISION = "Decision: keep or drop local admin rights for developers"


def atlas(demo_tenant: dict) -> dict:
    return next(p for p in demo_tenant["plans"] if p["title"].startswith("Atlas"))


def test_snapshot_costs_two_round_trips_and_matches_what_graph_serves(
    client, people, exchanges, demo_tenant, http, sandbox, token
):
    plan = atlas(demo_tenant)
    snapshot = load_plan_snapshot(client, plan["id"], people)
    assert len(exchanges) == 2  # one $batch for plan/details/buckets/tasks, one $batch of user names

    auth = {"Authorization": f"Bearer {token}"}
    raw = http.get(f"{sandbox.url}/v1.0/planner/plans/{plan['id']}/tasks", headers=auth).json()["value"]
    assert sorted(t.id for t in snapshot.tasks) == sorted(t["id"] for t in raw)
    assert snapshot.plan.title == plan["title"]
    buckets = http.get(f"{sandbox.url}/v1.0/planner/plans/{plan['id']}/buckets", headers=auth).json()["value"]
    assert {b.name for b in snapshot.plan.buckets} == {b["name"] for b in buckets}

    users = {u["id"]: u["displayName"] for u in demo_tenant["users"]}
    for task, source in zip(
        sorted(snapshot.tasks, key=lambda t: t.id), sorted(raw, key=lambda t: t["id"]), strict=True
    ):
        assert [p.name for p in task.assignees] == [users[uid] for uid in sorted(source["assignments"])]
        assert task.status is Status.from_percent(source["percentComplete"])


def test_tasks_read_in_business_words(client, people, demo_tenant):
    snapshot = load_plan_snapshot(client, atlas(demo_tenant)["id"], people)
    decision = next(t for t in snapshot.tasks if t.title == BERLIN_LATE_DECISION)
    assert decision.labels == ("Decision", "Security")
    assert decision.priority is Priority.IMPORTANT  # Planner value 3
    assert {p.name for p in decision.assignees} == {"Hannah Weber", "Grace Liu"}
    assert decision.bucket == "Imaging & Autopilot"
    assert decision.has_description and decision.description is None  # details are loaded on demand
    assert snapshot.plan.labels["category1"] == "Milestone"
    board = ["Procurement", "Imaging & Autopilot", "Pilot", "Rollout waves", "Asset return & disposal"]
    assert [b.name for b in snapshot.plan.buckets] == board  # by orderHint, as the board shows them


def test_details_are_loaded_only_for_the_tasks_asked_for(client, people, demo_tenant, exchanges):
    snapshot = load_plan_snapshot(client, atlas(demo_tenant)["id"], people)
    described = [t for t in snapshot.tasks if t.has_description][:3]
    exchanges.clear()
    detailed = with_details(client, described)
    assert len(exchanges) == 1
    decision = next((t for t in detailed if t.title == BERLIN_LATE_DECISION), None)
    if decision is not None:
        assert decision.description is not None and "Endpoint Privilege Management" in decision.description
    assert all(t.description for t in detailed)
    with_checklist = [t for t in snapshot.tasks if t.checklist.total][:1]
    (task,) = with_details(client, with_checklist)
    assert len(task.checklist_items) == task.checklist.total
    assert sum(i.done for i in task.checklist_items) == task.checklist.done


def test_names_are_looked_up_once(client, exchanges, demo_tenant):
    directory = PeopleDirectory(client)
    ids = [u["id"] for u in demo_tenant["users"]]
    first = directory.resolve(ids[:5])
    again = directory.resolve(reversed(ids[:5]))
    assert len(exchanges) == 1 and first == again
    assert first[ids[0]] == Person(demo_tenant["users"][0]["displayName"], demo_tenant["users"][0]["mail"], ids[0])


def test_an_unknown_assignee_is_named_not_fatal(client):
    ghost = "00000000-0000-0000-0000-00000000dead"
    assert PeopleDirectory(client).resolve([ghost])[ghost] == Person.unknown(ghost)


@pytest.fixture(scope="module")
def big_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    tenant = build_demo_tenant(DEMO_NOW, scale=9)  # about 470 tasks per plan: two Planner pages
    with SandboxServer(tenant, tmp_path_factory.mktemp("big"), clock=SandboxClock.frozen_at(DEMO_NOW)) as server:
        yield server


def test_a_plan_over_one_page_is_read_whole(big_sandbox: SandboxServer):
    token = app_token(big_sandbox)
    client = GraphClient(f"{big_sandbox.url}/v1.0", lambda: token, PinnedSession(big_sandbox.ca_bundle))
    plan = next(p for p in big_sandbox.state.plans.values() if p["title"].startswith("Atlas"))
    expected = [t["id"] for t in big_sandbox.state.tasks.values() if t["planId"] == plan["id"]]
    assert len(expected) > 400
    snapshot = load_plan_snapshot(client, plan["id"], PeopleDirectory(client))
    assert sorted(t.id for t in snapshot.tasks) == sorted(expected)
    assert client.round_trips == 2  # batch; second task page with the names of the first page's assignees


def test_late_tasks_are_judged_in_the_projects_zone(client, people, demo_tenant):
    snapshot = load_plan_snapshot(client, atlas(demo_tenant)["id"], people)
    berlin = ZoneInfo("Europe/Berlin")
    as_of = DEMO_NOW.astimezone(berlin).date()
    late = snapshot.late(as_of, berlin)
    assert late and all(t.status is not Status.COMPLETED and t.due_date(berlin) < as_of for t in late)
    assert [t.due_date(berlin) for t in late] == sorted(t.due_date(berlin) for t in late)
    assert any(t.title == BERLIN_LATE_DECISION for t in late)


@pytest.mark.parametrize(
    "value",
    ["2026-02-18T10:35:44.0561130Z", "2026-02-18T10:35:44.05Z", "2026-02-18T10:35:44Z", "2026-02-18T11:35:44+01:00"],
)
def test_planner_instants_stay_aware_whatever_their_fraction(value):
    """Planner writes 7 fractional digits; the offset after them must not be taken for more of the fraction."""
    instant = parse_instant(value)
    assert instant is not None and instant.utcoffset() is not None
    assert instant.astimezone(dt.UTC).replace(microsecond=0) == dt.datetime(2026, 2, 18, 10, 35, 44, tzinfo=dt.UTC)


def test_names_go_fifteen_ids_to_a_request_and_other_keys_one_each(client, exchanges, demo_tenant):
    directory = PeopleDirectory(client)
    users = demo_tenant["users"]
    ghost = "00000000-0000-0000-0000-00000000beef"
    ids = [*(u["id"] for u in users), ghost]
    assert len(ids) == 16
    upn = users[0]["userPrincipalName"]
    lookups = directory.lookups([*ids, upn], prefix="")
    assert [(len(x.keys), x.filtered) for x in lookups] == [(15, True), (1, True), (1, False)]
    found = directory.resolve([*ids, upn])
    assert len(exchanges) == 1  # three requests in one $batch
    assert [found[u["id"]] for u in users] == [Person(u["displayName"], u["mail"], u["id"]) for u in users]
    assert found[ghost] == Person.unknown(ghost)  # not in the filtered list: unknown, not an error
    assert found[upn].id == users[0]["id"]


def test_a_pipelined_load_reads_the_chosen_details_and_the_callers_requests(big_sandbox: SandboxServer):
    token = app_token(big_sandbox)
    client = GraphClient(f"{big_sandbox.url}/v1.0", lambda: token, PinnedSession(big_sandbox.ca_bundle))
    plan = next(p for p in big_sandbox.state.plans.values() if p["title"].startswith("Atlas"))
    reference = load_plan_snapshot(client, plan["id"], PeopleDirectory(client))
    chosen = [t for t in reference.tasks if t.has_description]
    expected = {t.id: t for t in with_details(client, chosen)}
    client.round_trips = 0

    me = BatchItem(id="me", url="/users?$top=1")
    load = load_plan(client, plan["id"], PeopleDirectory(client), details_for=lambda t: t.has_description, also=[me])
    assert load.answers["me"].json()["value"]
    assert [t.id for t in load.snapshot.tasks] == [t.id for t in reference.tasks]
    assert load.snapshot.people == reference.people
    for task in load.snapshot.tasks:
        assert task == expected.get(task.id, task)  # names, description and checklist alike
    assert len(expected) > 19  # enough to fill the second page's $batch
    names = -(-len(reference.people) // 15)
    assert client.round_trips == 2 + -(-(len(expected) + names - 19) // 20)  # P + ⌈(R + ⌈N/15⌉ − 19 (P − 1)) / 20⌉


def test_a_next_page_the_batch_refuses_is_followed_directly(big_sandbox: SandboxServer, monkeypatch):
    class Refusing(BatchPipeline):
        def lead_answer(self) -> dict[str, BatchResult]:
            refused = {"error": {"code": "BadRequest", "message": "no"}}
            answers = super().lead_answer()
            return {k: BatchResult(v.item, 400, {}, refused) if k.startswith("page") else v for k, v in answers.items()}

    monkeypatch.setattr(planner, "BatchPipeline", Refusing)
    token = app_token(big_sandbox)
    client = GraphClient(f"{big_sandbox.url}/v1.0", lambda: token, PinnedSession(big_sandbox.ca_bundle))
    plan = next(p for p in big_sandbox.state.plans.values() if p["title"].startswith("Atlas"))
    snapshot = load_plan_snapshot(client, plan["id"], PeopleDirectory(client))
    assert len(snapshot.tasks) == sum(1 for t in big_sandbox.state.tasks.values() if t["planId"] == plan["id"])
    assert client.round_trips == 3  # first $batch, the refused page's $batch, the page read directly
