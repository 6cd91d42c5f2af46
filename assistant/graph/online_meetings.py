"""Teams meeting artifacts for minutes: who actually attended, and what was said.

The online meeting is found from the calendar event's join URL
(`GET /users/{organizer}/onlineMeetings?$filter=JoinWebUrl eq '…'`, GRAPH-FACTS §1.6); a recurring series
shares one online meeting, so the attendance report and transcript of *this* occurrence are the ones whose
session falls in its time. Both need permissions (OnlineMeetingArtifact.Read.All,
OnlineMeetingTranscript.Read.All) and, app-only, an application access policy for the organizer; channel
meetings have neither. Every such "no" becomes a reason in plain words, so minutes degrade instead of failing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from assistant.domain.meetings import Meeting
from assistant.domain.people import Person
from assistant.graph.client import GraphClient
from assistant.graph.errors import Forbidden, GraphStatusError, NotFound
from assistant.graph.planner import parse_instant

SESSION_SLACK = dt.timedelta(hours=1)  # a session may start early or run over


@dataclass(frozen=True)
class Artifacts:
    attendees: list[Person] | None  # None: no attendance report to use (see `attendance_note`)
    transcript: str | None  # WebVTT text, or None (see `transcript_note`)
    attendance_note: str = ""
    transcript_note: str = ""


def meeting_artifacts(client: GraphClient, organizer: str, meeting: Meeting, *, transcript: bool = True) -> Artifacts:
    """Attendance and (optionally) the transcript of this occurrence, each with the reason when missing."""
    if not meeting.join_url:
        note = "the meeting has no Teams link, so there is no attendance report or transcript"
        return Artifacts(None, None, note, note)
    user = quote(organizer, safe="@")
    try:
        found = client.get(
            f"/users/{user}/onlineMeetings", params={"$filter": f"JoinWebUrl eq '{_odata(meeting.join_url)}'"}
        )
    except GraphStatusError as exc:
        note = _why(exc, "the Teams meeting")
        return Artifacts(None, None, note, note)
    online = (found.get("value") or [None])[0]
    if online is None:
        note = "Teams has no online meeting for this event's link"
        return Artifacts(None, None, note, note)
    base = f"/users/{user}/onlineMeetings/{quote(str(online['id']), safe='')}"
    attendees, attendance_note = _attendance(client, base, meeting)
    text, transcript_note = _transcript(client, base, meeting) if transcript else (None, "not asked for")
    return Artifacts(attendees, text, attendance_note, transcript_note)


def _attendance(client: GraphClient, base: str, meeting: Meeting) -> tuple[list[Person] | None, str]:
    try:
        reports = list(client.pages(f"{base}/attendanceReports"))
    except GraphStatusError as exc:
        return None, _why(exc, "the attendance report")
    report = next((r for r in reports if _during(r.get("meetingStartDateTime"), meeting)), None)
    if report is None:
        return None, "Teams kept no attendance report for this session"
    try:
        records = list(client.pages(f"{base}/attendanceReports/{quote(str(report['id']), safe='')}/attendanceRecords"))
    except GraphStatusError as exc:
        return None, _why(exc, "the attendance records")
    return [_person(r) for r in records], ""


def _transcript(client: GraphClient, base: str, meeting: Meeting) -> tuple[str | None, str]:
    try:
        transcripts = list(client.pages(f"{base}/transcripts"))
        chosen = next((t for t in transcripts if _during(t.get("createdDateTime"), meeting)), None)
        if chosen is None:
            return None, "the meeting was not transcribed"
        path = f"{base}/transcripts/{quote(str(chosen['id']), safe='')}/content"
        response = client.request("GET", path, params={"$format": "text/vtt"})
    except GraphStatusError as exc:
        return None, _why(exc, "the transcript")
    return response.content.decode("utf-8", errors="replace"), ""


def _during(stamp: Any, meeting: Meeting) -> bool:
    moment = parse_instant(str(stamp)) if stamp else None
    return moment is not None and meeting.start - SESSION_SLACK <= moment <= meeting.end + SESSION_SLACK


def _person(record: dict[str, Any]) -> Person:
    identity = record.get("identity") or {}
    return Person(
        str(identity.get("displayName") or record.get("emailAddress") or "a guest"),
        str(record.get("emailAddress") or ""),
        identity.get("id"),
    )


def _why(error: GraphStatusError, what: str) -> str:
    if isinstance(error, Forbidden):
        return (
            f"{what} could not be read: the app needs OnlineMeetingArtifact.Read.All / OnlineMeetingTranscript.Read.All "
            f"and an application access policy for the organizer ({error.graph_message or 'forbidden'})"
        )
    if isinstance(error, NotFound):
        return f"{what} was not found"
    if error.status == 400:
        return f"{what} is not available ({error.graph_message})"
    return f"{what} could not be read (Graph answered {error.status})"


def _odata(text: str) -> str:
    """A string literal inside an OData filter: single quotes doubled."""
    return text.replace("'", "''")
