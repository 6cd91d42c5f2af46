"""Planner as Graph serves it: permissions, etags and If-Match, 204 vs representation, fixed pages."""

from __future__ import annotations

import pytest

from assistant.graph.http import PinnedSession
from assistant.sandbox.clock import SandboxClock
from assistant.sandbox.demo_tenant import READONLY_APP_ID, READONLY_APP_SECRET, build_demo_tenant, demo_projects
from assistant.sandbox.server import SandboxServer
from tests.conftest import DEMO_NOW, app_token


@pytest.fixture
def plan_id(demo_tenant):
    return demo_projects(demo_tenant)["apollo"]["plan_id"]


def _auth(token, **extra):
    return {"Authorization": f"Bearer {token}", **extra}


def test_app_without_tasks_permission_gets_planners_403(sandbox, http, graph, plan_id):
    token = app_token(sandbox, READONLY_APP_ID, READONLY_APP_SECRET)
    response = http.get(f"{graph}/planner/plans/{plan_id}/tasks", headers=_auth(token))
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "" and "permission" in error["message"]
    assert error["innerError"]["request-id"] == response.headers["request-id"]


def test_patch_without_if_match_is_412_and_with_current_etag_is_204(http, graph, token, plan_id):
    task = http.get(f"{graph}/planner/plans/{plan_id}/tasks", headers=_auth(token)).json()["value"][0]
    url = f"{graph}/planner/tasks/{task['id']}"
    assert http.patch(url, json={"title": "Renamed"}, headers=_auth(token)).status_code == 412
    done = http.patch(url, json={"percentComplete": 100}, headers=_auth(token, **{"If-Match": task["@odata.etag"]}))
    assert done.status_code == 204 and done.content == b""
    stale = http.patch(url, json={"title": "Again"}, headers=_auth(token, **{"If-Match": task["@odata.etag"]}))
    assert stale.status_code == 412
    fresh = http.get(url, headers=_auth(token)).json()
    assert fresh["percentComplete"] == 100 and fresh["completedDateTime"].startswith("2026-03-04")
    assert fresh["@odata.etag"] != task["@odata.etag"]


def test_prefer_return_representation_gives_200_with_the_new_etag(http, graph, token, plan_id):
    task = http.get(f"{graph}/planner/plans/{plan_id}/tasks", headers=_auth(token)).json()["value"][1]
    response = http.patch(
        f"{graph}/planner/tasks/{task['id']}",
        json={"title": "Renamed"},
        headers=_auth(token, **{"If-Match": task["@odata.etag"], "Prefer": "return=representation"}),
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed" and response.json()["@odata.etag"] != task["@odata.etag"]


def test_task_details_have_their_own_etag(http, graph, token, plan_id):
    task = http.get(f"{graph}/planner/plans/{plan_id}/tasks", headers=_auth(token)).json()["value"][2]
    details = http.get(f"{graph}/planner/tasks/{task['id']}/details", headers=_auth(token)).json()
    assert details["@odata.etag"] != task["@odata.etag"]
    wrong = http.patch(
        f"{graph}/planner/tasks/{task['id']}/details",
        json={"description": "x"},
        headers=_auth(token, **{"If-Match": task["@odata.etag"]}),
    )
    assert wrong.status_code == 412
    right = http.patch(
        f"{graph}/planner/tasks/{task['id']}/details",
        json={"description": "Blocked by: vendor"},
        headers=_auth(token, **{"If-Match": details["@odata.etag"]}),
    )
    assert right.status_code == 204
    assert http.get(f"{graph}/planner/tasks/{task['id']}", headers=_auth(token)).json()["hasDescription"] is True


def test_create_task_is_201_and_open_types_need_odata_type(sandbox, http, graph, token, plan_id, demo_tenant):
    user_id = demo_tenant["users"][1]["id"]
    bad = http.post(
        f"{graph}/planner/tasks",
        json={"planId": plan_id, "title": "Renew certificate", "assignments": {user_id: {"orderHint": " !"}}},
        headers=_auth(token),
    )
    assert bad.status_code == 400
    created = http.post(
        f"{graph}/planner/tasks",
        json={
            "planId": plan_id,
            "title": "Renew certificate",
            "dueDateTime": "2026-03-10T16:00:00Z",
            "assignments": {user_id: {"@odata.type": "#microsoft.graph.plannerAssignment", "orderHint": " !"}},
        },
        headers=_auth(token),
    )
    assert created.status_code == 201
    body = created.json()
    assert len(body["id"]) == 28 and body["createdDateTime"].startswith("2026-03-04")
    assert body["assignments"][user_id]["@odata.type"] == "#microsoft.graph.plannerAssignment"
    deleted = http.delete(
        f"{graph}/planner/tasks/{body['id']}", headers=_auth(token, **{"If-Match": body["@odata.etag"]})
    )
    assert deleted.status_code == 204
    assert http.get(f"{graph}/planner/tasks/{body['id']}", headers=_auth(token)).status_code == 404


def test_start_after_due_is_rejected(http, graph, token, plan_id):
    response = http.post(
        f"{graph}/planner/tasks",
        json={
            "planId": plan_id,
            "title": "x",
            "startDateTime": "2026-03-10T00:00:00Z",
            "dueDateTime": "2026-03-01T00:00:00Z",
        },
        headers=_auth(token),
    )
    assert response.status_code == 400


def test_plan_details_carry_label_names(http, graph, token, plan_id):
    details = http.get(f"{graph}/planner/plans/{plan_id}/details", headers=_auth(token)).json()
    assert "Milestone" in details["categoryDescriptions"].values()


def test_task_lists_come_in_fixed_pages_of_400_whatever_top_says(tmp_path):
    tenant = build_demo_tenant(DEMO_NOW, scale=10)
    plan = max(tenant["plans"], key=lambda p: len(p["tasks"]))
    with SandboxServer(tenant, tmp_path, clock=SandboxClock.frozen_at(DEMO_NOW)) as server:
        http = PinnedSession(server.ca_bundle)
        auth = {"Authorization": f"Bearer {app_token(server)}"}
        page = http.get(f"{server.url}/v1.0/planner/plans/{plan['id']}/tasks?$top=5", headers=auth).json()
        sizes = [len(page["value"])]
        while "@odata.nextLink" in page:
            page = http.get(page["@odata.nextLink"], headers=auth).json()
            sizes.append(len(page["value"]))
    assert sizes[0] == 400
    assert sum(sizes) == len(plan["tasks"]) > 400
