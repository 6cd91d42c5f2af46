"""Contract tests against Microsoft's documented example responses (shared/refdata/graph/).

For each kind of entity the sandbox serves, fetch the same kind from the sandbox and require every key of the
documented example to be present with a value of the same JSON type, recursively. A `null` in the example
accepts anything. Maps keyed by data (Planner assignments, checklists, references, sharedWith, applied
categories) are compared value by value against the example's first entry; lists item by item against the
example's first item (an empty list or map is a valid value, so each test picks data that has entries).
Keys the sandbox may leave out are listed in `EXEMPT` with the reason.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from typing import Any
from urllib.parse import quote

import pytest

from assistant.sandbox.demo_tenant import READONLY_APP_ID, READONLY_APP_SECRET, demo_projects
from assistant.sandbox.server import SandboxServer
from tests.conftest import DEMO_NOW, REFDATA, app_token, delegated_token

DOCS = REFDATA / "graph"
WEEK = {"startDateTime": "2026-03-02T00:00:00Z", "endDateTime": "2026-03-09T00:00:00Z"}
PACIFIC = "Pacific Standard Time"
# Open types whose keys are data (user ids, GUIDs, encoded URLs, category names), not property names.
MAPS = {"assignments", "checklist", "references", "sharedWith", "appliedCategories"}
SEVEN_DIGITS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}$")
UTC_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z$")
WEAK_BASE64_ETAG = re.compile(r'^W/"[A-Za-z0-9+/]+={0,2}"$')

EXEMPT = {
    # OData navigation-link annotations: the docs sample carries them, odata.metadata=minimal lets a service
    # leave them out, and no client navigates by them.
    "$.calendar@odata.associationLink": "navigation-link annotation (odata.metadata=minimal)",
    "$.calendar@odata.navigationLink": "navigation-link annotation (odata.metadata=minimal)",
    # Inner $batch response headers are per service (caching, resource units, Planner cluster names); only
    # Content-Type belongs to the batch contract (json-batching.md).
    "$.responses[].headers.Cache-Control": "service-specific header",
    "$.responses[].headers.x-ms-resource-unit": "service-specific header",
    "$.responses[].headers.X-ProxyCluster": "Planner cluster header",
    "$.responses[].headers.X-OfficeCluster": "Planner cluster header",
    "$.responses[].headers.X-Tasks-CorrelationId": "Planner correlation header",
    # The directoryRole items of /me/memberOf in the docs' batch sample; the sandbox has no directory roles,
    # the stand-in request lists users.
    "$.responses[].body.value[]": "directoryRole items vs user items",
}


# -------------------------------------------------------------------------------------------------- helpers


def doc(relative: str) -> Any:
    return json.loads((DOCS / relative).read_text(encoding="utf-8"))


def doc_from_txt(relative: str) -> Any:
    """The JSON body embedded in a `*.response.txt` (status line and headers first, comments after)."""
    text = (DOCS / relative).read_text(encoding="utf-8")
    start = text.index("{")
    end = text.index("\n}", start) + 2
    return json.loads(text[start:end])


def _kind(value: Any) -> str:
    return "null" if value is None else {bool: "bool", int: "int", float: "number", str: "str", list: "list",
                                         dict: "object"}.get(type(value), type(value).__name__)  # fmt: skip


def shape_problems(example: Any, actual: Any, path: str = "$") -> list[str]:
    """How `actual` falls short of the documented `example` (keys present, JSON types equal, recursively)."""
    if path in EXEMPT or example is None:
        return []
    if _kind(example) != _kind(actual) and not (_kind(example) == "number" and _kind(actual) == "int"):
        return [f"{path}: the docs have {_kind(example)} ({json.dumps(example)[:60]}), the sandbox {_kind(actual)}"]
    if isinstance(example, list):  # an empty list is a valid value; tests pick data that has items
        return [p for item in actual for p in shape_problems(example[0], item, f"{path}[]")] if example else []
    if not isinstance(example, dict):
        return []
    if path.rsplit(".", 1)[-1] in MAPS and example:
        template = next(iter(example.values()))
        return [p for value in actual.values() for p in shape_problems(template, value, f"{path}{{}}")]
    problems = []
    for key, value in example.items():
        where = f"{path}.{key}"
        if where in EXEMPT:
            continue
        if key not in actual:
            problems.append(f"{where}: missing (the docs have {json.dumps(value)[:60]})")
        else:
            problems += shape_problems(value, actual[key], where)
    return problems


def assert_shape(example: Any, actual: Any) -> None:
    problems = shape_problems(example, actual)
    assert problems == [], "\n".join(problems)


def bearer(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


# ------------------------------------------------------------------------------------------------- fixtures


@pytest.fixture
def apollo(demo_tenant: dict) -> dict[str, Any]:
    return demo_projects(demo_tenant)["apollo"]


@pytest.fixture
def user_token(sandbox: SandboxServer, apollo: dict) -> str:
    return delegated_token(sandbox, apollo["calendar"], ["ChannelMessage.Send"])


@pytest.fixture
def week_events(http, graph: str, token: str, apollo: dict) -> list[dict[str, Any]]:
    response = http.get(
        f"{graph}/users/{apollo['calendar']}/calendarView", params={**WEEK, "$top": "500"}, headers=bearer(token)
    )
    response.raise_for_status()
    return response.json()["value"]


# ------------------------------------------------------------------------------------------------ calendar


def test_event_matches_the_get_event_example(http, graph, token, apollo, week_events) -> None:
    """calendar/get-event: GET events/{id}?$select=... with Prefer outlook.timezone (event-get.md)."""
    event = next(
        e for e in week_events if e["type"] == "singleInstance" and e["location"].get("uniqueId") and e["attendees"]
    )
    select = "subject,body,bodyPreview,organizer,attendees,start,end,location,hideAttendees"
    response = http.get(
        f"{graph}/users/{apollo['calendar']}/events/{event['id']}",
        params={"$select": select},
        headers=bearer(token, Prefer=f'outlook.timezone="{PACIFIC}"'),
    )

    assert response.status_code == 200
    body = response.json()
    assert_shape(doc("calendar/get-event.response.json"), body)
    assert body["start"]["timeZone"] == PACIFIC  # the doc sample says UTC; its sidecar notes the real service
    assert set(body) - {"@odata.context", "@odata.etag", "id"} == set(select.split(","))


def test_event_confirms_the_time_zone_preference(http, graph, token, apollo, week_events) -> None:
    response = http.get(
        f"{graph}/users/{apollo['calendar']}/events/{week_events[0]['id']}",
        headers=bearer(token, Prefer=f'outlook.timezone="{PACIFIC}"'),
    )

    assert response.headers.get("Preference-Applied") == f'outlook.timezone="{PACIFIC}"'  # event-get.md @02e0226b6e
    both = http.get(
        f"{graph}/users/{apollo['calendar']}/calendarView",
        params=WEEK,
        headers=bearer(token, Prefer=f'outlook.timezone="{PACIFIC}", outlook.body-content-type="text"'),
    )
    assert both.headers.get("Preference-Applied") == f'outlook.timezone="{PACIFIC}", outlook.body-content-type="text"'
    plain = http.get(f"{graph}/users/{apollo['calendar']}/events/{week_events[0]['id']}", headers=bearer(token))
    assert "Preference-Applied" not in plain.headers


def test_calendar_view_events_match_the_list_examples(http, graph, token, apollo) -> None:
    """calendar/list-calendarview and the richer calendar/list-group-calendarview (same event resource)."""
    response = http.get(
        f"{graph}/users/{apollo['calendar']}/calendarView",
        params={**WEEK, "$top": "500"},
        headers=bearer(token, Prefer='outlook.body-content-type="text"'),
    )

    assert response.status_code == 200
    body = response.json()
    assert len(body["value"]) > 10 and all(e["attendees"] for e in body["value"][:3])
    assert_shape(doc("calendar/list-calendarview.response.json"), body)
    group_example = doc("calendar/list-group-calendarview.response.json")
    del group_example["@odata.nextLink"]  # a full page of 10 in the docs; compared in the paging test below
    assert_shape(group_example, body)


def test_delta_page_matches_the_event_delta_example(http, graph, token, apollo) -> None:
    response = http.get(
        f"{graph}/users/{apollo['calendar']}/calendarView/delta",
        params={"startdatetime": WEEK["startDateTime"], "enddatetime": WEEK["endDateTime"]},  # the docs' casing
        headers=bearer(token, Prefer="odata.maxpagesize=2"),
    )

    assert response.status_code == 200
    body = response.json()
    assert_shape(doc("calendar/event-delta.response.json"), body)
    assert len(body["value"]) == 2 and "$skiptoken=" in body["@odata.nextLink"]


def test_calendar_view_next_link_and_its_offset_less_form(http, graph, token, apollo) -> None:
    """The docs' nextLink carries `$skip=10` and offset-less 7-digit window values (list-group-calendarview)."""
    view = f"{graph}/users/{apollo['calendar']}/calendarView"
    first = http.get(view, params=WEEK, headers=bearer(token)).json()
    assert len(first["value"]) == 10 and "$skip=10" in first["@odata.nextLink"]
    second = http.get(first["@odata.nextLink"], headers=bearer(token))  # followed verbatim
    assert second.status_code == 200 and second.json()["value"]

    offset_less = {key: value.replace("Z", ".0000000") for key, value in WEEK.items()}
    assert offset_less["startDateTime"] == "2026-03-02T00:00:00.0000000"
    as_utc = http.get(view, params={**WEEK, "$top": "500"}, headers=bearer(token)).json()["value"]
    plain = http.get(view, params={**offset_less, "$top": "500"}, headers=bearer(token)).json()["value"]
    assert [e["id"] for e in plain] == [e["id"] for e in as_utc]  # "a value with no offset is read as UTC"


