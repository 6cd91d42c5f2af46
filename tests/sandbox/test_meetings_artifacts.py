"""Online meetings looked up from calendar events, their attendance reports and transcripts, and the ways Graph
refuses them: no permission, no application access policy, not the organizer, channel meetings, unknown ids."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from typing import Any

import pytest

from assistant.graph.http import PinnedSession
from assistant.sandbox.demo_tenant import READONLY_APP_ID, READONLY_APP_SECRET, build_demo_tenant
from assistant.sandbox.server import SandboxServer
from assistant.sandbox.tenant import TenantFileError, validate_tenant
from tests.conftest import DEMO_NOW, app_token, delegated_token

MEGAN = "megan.bowen@contoso.com"
DIEGO = "diego.siciliani@contoso.com"
MEETING_SCOPES = ["OnlineMeetings.Read", "OnlineMeetingArtifact.Read.All", "OnlineMeetingTranscript.Read.All"]
CUE = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}$")


def bearer(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def by_subject(tenant: dict[str, Any], subject: str) -> dict[str, Any]:
    return next(meeting for meeting in tenant["onlineMeetings"] if meeting["subject"] == subject)


def assert_graph_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["innerError"]["request-id"]
    return dict(error)


def lookup(http: Any, graph: str, token: str, user: str, join_url: str) -> Any:
    return http.get(
        f"{graph}/users/{user}/onlineMeetings", params={"$filter": f"JoinWebUrl eq '{join_url}'"}, headers=bearer(token)
    )


# ------------------------------------------------------------------------------------------------------ lookup
def test_the_meeting_of_a_calendar_event_is_found_by_its_join_url(http, graph, token, demo_tenant) -> None:
    """The client's path: an event from calendarView, its onlineMeeting.joinUrl, the onlineMeeting by that URL."""
    window = {"startDateTime": "2026-03-02T00:00:00Z", "endDateTime": DEMO_NOW.strftime("%Y-%m-%dT%H:%M:%SZ")}
    view = http.get(f"{graph}/users/{MEGAN}/calendarView", params={**window, "$top": "200"}, headers=bearer(token))
    standups = [event for event in view.json()["value"] if event["subject"] == "Atlas stand-up"]
    join_url = standups[-1]["onlineMeeting"]["joinUrl"]

    response = lookup(http, graph, token, MEGAN, join_url)

    assert response.status_code == 200
    [meeting] = response.json()["value"]
    assert meeting["joinWebUrl"] == join_url and meeting["subject"] == "Atlas stand-up"
    megan = meeting["participants"]["organizer"]["identity"]["user"]["id"]
    assert response.json()["@odata.context"].endswith(f"/$metadata#users('{megan}')/onlineMeetings")
    assert meeting["participants"]["organizer"]["upn"] == MEGAN
    assert {a["upn"] for a in meeting["participants"]["attendees"]} >= {"tomasz.nowak@contoso.com"}
    assert meeting["chatInfo"]["threadId"].endswith("@thread.v2") and meeting["chatInfo"]["messageId"] == "0"
    assert "attendanceReports" not in meeting and "transcripts" not in meeting  # navigation properties
    by_id = http.get(f"{graph}/users/{MEGAN}/onlineMeetings/{meeting['id']}", headers=bearer(token))
    assert by_id.status_code == 200 and by_id.json()["joinWebUrl"] == join_url
    assert by_id.json()["@odata.context"].endswith("/onlineMeetings/$entity")


def test_lookup_needs_a_supported_filter_and_may_find_nothing(http, graph, token, demo_tenant) -> None:
    meeting = by_subject(demo_tenant, "Atlas stand-up")
    listing = http.get(f"{graph}/users/{MEGAN}/onlineMeetings", headers=bearer(token))
    assert "Filter expression expected" in assert_graph_error(listing, 400, "InvalidArgument")["message"]
    by_subject_filter = http.get(
        f"{graph}/users/{MEGAN}/onlineMeetings", params={"$filter": "subject eq 'x'"}, headers=bearer(token)
    )
    assert_graph_error(by_subject_filter, 400, "InvalidArgument")
    unknown = lookup(
        http, graph, token, MEGAN, "https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0"
    )
    assert unknown.status_code == 200 and unknown.json()["value"] == []
    by_code = http.get(
        f"{graph}/users/{MEGAN}/onlineMeetings",
        params={
            "$filter": f"joinMeetingIdSettings/joinMeetingId eq '{meeting['joinMeetingIdSettings']['joinMeetingId']}'"
        },
        headers=bearer(token),
    )
    assert [m["id"] for m in by_code.json()["value"]] == [meeting["id"]]


