"""Retries, deadlines, paging and typed errors of the Graph client, against the sandbox over HTTPS."""

from __future__ import annotations

import pytest

from assistant.graph.client import GraphClient
from assistant.graph.errors import GraphError, NotFound, Throttled, TransportError, Unavailable
from tests.conftest import FakeTime


def plan_id(demo_tenant: dict) -> str:
    return demo_tenant["plans"][0]["id"]


def test_429_is_retried_after_the_seconds_graph_asks_for(client, faults, fake_time: FakeTime, exchanges, demo_tenant):
    faults(script=[{"status": 429, "path": "/planner/plans/", "times": 2, "retry_after": 7}])
    plan = client.get(f"/planner/plans/{plan_id(demo_tenant)}")
    assert plan["id"] == plan_id(demo_tenant)
    assert fake_time.sleeps == [7, 7]
    assert [e.status for e in exchanges] == [429, 429, 200]
    assert [e.attempt for e in exchanges] == [1, 2, 3]
    assert len({e.client_request_id for e in exchanges}) == 1  # one logical request, one id for support


def test_a_long_retry_after_is_capped(make_client, faults, fake_time: FakeTime, demo_tenant):
    client = make_client(max_delay=5.0)
    faults(script=[{"status": 429, "path": "/planner/plans/", "retry_after": 3600}])
    client.get(f"/planner/plans/{plan_id(demo_tenant)}")
    assert fake_time.sleeps == [5.0]


def test_503_without_retry_after_backs_off_exponentially(client, faults, fake_time: FakeTime, demo_tenant):
    faults(script=[{"status": 504, "path": "/planner/plans/", "times": 3}])
    client.get(f"/planner/plans/{plan_id(demo_tenant)}")
    assert fake_time.sleeps == [1.0, 2.0, 4.0]


def test_a_429_storm_ends_within_the_deadline_with_a_typed_error(make_client, faults, fake_time: FakeTime, exchanges):
    client = make_client(attempts=50, deadline=30.0)
    faults(rate=1.0, kinds=["429"], retry_after=4)
    start = fake_time.now
    with pytest.raises(Throttled) as caught:
        client.get("/users")
    assert fake_time.now - start <= 30.0
    assert len(exchanges) == 8  # tries at 0, 4, … 28 s; the next would start after the deadline
    assert caught.value.status == 429 and caught.value.attempts == 8
    assert "after 8 tries" in str(caught.value)


def test_a_dropped_connection_is_retried_for_a_read(client, faults, exchanges):
    faults(script=[{"status": "drop", "path": "/users"}])
    users = list(client.pages("/users"))
    assert len(users) == 15
    assert [e.status for e in exchanges] == [None, 200]


def test_a_post_that_got_no_answer_is_not_replayed(client, faults, exchanges, http, sandbox, demo_tenant):
    before = _task_count(client, demo_tenant)
    faults(script=[{"status": "drop", "method": "POST", "path": "/planner/tasks"}])
    with pytest.raises(TransportError, match="no answer"):
        client.request("POST", "/planner/tasks", json_body={"planId": plan_id(demo_tenant), "title": "Once"})
    assert [e.method for e in exchanges if e.method == "POST"] == ["POST"]
    assert _task_count(client, demo_tenant) == before


def test_a_post_answered_503_is_not_replayed(client, faults, exchanges, demo_tenant):
    faults(script=[{"status": 503, "method": "POST", "path": "/planner/tasks"}])
    with pytest.raises(Unavailable):
        client.request("POST", "/planner/tasks", json_body={"planId": plan_id(demo_tenant), "title": "Once"})
    assert len([e for e in exchanges if e.method == "POST"]) == 1


def test_a_throttled_post_is_replayed_and_creates_exactly_one_task(client, faults, demo_tenant):
    before = _task_count(client, demo_tenant)
    faults(script=[{"status": 429, "method": "POST", "path": "/planner/tasks", "times": 2}])
    created = client.request(
        "POST", "/planner/tasks", json_body={"planId": plan_id(demo_tenant), "title": "Exactly once"}
    ).json()
    titles = [t["title"] for t in client.pages(f"/planner/plans/{plan_id(demo_tenant)}/tasks")]
    assert titles.count("Exactly once") == 1 and created["title"] == "Exactly once"
    assert _task_count(client, demo_tenant) == before + 1


def test_errors_carry_status_code_and_both_request_ids(client, exchanges):
    with pytest.raises(NotFound) as caught:
        client.get("/planner/tasks/doesnotexist")
    error = caught.value
    assert error.status == 404 and error.request_id and error.client_request_id == exchanges[0].client_request_id
    assert error.request_id in str(error) and "/planner/tasks/doesnotexist" in str(error)
    assert len(exchanges) == 1  # a 404 is an answer, not a reason to try again


def test_paging_follows_next_links_to_the_end(client: GraphClient, exchanges, demo_tenant):
    users = list(client.pages("/users", {"$top": "4"}))
    assert len(users) == len(demo_tenant["users"]) == 15
    assert len({u["id"] for u in users}) == 15
    assert len(exchanges) == 4  # 4 + 4 + 4 + 3


def _task_count(client: GraphClient, demo_tenant: dict) -> int:
    return len(list(client.pages(f"/planner/plans/{plan_id(demo_tenant)}/tasks")))


def test_a_next_link_to_another_host_does_not_get_the_token(client: GraphClient, exchanges):
    page = {"value": [{"id": "1"}], "@odata.nextLink": "https://graph.evil.example/v1.0/users?$skiptoken=x"}
    with pytest.raises(GraphError, match="refusing to send the Graph token"):
        list(client.follow(page))
    assert exchanges == []