# /me request lines Graph documents: user-list-calendarview.md @042230315c (both calendarView spellings),
# event-delta.md @028b8e3548 (delta; the SDK adds the parentheses), event-get.md, user-get.md, planneruser-list-tasks.md.
MEETINGS = "/v1.0/me/onlineMeetings"
ME_ROUTES = {
    "/v1.0/me", "/v1.0/me/calendarView", "/v1.0/me/calendar/calendarView", "/v1.0/me/calendarView/delta",
    "/v1.0/me/calendarView/delta()", "/v1.0/me/events/<event_id>", "/v1.0/me/planner/tasks", MEETINGS,
    f"{MEETINGS}/<meeting_id>", f"{MEETINGS}/<meeting_id>/attendanceReports",
    f"{MEETINGS}/<meeting_id>/attendanceReports/<report_id>",
    f"{MEETINGS}/<meeting_id>/attendanceReports/<report_id>/attendanceRecords", f"{MEETINGS}/<meeting_id>/transcripts",
    f"{MEETINGS}/<meeting_id>/transcripts/<transcript_id>", f"{MEETINGS}/<meeting_id>/transcripts/<transcript_id>/content",
}  # fmt: skip
MEETING_SCOPES = ["OnlineMeetings.Read", "OnlineMeetingArtifact.Read.All", "OnlineMeetingTranscript.Read.All"]