def test_an_invited_attendee_finds_the_meeting_but_gets_no_attendance(sandbox, http, graph, demo_tenant) -> None:
    """onlinemeeting-get accepts an attendee's token; attendance reports are the organizer's alone."""
    meeting = by_subject(demo_tenant, "Meridian stand-up")  # organized by Megan, Diego is invited
    token = delegated_token(sandbox, DIEGO, MEETING_SCOPES)

    found = http.get(f"{graph}/me/onlineMeetings", params={"$filter": f"JoinWebUrl eq '{meeting['joinWebUrl']}'"},
                     headers=bearer(token))  # fmt: skip
    assert [m["id"] for m in found.json()["value"]] == [meeting["id"]]
    reports = http.get(f"{graph}/me/onlineMeetings/{meeting['id']}/attendanceReports", headers=bearer(token))
    assert "is not the organizer of the queried meeting" in assert_graph_error(reports, 403, "General")["message"]


# -------------------------------------------------------------------------------------------------- attendance
def test_attendance_list_leaves_records_out_and_expand_brings_them(http, graph, token, demo_tenant) -> None:
    meeting = by_subject(demo_tenant, "Apollo sprint review")
    base = f"{graph}/users/{MEGAN}/onlineMeetings/{meeting['id']}/attendanceReports"

    listed = http.get(base, headers=bearer(token)).json()["value"]
    assert len(listed) == 2 and all(report["attendanceRecords"] == [] for report in listed)
    assert listed[0]["meetingStartDateTime"] > listed[1]["meetingStartDateTime"]  # newest first
    latest = listed[0]

    plain = http.get(f"{base}/{latest['id']}", headers=bearer(token)).json()
    assert plain["attendanceRecords"] == []
    expanded = http.get(f"{base}/{latest['id']}", params={"$expand": "attendanceRecords"}, headers=bearer(token))
    records = expanded.json()["attendanceRecords"]
    assert expanded.json()["totalParticipantCount"] == len(records)
    listed_records = http.get(f"{base}/{latest['id']}/attendanceRecords", headers=bearer(token)).json()["value"]
    assert listed_records == records

    by_mail = {record["emailAddress"]: record for record in records}
    assert by_mail[MEGAN]["role"] == "Organizer"
    assert "priya.raman@contoso.com" not in by_mail  # declined the series and stayed away
    guest = by_mail["rafael.costa@litwareinc.com"]  # Litware's consultant, admitted as an external guest
    assert guest["role"] == "Attendee" and guest["identity"]["displayName"] == "Rafael Costa"
    start = dt.datetime.fromisoformat(latest["meetingStartDateTime"])
    end = dt.datetime.fromisoformat(latest["meetingEndDateTime"])
    joined = {
        mail: dt.datetime.fromisoformat(r["attendanceIntervals"][0]["joinDateTime"]) for mail, r in by_mail.items()
    }
    left = {
        mail: dt.datetime.fromisoformat(r["attendanceIntervals"][-1]["leaveDateTime"]) for mail, r in by_mail.items()
    }
    assert any(moment - start > dt.timedelta(minutes=10) for moment in joined.values())  # someone came late
    assert any(
        end - moment > dt.timedelta(minutes=20) for mail, moment in left.items() if mail != guest["emailAddress"]
    )
    assert any(len(record["attendanceIntervals"]) == 2 for record in records)  # someone dropped out and came back
    for record in records:
        intervals = record["attendanceIntervals"]
        assert record["totalAttendanceInSeconds"] == sum(i["durationInSeconds"] for i in intervals)
        assert set(record["identity"]) == {"id", "displayName", "tenantId"}


