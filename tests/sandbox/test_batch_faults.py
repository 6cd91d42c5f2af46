"""$batch semantics, and the sandbox's deterministic faults and latency."""

from __future__ import annotations

import pytest
import requests

from assistant.sandbox.demo_tenant import demo_projects


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_batch_runs_each_request_and_fails_dependents_with_424(http, graph, token, demo_tenant):
    plan = demo_projects(demo_tenant)["apollo"]["plan_id"]
    body = {
        "requests": [
            {"id": "1", "method": "GET", "url": f"/planner/plans/{plan}"},
            {"id": "2", "method": "GET", "url": f"/planner/plans/{plan}/details"},
            {"id": "3", "method": "GET", "url": "/planner/plans/nope"},
            {"id": "4", "method": "GET", "url": f"/planner/plans/{plan}/buckets", "dependsOn": ["3"]},
            {"id": "5", "method": "GET", "url": "/users?$top=2", "dependsOn": ["1"]},
        ]
    }
    response = http.post(f"{graph}/$batch", json=body, headers=_auth(token))
    assert response.status_code == 200
    by_id = {r["id"]: r for r in response.json()["responses"]}
    assert {k: v["status"] for k, v in by_id.items()} == {"1": 200, "2": 200, "3": 404, "4": 424, "5": 200}
    assert by_id["2"]["body"]["categoryDescriptions"]
    assert len(by_id["5"]["body"]["value"]) == 2


def test_batch_limits_are_enforced_for_the_whole_batch(http, graph, token):
    too_many = {"requests": [{"id": str(i), "method": "GET", "url": "/users"} for i in range(21)]}
    assert http.post(f"{graph}/$batch", json=too_many, headers=_auth(token)).status_code == 400
    duplicate = {
        "requests": [{"id": "a", "method": "GET", "url": "/users"}, {"id": "A", "method": "GET", "url": "/users"}]
    }
    assert http.post(f"{graph}/$batch", json=duplicate, headers=_auth(token)).status_code == 400


def test_batch_body_needs_a_content_type(http, graph, token, demo_tenant):
    plan = demo_projects(demo_tenant)["apollo"]["plan_id"]
    body = {
        "requests": [{"id": "1", "method": "POST", "url": "/planner/tasks", "body": {"planId": plan, "title": "x"}}]
    }
    inner = http.post(f"{graph}/$batch", json=body, headers=_auth(token)).json()["responses"][0]
    assert inner["status"] == 400
    body["requests"][0]["headers"] = {"Content-Type": "application/json"}
    inner = http.post(f"{graph}/$batch", json=body, headers=_auth(token)).json()["responses"][0]
    assert inner["status"] == 201


def test_scripted_throttling_returns_429_with_retry_after(sandbox, http, graph, token):
    http.put(
        f"{sandbox.url}/_sandbox/faults",
        json={"script": [{"status": 429, "path": "/users$", "times": 2, "retry_after": 7}]},
    ).raise_for_status()
    first = http.get(f"{graph}/users", headers=_auth(token))
    second = http.get(f"{graph}/users", headers=_auth(token))
    third = http.get(f"{graph}/users", headers=_auth(token))
    assert [first.status_code, second.status_code, third.status_code] == [429, 429, 200]
    assert first.headers["Retry-After"] == "7"
    assert first.json()["error"]["code"] == "TooManyRequests"


def test_inner_batch_requests_are_throttled_individually(sandbox, http, graph, token):
    http.put(f"{sandbox.url}/_sandbox/faults", json={"script": [{"status": 429, "path": "/users/"}]}).raise_for_status()
    body = {
        "requests": [
            {"id": "1", "method": "GET", "url": "/users"},
            {"id": "2", "method": "GET", "url": "/users/megan.bowen@contoso.com"},
        ]
    }
    response = http.post(f"{graph}/$batch", json=body, headers=_auth(token))
    statuses = {r["id"]: r["status"] for r in response.json()["responses"]}
    assert response.status_code == 200 and statuses == {"1": 200, "2": 429}


def test_dropped_connection_breaks_the_response(sandbox, http, graph, token):
    http.put(
        f"{sandbox.url}/_sandbox/faults", json={"script": [{"status": "drop", "path": "/users"}]}
    ).raise_for_status()
    with pytest.raises(requests.exceptions.RequestException):
        http.get(f"{graph}/users", headers=_auth(token)).json()
    assert http.get(f"{graph}/users", headers=_auth(token)).status_code == 200


def test_a_drop_inside_a_batch_fails_only_that_request(sandbox, http, graph, token):
    """An inner request has no connection of its own: the batch still answers, that item with a 504."""
    http.put(
        f"{sandbox.url}/_sandbox/faults", json={"script": [{"status": "drop", "path": "/users/"}]}
    ).raise_for_status()
    body = {
        "requests": [
            {"id": "1", "method": "GET", "url": "/users"},
            {"id": "2", "method": "GET", "url": "/users/megan.bowen@contoso.com"},
        ]
    }
    response = http.post(f"{graph}/$batch", json=body, headers=_auth(token))
    statuses = {r["id"]: r["status"] for r in response.json()["responses"]}
    assert response.status_code == 200 and statuses == {"1": 200, "2": 504}


def test_fault_rate_is_deterministic_per_seed(sandbox, http, graph, token):
    def run():
        http.put(
            f"{sandbox.url}/_sandbox/faults", json={"rate": 0.5, "seed": 42, "kinds": ["503", "504"]}
        ).raise_for_status()
        return [http.get(f"{graph}/users?$top=1", headers=_auth(token)).status_code for _ in range(12)]

    first, second = run(), run()
    assert first == second
    assert {503, 504} & set(first) and 200 in first


def test_request_counts_per_route(sandbox, http, graph, token):
    http.post(f"{sandbox.url}/_sandbox/reset?what=counters").raise_for_status()
    for _ in range(3):
        http.get(f"{graph}/users", headers=_auth(token))
    counts = http.get(f"{sandbox.url}/_sandbox/requests").json()
    assert counts["routes"] == {"GET /v1.0/users": 3}


def test_unknown_route_gets_graphs_error_shape(http, graph, token):
    response = http.get(f"{graph}/nonsense/route", headers=_auth(token))
    assert response.status_code == 400
    assert set(response.json()["error"]) == {"code", "message", "innerError"}


def test_latency_is_added_once_per_round_trip_not_per_request_in_a_batch(sandbox, http, graph, token, monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(sandbox.sandbox.faults, "_sleep", slept.append)
    http.put(f"{sandbox.url}/_sandbox/faults", json={"latency_ms": 50}).raise_for_status()
    body = {"requests": [{"id": str(n), "method": "GET", "url": "/users?$top=1"} for n in range(10)]}
    assert http.post(f"{graph}/$batch", json=body, headers=_auth(token)).status_code == 200
    assert http.get(f"{graph}/users?$top=1", headers=_auth(token)).status_code == 200
    assert slept == [0.05, 0.05]