def _transcribed_meeting(tenant: dict[str, Any], subject: str) -> dict[str, Any]:
    return next(m for m in tenant["onlineMeetings"] if m["subject"] == subject and m["transcripts"])


def test_me_routes_are_answered_without_a_redirect(sandbox, http, apollo, week_events, demo_tenant) -> None:
    """Every `/me` alias the sandbox serves answers 200 itself (werkzeug used to 308 between aliases of one view)."""
    scopes = ["Calendars.Read", "User.Read", "Tasks.ReadWrite", *MEETING_SCOPES]
    token = delegated_token(sandbox, apollo["calendar"], scopes)
    aliases = {
        rule.rule for rule in sandbox.app.url_map.iter_rules()
        if rule.defaults == {"user_key": "me"} and "GET" in (rule.methods or ())
    }  # fmt: skip
    assert aliases == ME_ROUTES
    meeting = _transcribed_meeting(demo_tenant, "Apollo sprint review")
    samples = {
        "event_id": week_events[0]["id"],
        "meeting_id": meeting["id"],
        "report_id": meeting["attendanceReports"][0]["id"],
        "transcript_id": meeting["transcripts"][0]["id"],
    }
    for alias in sorted(aliases):
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: samples[m.group(1)], alias)
        params = {"$filter": f"JoinWebUrl eq '{meeting['joinWebUrl']}'"} if alias == MEETINGS else WEEK
        response = http.get(f"{sandbox.url}{path}", params=params, headers=bearer(token), allow_redirects=False)
        assert response.status_code == 200, (path, response.status_code, response.headers.get("Location"))