def test_a_meeting_held_in_a_channel_has_no_reports_and_refuses_transcripts(http, graph, token, demo_tenant) -> None:
    meeting = by_subject(demo_tenant, "Apollo wave 1 readiness check")
    found = lookup(http, graph, token, MEGAN, meeting["joinWebUrl"]).json()["value"][0]
    assert found["chatInfo"]["threadId"].endswith("@thread.tacv2") and found["chatInfo"]["messageId"] != "0"
    base = f"{graph}/users/{MEGAN}/onlineMeetings/{meeting['id']}"

    reports = http.get(f"{base}/attendanceReports", headers=bearer(token))
    assert reports.status_code == 200 and reports.json()["value"] == []
    transcripts = http.get(f"{base}/transcripts", headers=bearer(token))
    assert (
        assert_graph_error(transcripts, 400, "BadRequest")["message"]
        == "Channel based meetings are currently not supported."
    )


# ------------------------------------------------------------------------------------------------- transcripts
def test_transcript_content_is_webvtt_with_speakers(http, graph, token, demo_tenant) -> None:
    meeting = by_subject(demo_tenant, "Atlas stand-up")
    base = f"{graph}/users/{MEGAN}/onlineMeetings/{meeting['id']}/transcripts"
    listed = http.get(base, headers=bearer(token)).json()
    [transcript] = listed["value"]
    assert listed["@odata.count"] == 1 and "content" not in transcript
    assert transcript["meetingId"] == meeting["id"] and transcript["createdDateTime"] < DEMO_NOW.isoformat()

    content = http.get(transcript["transcriptContentUrl"], headers=bearer(token))

    assert content.status_code == 200 and content.headers["Content-Type"] == "text/vtt"
    text = content.content.decode("utf-8")
    lines = text.split("\n")
    assert lines[:2] == ["WEBVTT", ""] and CUE.match(lines[3])
    assert re.search(r"<v Megan Bowen>[^<]*Tomasz, can you fix the docking firmware by Friday\?</v>", text)
    assert "<v Omar Haddad>I'll send the rollout schedule tomorrow" in text
    assert "we agreed to keep local admin rights for developers until wave 3" in text
    speakers = set(re.findall(r"<v ([^>]+)>", text))
    assert len(speakers) >= 5
    for asked in ({"$format": "text/vtt"}, {}):
        again = http.get(f"{base}/{transcript['id']}/content", params=asked, headers=bearer(token, Accept="text/vtt"))
        assert again.content == content.content
    docx = http.get(f"{base}/{transcript['id']}/content", params={"$format": "docx"}, headers=bearer(token))
    assert_graph_error(docx, 400, "BadRequest")


def test_transcribed_sessions_name_the_projects_tasks(http, graph, token, demo_tenant) -> None:
    titles = [task["title"] for plan in demo_tenant["plans"] for task in plan["tasks"]]
    for subject, phrase in (("Apollo sprint review", "large-item failures"), ("Apollo steering committee",
                            "archive mailbox retention period")):  # fmt: skip
        meeting = by_subject(demo_tenant, subject)
        base = f"{graph}/users/{MEGAN}/onlineMeetings/{meeting['id']}/transcripts"
        [transcript] = http.get(base, headers=bearer(token)).json()["value"]
        text = http.get(f"{base}/{transcript['id']}/content", headers=bearer(token)).text
        assert phrase in text and any(phrase.lower() in title.lower() for title in titles)


def test_a_meeting_nobody_transcribed_has_an_empty_list(http, graph, token, demo_tenant) -> None:
    meeting = by_subject(demo_tenant, "Atlas sprint review")
    assert meeting["attendanceReports"]  # it took place
    response = http.get(f"{graph}/users/{MEGAN}/onlineMeetings/{meeting['id']}/transcripts", headers=bearer(token))
    assert response.status_code == 200 and response.json()["value"] == [] and response.json()["@odata.count"] == 0


# ------------------------------------------------------------------------------------------ refusals and 404s
def test_without_the_permission_graph_answers_403(sandbox, http, graph, demo_tenant) -> None:
    meeting = by_subject(demo_tenant, "Atlas stand-up")
    readonly = app_token(sandbox, READONLY_APP_ID, READONLY_APP_SECRET)  # Calendars.Read, User.Read.All only
    base = f"{graph}/users/{MEGAN}/onlineMeetings"
    assert_graph_error(lookup(http, graph, readonly, MEGAN, meeting["joinWebUrl"]), 403, "Forbidden")
    assert_graph_error(
        http.get(f"{base}/{meeting['id']}/attendanceReports", headers=bearer(readonly)), 403, "Forbidden"
    )
    assert_graph_error(http.get(f"{base}/{meeting['id']}/transcripts", headers=bearer(readonly)), 403, "Forbidden")
    calendar_only = delegated_token(sandbox, MEGAN, ["Calendars.Read"])
    mine = http.get(f"{graph}/me/onlineMeetings/{meeting['id']}/transcripts", headers=bearer(calendar_only))
    assert_graph_error(mine, 403, "Forbidden")


