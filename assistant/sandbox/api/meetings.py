"""Online meetings and their artifacts: lookup by join URL, attendance reports with records, transcripts (WebVTT).

Sources, per route below: https://learn.microsoft.com/graph/api/onlinemeeting-get,
https://learn.microsoft.com/graph/api/meetingattendancereport-list, .../meetingattendancereport-get,
.../attendancerecord-list, .../onlinemeeting-list-transcripts and .../calltranscript-get (GRAPH-FACTS §1.6).

Every route needs its permission and, for an application token, an application access policy granted to the user
in the path (https://learn.microsoft.com/graph/cloud-communication-online-meeting-application-access-policy):
admin consent alone is not enough (GRAPH-FACTS gotcha 20). Labels as in GRAPH-FACTS: [S] secondary source
(public issue or Q&A); "constructed" marks wording or behaviour no source gives, chosen by the sandbox.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from flask import Blueprint, Response, request

from assistant.sandbox import odata
from assistant.sandbox.context import current, filtered, graph_base, graph_response, require, resolve_user
from assistant.sandbox.errors import GraphHTTPError
from assistant.sandbox.permissions import (
    MEETING_ARTIFACTS_READ,
    ONLINE_MEETINGS_READ,
    TRANSCRIPTS_READ,
    Permission,
)

meetings = Blueprint("meetings", __name__)

USERS = "/v1.0/users/<user_key>/onlineMeetings"
ME = "/v1.0/me/onlineMeetings"
_ME = {"user_key": "me"}
_ARTIFACTS = ("attendanceReports", "transcripts")
# The filters onlinemeeting-get documents for /users/{id}/onlineMeetings (property names are case-insensitive).
_SUPPORTED_FILTER = re.compile(r"^\s*(joinWebUrl|joinMeetingIdSettings/joinMeetingId)\s+eq\s+'", re.IGNORECASE)


# ------------------------------------------------------------------------------------------------ access checks
def _caller_for(permission: Permission, user_key: str, *, transcripts: bool = False) -> dict[str, Any]:
    """Permission first, then the user, then (application tokens only) the access policy for that user."""
    who = require(permission)
    user = resolve_user(user_key)
    if not who.delegated and not current().state.app_may_act_for(who.app_id, user["id"]):
        if transcripts:
            # The transcripts service words it differently [S]: learn.microsoft.com/answers/questions/2238989.
            raise GraphHTTPError(
                403,
                "Forbidden",
                f"Application is not allowed to perform operations on the user '{user['userPrincipalName']}', "
                "neither is allowed access through RSC permission evaluation.",
            )
        # As the service sends it [S] (microsoftgraph/msgraph-sdk-dotnet#2350). The concept page's Errors section
        # was changed to this sentence with code "Forbidden" in microsoftgraph/microsoft-graph-docs#21541; older
        # revisions show "Unauthorized".
        raise GraphHTTPError(403, "General", "No application access policy found for this app.")
    return user


def _participants(meeting: dict[str, Any]) -> set[str]:
    people = meeting.get("participants") or {}
    infos = [people.get("organizer") or {}, *(people.get("attendees") or [])]
    return {str(((info.get("identity") or {}).get("user") or {}).get("id")) for info in infos}


def _organizer_id(meeting: dict[str, Any]) -> str | None:
    organizer = (meeting.get("participants") or {}).get("organizer") or {}
    return ((organizer.get("identity") or {}).get("user") or {}).get("id")


def is_channel_meeting(meeting: dict[str, Any]) -> bool:
    """A meeting scheduled in a channel uses the channel's thread (`@thread.tacv2`) as its chat."""
    return str((meeting.get("chatInfo") or {}).get("threadId", "")).endswith("@thread.tacv2")


def _meeting_or_error(user: dict[str, Any], meeting_id: str) -> dict[str, Any]:
    """The meeting, if the user in the path organizes or was invited to it ("both the organizer's and the invited
    attendee's ... user ID", onlinemeeting-get)."""
    meeting = current().state.online_meetings.get(meeting_id)
    if meeting is not None and user["id"] in _participants(meeting):
        return meeting
    if meeting is None and not _looks_like_a_meeting_id(meeting_id):
        # Text as reported for ids that are not meeting ids [S] (microsoftgraph/microsoft-graph-docs#19320);
        # the code is constructed.
        raise GraphHTTPError(400, "BadRequest", "Meeting Id is corrupted.")
    raise GraphHTTPError(404, "NotFound", f"Online meeting '{meeting_id}' was not found.")  # wording constructed