def test_event_date_times_use_seven_digits_without_offset(http, graph, token, apollo, week_events) -> None:
    for event in week_events:
        for key in ("start", "end"):
            assert SEVEN_DIGITS.match(event[key]["dateTime"]), event[key]
            assert event[key]["timeZone"] == "UTC"  # no Prefer: UTC (event-get.md)
        for attendee in event["attendees"]:
            if attendee["status"]["response"] == "none":
                assert attendee["status"]["time"] == "0001-01-01T00:00:00Z"
    in_pacific = http.get(
        f"{graph}/users/{apollo['calendar']}/calendarView",
        params={**WEEK, "$top": "500"},
        headers=bearer(token, Prefer=f'outlook.timezone="{PACIFIC}"'),
    ).json()["value"]
    for utc, local in zip(week_events, in_pacific, strict=True):
        assert SEVEN_DIGITS.match(local["start"]["dateTime"]) and local["start"]["timeZone"] == PACIFIC
        if not utc["isAllDay"]:
            moment = dt.datetime.fromisoformat(utc["start"]["dateTime"][:19]).replace(tzinfo=dt.UTC)
            assert local["start"]["dateTime"][:19] == (moment - dt.timedelta(hours=8)).isoformat()[:19]  # PST


# ------------------------------------------------------------------------------------------------- planner


def _task_with_details(sandbox: SandboxServer, plan_id: str) -> str:
    state = sandbox.state
    return next(
        t for t in state.plans[plan_id]["tasks"]
        if state.task_details[t].get("checklist") and state.task_details[t].get("references")
        and state.tasks[t].get("assignments") and state.tasks[t].get("bucketId")
    )  # fmt: skip


def test_task_matches_the_get_task_and_list_examples(sandbox, http, graph, token, apollo) -> None:
    task_id = _task_with_details(sandbox, apollo["plan_id"])

    task = http.get(f"{graph}/planner/tasks/{task_id}", headers=bearer(token)).json()
    assert_shape(doc("planner/get-task.response.json"), task)

    tasks = http.get(f"{graph}/planner/plans/{apollo['plan_id']}/tasks", headers=bearer(token)).json()
    with_assignees = {**tasks, "value": [t for t in tasks["value"] if t["assignments"]]}
    assert with_assignees["value"]
    assert_shape(doc("planner/list-plan-tasks.response.json"), with_assignees)


def test_task_details_match_the_get_task_details_example(sandbox, http, graph, token, apollo) -> None:
    task_id = _task_with_details(sandbox, apollo["plan_id"])

    details = http.get(f"{graph}/planner/tasks/{task_id}/details", headers=bearer(token)).json()

    assert_shape(doc("planner/get-task-details.response.json"), details)
    for key in details["references"]:
        assert not any(char in key for char in ".:@#"), key  # "%", ".", ":", "@", "#" percent-encoded


def test_plan_details_and_buckets_match_the_examples(http, graph, token, apollo) -> None:
    details = http.get(f"{graph}/planner/plans/{apollo['plan_id']}/details", headers=bearer(token)).json()
    assert_shape(doc("planner/get-plan-details.response.json"), details)

    buckets = http.get(f"{graph}/planner/plans/{apollo['plan_id']}/buckets", headers=bearer(token)).json()
    assert_shape(doc("planner/list-buckets.response.json"), buckets)


def test_create_and_update_task_match_the_examples(sandbox, http, graph, apollo) -> None:
    """Delegated, like the docs' examples (an app-only caller is `createdBy.application`, not `.user`)."""
    token = delegated_token(sandbox, apollo["calendar"], ["Tasks.ReadWrite"])
    plan = sandbox.state.plans[apollo["plan_id"]]
    assignee = sandbox.state.user(apollo["calendar"])["id"]
    request = doc("planner/create-task.request-body.json")
    template = next(iter(request["assignments"].values()))
    request.update(planId=plan["id"], bucketId=plan["buckets"][0]["id"], assignments={assignee: template})

    created = http.post(f"{graph}/planner/tasks", json=request, headers=bearer(token))

    assert created.status_code == 201
    assert_shape(doc("planner/create-task.response.json"), created.json())

    update = doc("planner/update-task.request-body.json")
    update["assignments"] = {assignee: next(iter(update["assignments"].values()))}
    task = created.json()
    updated = http.patch(
        f"{graph}/planner/tasks/{task['id']}",
        json=update,
        headers=bearer(token, **{"If-Match": task["@odata.etag"], "Prefer": "return=representation"}),
    )
    assert updated.status_code == 200
    body = updated.json()
    assert_shape(doc("planner/update-task.response.json"), body)
    assert body["appliedCategories"] == {"category3": True}  # category4: false removes it