def test_without_an_access_policy_for_the_user_graph_answers_403(http, graph, token, demo_tenant) -> None:
    """The demo app holds the permissions, but its policy is granted to Megan only (GRAPH-FACTS gotcha 20)."""
    meeting = by_subject(demo_tenant, "Meridian stand-up")  # Diego is invited, so only the policy is missing
    refused = lookup(http, graph, token, DIEGO, meeting["joinWebUrl"])
    assert assert_graph_error(refused, 403, "General")["message"] == "No application access policy found for this app."
    base = f"{graph}/users/{DIEGO}/onlineMeetings/{meeting['id']}"
    assert_graph_error(http.get(f"{base}/attendanceReports", headers=bearer(token)), 403, "General")
    transcripts = assert_graph_error(http.get(f"{base}/transcripts", headers=bearer(token)), 403, "Forbidden")
    assert f"operations on the user '{DIEGO}'" in transcripts["message"]


def test_unknown_ids_are_404_in_graphs_error_shape(http, graph, token, demo_tenant) -> None:
    meeting = by_subject(demo_tenant, "Atlas stand-up")
    base = f"{graph}/users/{MEGAN}/onlineMeetings"
    unknown_meeting = base64.urlsafe_b64encode(b"1*nobody*0**19:meeting_none@thread.v2").decode()
    assert_graph_error(http.get(f"{base}/{unknown_meeting}", headers=bearer(token)), 404, "NotFound")
    assert_graph_error(http.get(f"{base}/not-a-meeting-id!", headers=bearer(token)), 400, "BadRequest")
    report = http.get(f"{base}/{meeting['id']}/attendanceReports/00000000-0000-0000-0000-000000000000",
                      headers=bearer(token))  # fmt: skip
    assert_graph_error(report, 404, "NotFound")
    content = http.get(f"{base}/{meeting['id']}/transcripts/MSMjMCMjbm9uZQ==/content", headers=bearer(token))
    assert_graph_error(content, 404, "NotFound")
    assert content.headers["Content-Type"].startswith("application/json")
    not_invited = by_subject(demo_tenant, "Infrastructure leadership sync")  # Hannah's, without Megan
    assert_graph_error(http.get(f"{base}/{not_invited['id']}", headers=bearer(token)), 404, "NotFound")


# ------------------------------------------------------------------------------------------- the demo's data
@pytest.mark.parametrize("now", [DEMO_NOW, dt.datetime(2026, 11, 26, 10, 30, tzinfo=dt.UTC),
                                 dt.datetime(2027, 7, 4, 23, 10, tzinfo=dt.UTC)])  # fmt: skip
def test_demo_artifacts_are_of_past_sessions_and_agree_with_each_other(now: dt.datetime) -> None:
    tenant = build_demo_tenant(now)
    assert json.dumps(tenant) == json.dumps(build_demo_tenant(now))
    join_urls = {e["onlineMeeting"]["joinUrl"] for events in tenant["calendars"].values() for e in events
                 if e["onlineMeeting"]}  # fmt: skip
    assert join_urls == {meeting["joinWebUrl"] for meeting in tenant["onlineMeetings"]}
    transcribed = {m["subject"] for m in tenant["onlineMeetings"] if m["transcripts"]}
    assert transcribed == {"Apollo sprint review", "Apollo steering committee", "Atlas stand-up"}
    for meeting in tenant["onlineMeetings"]:
        for report in meeting["attendanceReports"]:
            assert dt.datetime.fromisoformat(report["meetingEndDateTime"]) < now + dt.timedelta(minutes=1)
        for transcript in meeting["transcripts"]:
            latest = max(meeting["attendanceReports"], key=lambda r: r["meetingStartDateTime"])
            attended = {r["identity"]["displayName"] for r in latest["attendanceRecords"]}
            spoke = set(re.findall(r"<v ([^>]+)>", transcript["content"]))
            assert spoke <= attended, spoke - attended
    assert validate_tenant(json.loads(json.dumps(tenant))) is not None