def _looks_like_a_meeting_id(meeting_id: str) -> bool:
    """Meeting ids are base64 of `1*{organizer id}*{message id}**{chat thread id}` (the ids in onlinemeeting-get)."""
    try:
        decoded = base64.urlsafe_b64decode(meeting_id + "=" * (-len(meeting_id) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        return False
    return decoded.startswith("1*") and "**" in decoded


def _public(meeting: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in meeting.items() if key not in _ARTIFACTS}


def _context(user: dict[str, Any], meeting_id: str | None = None, tail: str = "") -> str:
    meeting = f"('{meeting_id}')" if meeting_id else ""
    return f"{graph_base()}/$metadata#users('{user['id']}')/onlineMeetings{meeting}{tail}"


# ------------------------------------------------------------------------------------------------- onlineMeeting
@meetings.get(USERS)
@meetings.get(ME, defaults=_ME)
def find_meetings(user_key: str) -> Response:
    """By join URL (or join meeting id): a collection holding the one meeting (onlinemeeting-get, Example 3)."""
    user = _caller_for(ONLINE_MEETINGS_READ, user_key)
    if not _SUPPORTED_FILTER.match(request.args.get("$filter", "")):
        # Listing a user's meetings is not supported; the service asks for a filter [S]
        # (microsoftgraph/msgraph-sdk-dotnet#2492).
        raise GraphHTTPError(
            400, "InvalidArgument", "Filter expression expected - /onlineMeetings?$filter={ParameterName} eq '{id}'."
        )
    mine = [_public(m) for m in current().state.online_meetings.values() if user["id"] in _participants(m)]
    return graph_response({"@odata.context": _context(user), "value": filtered(mine)})


@meetings.get(f"{USERS}/<meeting_id>")
@meetings.get(f"{ME}/<meeting_id>", defaults=_ME)
def get_meeting(user_key: str, meeting_id: str) -> Response:
    """https://learn.microsoft.com/graph/api/onlinemeeting-get (Example 2: by meeting id)."""
    user = _caller_for(ONLINE_MEETINGS_READ, user_key)
    meeting = odata.select(_public(_meeting_or_error(user, meeting_id)), request.args.get("$select"))
    return graph_response({"@odata.context": _context(user, tail="/$entity"), **meeting})


# ------------------------------------------------------------------------------------------------ attendance
def _reports(user: dict[str, Any], meeting_id: str) -> list[dict[str, Any]]:
    meeting = _meeting_or_error(user, meeting_id)
    if _organizer_id(meeting) != user["id"]:
        # "Only the meeting/webinar organizer or co-organizer can access this API" (meetingattendancereport-get);
        # the service's answer as reported [S] (microsoftgraph/microsoft-graph-docs-contrib#8907).
        raise GraphHTTPError(
            403, "General", f"User ID in token({user['id']}) is not the organizer of the queried meeting."
        )
    if is_channel_meeting(meeting):
        # "This method doesn't support channel meetings" (meetingattendancereport-list): no reports here.
        # microsoftgraph/microsoft-graph-docs-contrib#353 reports data coming back anyway; the sandbox sends none.
        return []
    reports = meeting.get("attendanceReports") or []
    return sorted(reports, key=lambda r: r["meetingStartDateTime"], reverse=True)  # newest first, as in the docs


def _report_or_404(user: dict[str, Any], meeting_id: str, report_id: str) -> dict[str, Any]:
    for report in _reports(user, meeting_id):
        if report["id"] == report_id:
            return report
    raise GraphHTTPError(404, "NotFound", f"Attendance report '{report_id}' was not found.")  # wording constructed


def _without_records(report: dict[str, Any]) -> dict[str, Any]:
    return {**report, "attendanceRecords": []}


@meetings.get(f"{USERS}/<meeting_id>/attendanceReports")
@meetings.get(f"{ME}/<meeting_id>/attendanceReports", defaults=_ME)
def list_attendance_reports(user_key: str, meeting_id: str) -> Response:
    """One report per ended session; `attendanceRecords` is always empty in the list
    (https://learn.microsoft.com/graph/api/meetingattendancereport-list, refdata list-attendance-reports)."""
    user = _caller_for(MEETING_ARTIFACTS_READ, user_key)
    reports = [_without_records(report) for report in _reports(user, meeting_id)]
    return graph_response({"@odata.context": _context(user, meeting_id, "/attendanceReports"), "value": reports})


@meetings.get(f"{USERS}/<meeting_id>/attendanceReports/<report_id>")
@meetings.get(f"{ME}/<meeting_id>/attendanceReports/<report_id>", defaults=_ME)
def get_attendance_report(user_key: str, meeting_id: str, report_id: str) -> Response:
    """Records only with `$expand=attendanceRecords` (https://learn.microsoft.com/graph/api/meetingattendancereport-get,
    Example 1); unexpanded, the navigation property is left empty as in the list."""
    user = _caller_for(MEETING_ARTIFACTS_READ, user_key)
    report = _report_or_404(user, meeting_id, report_id)
    expand = {name.strip().lower() for name in request.args.get("$expand", "").split(",")}
    body = dict(report) if "attendancerecords" in expand else _without_records(report)
    context = _context(user, meeting_id, f"/attendanceReports('{report_id}')")  # as in the docs example
    return graph_response({"@odata.context": context, **body})


@meetings.get(f"{USERS}/<meeting_id>/attendanceReports/<report_id>/attendanceRecords")
@meetings.get(f"{ME}/<meeting_id>/attendanceReports/<report_id>/attendanceRecords", defaults=_ME)
def list_attendance_records(user_key: str, meeting_id: str, report_id: str) -> Response:
    """https://learn.microsoft.com/graph/api/attendancerecord-list"""
    user = _caller_for(MEETING_ARTIFACTS_READ, user_key)
    records = _report_or_404(user, meeting_id, report_id).get("attendanceRecords") or []
    context = _context(user, meeting_id, f"/attendanceReports('{report_id}')/attendanceRecords")
    return graph_response({"@odata.context": context, "value": list(records)})


# ------------------------------------------------------------------------------------------------ transcripts
def _transcripts(user: dict[str, Any], meeting_id: str) -> list[dict[str, Any]]:
    meeting = _meeting_or_error(user, meeting_id)
    if is_channel_meeting(meeting):
        # "This API doesn't support getting call transcripts from channel meetings" (onlinemeeting-list-transcripts);
        # the service's answer [S] (microsoftgraph/msgraph-beta-sdk-dotnet#695).
        raise GraphHTTPError(400, "BadRequest", "Channel based meetings are currently not supported.")
    return sorted(meeting.get("transcripts") or [], key=lambda t: t["createdDateTime"], reverse=True)


def _transcript_or_404(user: dict[str, Any], meeting_id: str, transcript_id: str) -> dict[str, Any]:
    for transcript in _transcripts(user, meeting_id):
        if transcript["id"] == transcript_id:
            return transcript
    raise GraphHTTPError(404, "NotFound", f"Transcript '{transcript_id}' was not found.")  # wording constructed


def _transcript_json(user: dict[str, Any], meeting_id: str, transcript: dict[str, Any]) -> dict[str, Any]:
    """The callTranscript resource: the stream (`content`) is never inlined; its URL is (calltranscript-get)."""
    body = {key: value for key, value in transcript.items() if key != "content"}
    body["transcriptContentUrl"] = (
        f"{graph_base()}/users/{user['id']}/onlineMeetings/{meeting_id}/transcripts/{transcript['id']}/content"
    )
    return body


@meetings.get(f"{USERS}/<meeting_id>/transcripts")
@meetings.get(f"{ME}/<meeting_id>/transcripts", defaults=_ME)
def list_transcripts(user_key: str, meeting_id: str) -> Response:
    """https://learn.microsoft.com/graph/api/onlinemeeting-list-transcripts: no OData query options (any sent are
    ignored: constructed); `@odata.count` as in the docs example; a meeting nobody transcribed has an empty list."""
    user = _caller_for(TRANSCRIPTS_READ, user_key, transcripts=True)
    items = [_transcript_json(user, meeting_id, t) for t in _transcripts(user, meeting_id)]
    context = _context(user, meeting_id, "/transcripts")
    return graph_response({"@odata.context": context, "@odata.count": len(items), "value": items})


@meetings.get(f"{USERS}/<meeting_id>/transcripts/<transcript_id>")
@meetings.get(f"{ME}/<meeting_id>/transcripts/<transcript_id>", defaults=_ME)
def get_transcript(user_key: str, meeting_id: str, transcript_id: str) -> Response:
    """https://learn.microsoft.com/graph/api/calltranscript-get (Example 1)"""
    user = _caller_for(TRANSCRIPTS_READ, user_key, transcripts=True)
    body = _transcript_json(user, meeting_id, _transcript_or_404(user, meeting_id, transcript_id))
    body = odata.select(body, request.args.get("$select"))
    return graph_response({"@odata.context": _context(user, meeting_id, "/transcripts/$entity"), **body})


@meetings.get(f"{USERS}/<meeting_id>/transcripts/<transcript_id>/content")
@meetings.get(f"{ME}/<meeting_id>/transcripts/<transcript_id>/content", defaults=_ME)
def get_transcript_content(user_key: str, meeting_id: str, transcript_id: str) -> Response:
    """WebVTT with `<v Speaker>` voice spans, `Content-Type: text/vtt`, with or without `$format=text/vtt`
    (https://learn.microsoft.com/graph/api/calltranscript-get, Examples 2 and 3). The docx format was retired on
    31 May 2023 (same page); any other `$format` is refused (constructed)."""
    user = _caller_for(TRANSCRIPTS_READ, user_key, transcripts=True)
    transcript = _transcript_or_404(user, meeting_id, transcript_id)
    wanted = request.args.get("$format")
    if wanted is not None and wanted.strip().lower() != "text/vtt":
        # Wording constructed.
        raise GraphHTTPError(400, "BadRequest", f"The requested format '{wanted}' is not supported.")
    return Response(str(transcript.get("content", "")).encode("utf-8"), status=200, content_type="text/vtt")