def test_planner_dates_are_utc_with_z(http, graph, token, apollo) -> None:
    tasks = http.get(f"{graph}/planner/plans/{apollo['plan_id']}/tasks", headers=bearer(token)).json()["value"]
    for task in tasks:
        for key in ("createdDateTime", "dueDateTime", "startDateTime", "completedDateTime"):
            assert task.get(key) is None or UTC_OFFSET.match(task[key]), (key, task[key])
        for assignment in task["assignments"].values():
            assert UTC_OFFSET.match(assignment["assignedDateTime"])


# --------------------------------------------------------------------------------------------------- teams


def _messages(graph: str, project: dict, channel_id: str | None = None) -> str:
    channel = quote(project["channel_id"], safe="") if channel_id is None else channel_id
    return f"{graph}/teams/{project['team_id']}/channels/{channel}/messages"


def test_channel_message_matches_the_post_example(http, graph, user_token, apollo) -> None:
    response = http.post(_messages(graph, apollo), json={"body": {"content": "Hello World"}},
                         headers=bearer(user_token))  # fmt: skip

    assert response.status_code == 201
    message = response.json()
    assert_shape(doc("teams/post-channel-message.response.json"), message)
    assert message["etag"] == message["id"]  # a chatMessage's etag is its id (docs sample)
    encoded = quote(apollo["channel_id"], safe="")
    assert f"channels('{encoded}')" in message["@odata.context"]


def test_card_message_matches_the_post_card_example(http, graph, user_token, apollo) -> None:
    response = http.post(_messages(graph, apollo), json=doc("teams/post-card-message.request-body.json"),
                         headers=bearer(user_token))  # fmt: skip

    assert response.status_code == 201
    assert_shape(doc("teams/post-card-message.response.json"), response.json())
    assert isinstance(response.json()["attachments"][0]["content"], str)


def test_mention_message_matches_the_post_mention_example(sandbox, http, graph, user_token, apollo) -> None:
    request = doc("teams/post-mention-message.request-body.json")
    mentioned = sandbox.state.user("aiko.tanaka@contoso.com")
    request["mentions"][0]["mentioned"]["user"].update(id=mentioned["id"], displayName=mentioned["displayName"])

    response = http.post(_messages(graph, apollo), json=request, headers=bearer(user_token))

    assert response.status_code == 201
    assert_shape(doc("teams/post-mention-message.response.json"), response.json())
    [mention] = response.json()["mentions"]
    assert {key: mention["mentioned"][key] for key in ("application", "device", "conversation")} == dict.fromkeys(
        ("application", "device", "conversation")
    )  # null, as in the docs' response, not merely present
    assert mention["mentioned"]["user"]["id"] == mentioned["id"]


@pytest.mark.parametrize(
    "spelling",
    [
        pytest.param(lambda c: c.replace(":", "%3A").replace("@", "%40"), id="upper-case-percent"),
        pytest.param(lambda c: c.replace(":", "%3a").replace("@", "%40"), id="lower-case-percent"),
        pytest.param(lambda c: c, id="unencoded"),
    ],
)
def test_channel_id_percent_encoding_is_accepted_in_the_path(spelling, http, graph, token, user_token, apollo):
    channel = spelling(apollo["channel_id"])
    base = f"{graph}/teams/{apollo['team_id']}/channels/{channel}"

    got = http.get(base, headers=bearer(token))
    assert got.status_code == 200 and got.json()["id"] == apollo["channel_id"]
    folder = http.get(f"{base}/filesFolder", headers=bearer(token))
    assert folder.status_code == 200
    posted = http.post(_messages(graph, apollo, channel), json={"body": {"content": "hi"}}, headers=bearer(user_token))
    assert posted.status_code == 201 and posted.json()["channelIdentity"]["channelId"] == apollo["channel_id"]