def test_meeting_ids_do_not_depend_on_now() -> None:
    def ids(now: dt.datetime) -> list[str]:
        return [meeting["id"] for meeting in build_demo_tenant(now)["onlineMeetings"]]

    assert ids(DEMO_NOW) == ids(dt.datetime(2027, 7, 4, 23, 10, tzinfo=dt.UTC))


# ------------------------------------------------------------------------------------------------ tenant files
def _small_tenant() -> dict[str, Any]:
    user = {"id": "2d3c0f3e-1111-4a4a-8b8b-000000000001", "displayName": "Ada Park",
            "userPrincipalName": "ada@fabrikam.com", "mail": "ada@fabrikam.com"}  # fmt: skip
    organizer = {"identity": {"user": {"id": user["id"]}}, "upn": user["userPrincipalName"], "role": "presenter"}
    return {
        "tenant": {"id": "8f2d1d5e-2b43-4bd9-9b8f-2f7c4f0a1c11", "displayName": "Fabrikam", "domain": "fabrikam.com"},
        "users": [user],
        "applications": [{"appId": "0b6a9c70-0000-4000-8000-000000000001", "displayName": "Coordinator",
                          "secret": "s3cret", "roles": ["OnlineMeetingTranscript.Read.All"], "scopes": []}],
        "onlineMeetings": [{
            "id": "meeting-1", "subject": "Design review",
            "joinWebUrl": "https://teams.microsoft.com/l/meetup-join/19%3ameeting_A%40thread.v2/0",
            "participants": {"organizer": organizer, "attendees": []},
            "chatInfo": {"threadId": "19:meeting_A@thread.v2", "messageId": "0"},
            "transcripts": [{"id": "t-1", "createdDateTime": "2026-11-02T09:01:00Z",
                             "content": "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ada Park>Hello.</v>\n"}],
        }],
        "applicationAccessPolicies": [{"identity": "Everyone", "appIds": ["0b6a9c70-0000-4000-8000-000000000001"],
                                       "global": True}],
    }  # fmt: skip


def test_a_tenant_file_with_a_global_policy_serves_transcripts(tmp_path) -> None:
    with SandboxServer(validate_tenant(_small_tenant()), tmp_path) as server:
        token = app_token(server, "0b6a9c70-0000-4000-8000-000000000001", "s3cret")
        http = PinnedSession(server.ca_bundle)
        base = f"{server.url}/v1.0/users/ada@fabrikam.com/onlineMeetings/meeting-1/transcripts"
        [transcript] = http.get(base, headers=bearer(token)).json()["value"]
        content = http.get(f"{base}/{transcript['id']}/content", headers=bearer(token))
        assert content.text.startswith("WEBVTT") and "<v Ada Park>Hello.</v>" in content.text


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda t: t["onlineMeetings"][0]["transcripts"][0].update(content="Hello"),
         "$.onlineMeetings[0].transcripts[0].content"),
        (lambda t: t["onlineMeetings"][0]["transcripts"][0].update(createdDateTime="2026-11-02T09:01:00"),
         "$.onlineMeetings[0].transcripts[0].createdDateTime"),
        (lambda t: t["onlineMeetings"][0]["participants"]["organizer"]["identity"]["user"].update(id="nobody"),
         "$.onlineMeetings[0].participants.organizer.identity.user.id"),
        (lambda t: t["onlineMeetings"][0]["chatInfo"].update(threadId="19:abc@thread.tacv2"), "$.onlineMeetings[0]"),
        (lambda t: t["applicationAccessPolicies"][0]["appIds"].append("unknown-app"),
         "$.applicationAccessPolicies[0].appIds[1]"),
        (lambda t: t["applicationAccessPolicies"].append({"identity": "Twice", "appIds": [], "global": True}),
         "$.applicationAccessPolicies[1].global"),
        (lambda t: t["applicationAccessPolicies"][0].update(grantedTo=["ada@fabrikam.com", t["users"][0]["id"]]),
         "$.applicationAccessPolicies[0].grantedTo[1]"),
    ],
)  # fmt: skip
def test_bad_meeting_data_is_reported_with_its_json_path(mutate, where) -> None:
    tenant = _small_tenant()
    mutate(tenant)
    with pytest.raises(TenantFileError) as caught:
        validate_tenant(tenant, source="tenant.json")
    assert f"tenant.json: {where}" in str(caught.value)