def test_files_folder_and_upload_match_the_examples(http, graph, token, apollo) -> None:
    channel = quote(apollo["channel_id"], safe="")
    folder = http.get(f"{graph}/teams/{apollo['team_id']}/channels/{channel}/filesFolder", headers=bearer(token))
    assert folder.status_code == 200
    assert_shape(doc("teams/get-filesfolder.response.json"), folder.json())

    drive, parent = folder.json()["parentReference"]["driveId"], folder.json()["id"]
    uploaded = http.put(
        f"{graph}/drives/{drive}/items/{parent}:/FileB.txt:/content",
        data=b"The contents of the file goes here.",
        headers=bearer(token, **{"Content-Type": "text/plain"}),
    )
    assert uploaded.status_code == 201
    assert_shape(doc("teams/upload-file.response.json"), uploaded.json())
    assert uploaded.json()["name"] == "FileB.txt" and uploaded.json()["size"] == 35
    # A driveItem's eTag is a quoted "{GUID},version" (SharePoint), not a weak OData etag.
    assert re.match(r'^"\{[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\},\d+"$', uploaded.json()["eTag"])


# ------------------------------------------------------------------------------------------- subscriptions


def test_subscription_and_its_notification_match_the_examples(sandbox, http, graph, token, apollo, receiver):
    request = doc("subscriptions/create-subscription.request-body.json")
    request.update(
        changeType="updated",
        notificationUrl=f"{receiver.base_url}/api/send/myNotifyClient",
        resource=f"users/{apollo['calendar']}/events",
        expirationDateTime=(DEMO_NOW + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.0000000Z"),
    )

    created = http.post(f"{graph}/subscriptions", json=request, headers=bearer(token))

    assert created.status_code == 201
    assert_shape(doc("subscriptions/create-subscription.response.json"), created.json())
    assert SEVEN_DIGITS.match(created.json()["expirationDateTime"][:-1])

    mailbox = f"{sandbox.url}/_sandbox/calendars/{apollo['calendar']}/events"
    event = http.get(f"{graph}/users/{apollo['calendar']}/calendarView", params={**WEEK, "$top": "500"},
                     headers=bearer(token)).json()["value"]  # fmt: skip
    single = next(e for e in event if e["type"] == "singleInstance")
    http.patch(f"{mailbox}/{single['id']}", json={"subject": "Moved"}).raise_for_status()
    http.get(f"{sandbox.url}/_sandbox/notifications", params={"wait": "idle"}).raise_for_status()
    [notification] = [json.loads(r["body"]) for r in receiver.received if r["token"] is None]
    assert_shape(doc("subscriptions/change-notification.body.json"), notification)
    assert notification["value"][0]["clientState"] == request["clientState"]


# --------------------------------------------------------------------------------------------------- batch


def test_batch_response_matches_the_example(sandbox, http, graph, apollo) -> None:
    """The docs' batch (ids 1, 2, 4, 5) replayed against sandbox equivalents, as an app without Planner access."""
    readonly = app_token(sandbox, READONLY_APP_ID, READONLY_APP_SECRET)
    requests = [
        {"id": "1", "method": "GET", "url": "/users?$top=1"},  # a paged directory list, like /me/memberOf?$top=1
        {"id": "2", "method": "GET", "url": f"/planner/plans/{apollo['plan_id']}"},  # Planner 403, code ""
        {"id": "4", "url": f"/users/{apollo['calendar']}", "method": "POST", "body": {},
         "headers": {"Content-Type": "application/json"}},  # 405 Request_BadRequest
        doc("batch/batch.request-body.json")["requests"][4],  # verbatim: users?$select=...&$count=true
    ]  # fmt: skip

    response = http.post(f"{graph}/$batch", json={"requests": requests}, headers=bearer(readonly))

    assert response.status_code == 200
    by_id = {item["id"]: item for item in response.json()["responses"]}
    documented = {item["id"]: item for item in doc("batch/batch.response.json")["responses"]}
    assert {key: item["status"] for key, item in by_id.items()} == {"1": 200, "2": 403, "4": 405, "5": 200}
    for key, item in by_id.items():
        problems = shape_problems({"responses": [documented[key]]}, {"responses": [item]})
        assert problems == [], "\n".join(problems)
    assert by_id["2"]["body"]["error"] == {**documented["2"]["body"]["error"],
                                           "innerError": by_id["2"]["body"]["error"]["innerError"]}  # fmt: skip
    assert by_id["4"]["body"]["error"]["code"] == documented["4"]["body"]["error"]["code"]


def test_users_count_with_consistency_level(http, graph, token) -> None:
    """The docs' batch request 5 counts users in an advanced query (json-batching.md; aad-advanced-queries.md)."""
    response = http.get(f"{graph}/users", params={"$count": "true", "$select": "id"},
                        headers=bearer(token, ConsistencyLevel="eventual"))  # fmt: skip

    assert response.json().get("@odata.count") == len(response.json()["value"])
    assert_shape({"@odata.count": doc("batch/batch.response.json")["responses"][4]["body"]["@odata.count"]},
                 response.json())  # fmt: skip


# -------------------------------------------------------------------------------------------------- errors


def _script_fault(sandbox: SandboxServer, http, status: int, path: str, retry_after: int = 7) -> None:
    script = [{"status": status, "path": path, "times": 1, "retry_after": retry_after}]
    http.put(f"{sandbox.url}/_sandbox/faults", json={"script": script}).raise_for_status()


def test_planner_403_matches_the_documented_error(sandbox, http, graph, apollo) -> None:
    readonly = app_token(sandbox, READONLY_APP_ID, READONLY_APP_SECRET)
    response = http.get(f"{graph}/planner/plans/{apollo['plan_id']}", headers=bearer(readonly))

    assert response.status_code == 403
    example = doc("errors/planner-403-from-batch.response.json")
    assert_shape(example, response.json())
    assert response.json()["error"]["code"] == "" == example["error"]["code"]
    assert response.json()["error"]["message"] == example["error"]["message"]


def test_planner_412_matches_the_documented_error_shape(http, graph, token, apollo) -> None:
    created = http.post(f"{graph}/planner/tasks", json={"planId": apollo["plan_id"], "title": "412"},
                        headers=bearer(token)).json()  # fmt: skip

    response = http.patch(f"{graph}/planner/tasks/{created['id']}", json={"title": "x"}, headers=bearer(token))

    assert response.status_code == 412
    assert_shape(doc_from_txt("errors/planner-412.CONSTRUCTED.response.txt"), response.json())


@pytest.mark.parametrize(
    ("example", "route"),
    [
        ("errors/throttled-429.graph-subscriptions.response.json", "/subscriptions"),
        ("errors/throttled-429.onedrive.response.json", "/filesFolder"),
        ("errors/throttled-429.docs-sample.PARTIAL.response.txt", "/calendarView"),
    ],
)
def test_throttling_429_matches_the_documented_errors(example, route, sandbox, http, graph, token, apollo) -> None:
    channel = quote(apollo["channel_id"], safe="")
    urls = {
        "/subscriptions": f"{graph}/subscriptions",
        "/filesFolder": f"{graph}/teams/{apollo['team_id']}/channels/{channel}/filesFolder",
        "/calendarView": f"{graph}/users/{apollo['calendar']}/calendarView?startDateTime=2026-03-02T00:00:00Z"
        "&endDateTime=2026-03-03T00:00:00Z",
    }
    _script_fault(sandbox, http, 429, re.escape(route))

    response = http.get(urls[route], headers=bearer(token))

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"  # seconds
    documented = doc_from_txt(example) if example.endswith(".txt") else doc(example)
    assert_shape(documented, response.json())


def test_error_bodies_carry_the_generic_inner_error(http, graph, token, apollo) -> None:
    """`innerError` with `date` (offset-less, as in every sample), `request-id`, `client-request-id`."""
    client_request_id = "4d1b1e62-6c8b-4f0e-9a53-1f2d3c4b5a69"
    response = http.get(
        f"{graph}/users/{apollo['calendar']}/events/AAMkNoSuchEvent",
        headers=bearer(token, **{"client-request-id": client_request_id}),
    )

    assert response.status_code == 404
    inner = response.json()["error"]["innerError"]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", inner["date"])
    assert inner["client-request-id"] == client_request_id
    assert inner["request-id"] == response.headers["request-id"]


# --------------------------------------------------------------------------------------------------- etags


def test_odata_etag_formats(sandbox, http, graph, token, apollo, week_events) -> None:
    for event in week_events:  # Outlook: W/"<base64 change key>"
        assert WEAK_BASE64_ETAG.match(event["@odata.etag"]), event["@odata.etag"]
        assert event["@odata.etag"] == f'W/"{event["changeKey"]}"'
    task_id = _task_with_details(sandbox, apollo["plan_id"])
    planner = [
        http.get(f"{graph}/planner/plans/{apollo['plan_id']}", headers=bearer(token)).json(),
        http.get(f"{graph}/planner/plans/{apollo['plan_id']}/details", headers=bearer(token)).json(),
        http.get(f"{graph}/planner/tasks/{task_id}", headers=bearer(token)).json(),
        http.get(f"{graph}/planner/tasks/{task_id}/details", headers=bearer(token)).json(),
        *http.get(f"{graph}/planner/plans/{apollo['plan_id']}/buckets", headers=bearer(token)).json()["value"],
    ]
    documented = [
        doc("planner/list-buckets.response.json")["value"][0]["@odata.etag"],
        'W/"JzEtVGFzayAgQEBAQEBAQEBAQEBAQEBAWCc="',
    ]  # fmt: skip  (GRAPH-FACTS §2.2)
    for tag in [resource["@odata.etag"] for resource in planner] + documented:
        assert WEAK_BASE64_ETAG.match(tag), tag
        # Planner's opaque value is base64 of a quoted version string, like the docs' "'1-Task  @@…X'".
        assert re.match(r"^'\d+-.+'$", base64.b64decode(tag[3:-1]).decode("ascii")), tag
    assert len({resource["@odata.etag"] for resource in planner}) == len(planner)  # every resource its own


# -------------------------------------------------------------------------------------------- online meetings


def test_attendance_reports_and_transcripts_match_the_list_examples(http, graph, token, apollo, demo_tenant) -> None:
    """calendar/list-attendance-reports (meetingattendancereport-list.md) and calendar/list-transcripts
    (onlinemeeting-list-transcripts.md), fetched for a meeting that has both."""
    meeting = _transcribed_meeting(demo_tenant, "Apollo sprint review")
    base = f"{graph}/users/{apollo['calendar']}/onlineMeetings/{meeting['id']}"

    reports = http.get(f"{base}/attendanceReports", headers=bearer(token))
    assert reports.status_code == 200
    assert len(reports.json()["value"]) == 2  # one per ended session, as in the example
    assert_shape(doc("calendar/list-attendance-reports.response.json"), reports.json())
    assert all(report["attendanceRecords"] == [] for report in reports.json()["value"])  # as the example: empty

    transcripts = http.get(f"{base}/transcripts", headers=bearer(token))
    assert transcripts.status_code == 200
    assert_shape(doc("calendar/list-transcripts.response.json"), transcripts.json())
    assert transcripts.json()["@odata.context"].endswith(f"/onlineMeetings('{meeting['id']}')/transcripts")


def test_every_compared_example_exists_in_refdata() -> None:
    """Guards the fixtures above: every example this module compares against exists and is JSON."""
    used = [
        "calendar/get-event.response.json", "calendar/list-calendarview.response.json",
        "calendar/list-group-calendarview.response.json", "calendar/event-delta.response.json",
        "planner/get-task.response.json", "planner/list-plan-tasks.response.json",
        "planner/get-task-details.response.json", "planner/get-plan-details.response.json",
        "planner/list-buckets.response.json", "planner/create-task.response.json",
        "planner/update-task.response.json", "teams/post-channel-message.response.json",
        "teams/post-card-message.response.json", "teams/post-mention-message.response.json",
        "teams/get-filesfolder.response.json", "teams/upload-file.response.json",
        "subscriptions/create-subscription.response.json", "subscriptions/change-notification.body.json",
        "batch/batch.response.json", "errors/planner-403-from-batch.response.json",
        "calendar/list-attendance-reports.response.json", "calendar/list-transcripts.response.json",
        "errors/throttled-429.graph-subscriptions.response.json", "errors/throttled-429.onedrive.response.json",
    ]  # fmt: skip
    for relative in used:
        assert isinstance(doc(relative), dict), relative
    for relative in (
        "errors/planner-412.CONSTRUCTED.response.txt",
        "errors/throttled-429.docs-sample.PARTIAL.response.txt",
    ):
        assert "error" in doc_from_txt(relative)
