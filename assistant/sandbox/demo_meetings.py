"""The demo tenant's online meetings, and what Teams kept of their ended sessions: attendance reports, transcripts.

Every Teams meeting in the demo calendars gets its onlineMeeting resource, whose `joinWebUrl` is the events'
`onlineMeeting.joinUrl`. Meetings the coordinator organizes get an attendance report for each of their most recent
sessions that ended before `now` (how many: `demo_transcripts.REPORTED_SESSIONS`), and three of them a WebVTT
transcript of the latest one (`demo_transcripts.TRANSCRIPTS`). Channel meetings get neither, as in Graph.

Shapes follow https://learn.microsoft.com/graph/api/onlinemeeting-get (Examples 2-3),
https://learn.microsoft.com/graph/api/meetingattendancereport-get (Example 1) and
https://learn.microsoft.com/graph/api/calltranscript-get. Who joined when is derived from hashes of names and
session times, so output stays a pure function of `now`.
"""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta
from urllib.parse import unquote, urlsplit

from assistant.sandbox import demo_tenant_data as data
from assistant.sandbox import demo_transcripts as scripts
from assistant.sandbox import recurrence, timezones
from assistant.sandbox.demo_calendar import Meeting, build_meetings, join_url
from assistant.sandbox.demo_context import DEMO_TENANT_ID, Context, Json, digest, guid, utc

_HISTORY = timedelta(days=70)  # how far back ended sessions are looked for
_TRANSCRIBING = 40.0  # seconds after the scheduled start at which transcription starts
_JOIN_CODES = re.compile(r"Meeting ID: ([\d ]+)<br>Passcode: (\w+)")


def build_online_meetings(ctx: Context, calendars: dict[str, list[Json]]) -> list[Json]:
    """One onlineMeeting per Teams meeting found in `calendars`, artifacts nested (docs/tenant-format.md)."""
    copies: dict[str, Json] = {}  # join URL -> the organizer's copy of the event if stored, else an attendee's
    for events in calendars.values():
        for event in events:
            url = (event.get("onlineMeeting") or {}).get("joinUrl")
            if url and (url not in copies or event["isOrganizer"]):
                copies[url] = event
    found = [(meeting, copies.get(join_url(ctx, meeting))) for meeting in build_meetings(ctx) if meeting.online]
    return [_online_meeting(ctx, meeting, event) for meeting, event in found if event is not None]


def meeting_id(organizer_id: str, url: str) -> str:
    """`1*{organizer}*{message}**{thread}` in base64 (the ids of onlinemeeting-get); URL-safe alphabet here so an
    id is always one path segment."""
    thread, message = _thread_and_message(url)
    raw = f"1*{organizer_id}*{message}**{thread}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _thread_and_message(url: str) -> tuple[str, str]:
    *_, thread, message = urlsplit(url).path.split("/")
    return unquote(thread), message


def _participant(user: Json, role: str) -> Json:
    identity = {"id": user["id"], "displayName": None, "tenantId": DEMO_TENANT_ID, "identityProvider": "AAD"}
    return {"upn": user["userPrincipalName"], "role": role, "identity": {"user": identity}}


def _online_meeting(ctx: Context, meeting: Meeting, event: Json) -> Json:
    organizer = ctx.users[meeting.organizer]
    url = event["onlineMeeting"]["joinUrl"]
    thread, message = _thread_and_message(url)
    codes = _JOIN_CODES.search(event["body"]["content"])
    conference, passcode = (codes.group(1).replace(" ", ""), codes.group(2)) if codes else (None, None)
    by_mail = {user["mail"]: user for user in ctx.users.values()}
    invited = [by_mail[a[1]] for a in meeting.attendees if a[2] != "resource" and a[1] in by_mail]
    resource: Json = {
        "id": meeting_id(organizer["id"], url),
        "creationDateTime": event["createdDateTime"],
        "startDateTime": utc(timezones.from_graph(event["start"])),
        "endDateTime": utc(timezones.from_graph(event["end"])),
        "joinWebUrl": url,
        "subject": meeting.subject,
        "isBroadcast": False,
        "isEntryExitAnnounced": True,
        "allowedPresenters": "everyone",
        "allowMeetingChat": "enabled",
        "allowTeamworkReactions": True,
        "allowAttendeeToEnableCamera": True,
        "allowAttendeeToEnableMic": True,
        "allowTranscription": True,
        "allowRecording": True,
        "recordAutomatically": False,
        "videoTeleconferenceId": None,
        "externalId": None,
        "participants": {"organizer": _participant(organizer, "presenter"),
                         "attendees": [_participant(user, "attendee") for user in invited]},
        "lobbyBypassSettings": {"scope": "organization", "isDialInBypassEnabled": False},
        "joinMeetingIdSettings": {"isPasscodeRequired": True, "joinMeetingId": conference, "passcode": passcode},
        "chatInfo": {"threadId": thread, "messageId": message, "replyChainMessageId": None if message == "0"
                     else message},
        "attendanceReports": [],
        "transcripts": [],
    }  # fmt: skip
    if meeting.organizer != data.COORDINATOR or meeting.channel:
        return resource
    kind = meeting.key.rsplit("/", 1)[-1]
    sessions = _ended_sessions(ctx, event)[: scripts.REPORTED_SESSIONS.get(kind, 1)]
    lines = scripts.TRANSCRIPTS.get(meeting.key, ())
    for number, (start, end) in enumerate(sessions):
        spoken: dict[str, list[tuple[float, float]]] = {}
        if number == 0:  # the latest session: its transcript's speakers were there when they spoke
            cues = _cue_times(guid("transcript-content", f"{meeting.key}/{utc(start)}"), lines)
            for (alias, _), (said, done) in zip(lines, cues, strict=True):
                spoken.setdefault(alias, []).append((_TRANSCRIBING + said, _TRANSCRIBING + done))
        guest = _guest(meeting) if number == 0 else None
        resource["attendanceReports"].append(_report(ctx, meeting, start, end, spoken, guest))
    if lines and sessions:
        resource["transcripts"].append(_transcript(ctx, meeting, resource["id"], *sessions[0], lines))
    return resource


def _ended_sessions(ctx: Context, event: Json) -> list[tuple[datetime, datetime]]:
    """(start, end) in UTC of the sessions that ended before `now`, newest first; moved and cancelled occurrences
    are where calendarView says they are."""
    if event["type"] == "seriesMaster":
        spans = [(o.start, o.end) for o in recurrence.expand(event, ctx.now - _HISTORY, ctx.now)]
    else:
        spans = [(timezones.from_graph(event["start"]), timezones.from_graph(event["end"]))]
    return sorted(((start, end) for start, end in spans if end <= ctx.now), reverse=True)


def _guest(meeting: Meeting) -> tuple[str, str] | None:
    project = next((p for p in data.PROJECTS if p.key == scripts.GUESTS.get(meeting.key)), None)
    return (project.vendor[0], project.vendor[1]) if project else None


# ------------------------------------------------------------------------------------------- attendance reports
def _moment(start: datetime, seconds: float, key: str) -> datetime:
    return start + timedelta(seconds=seconds, microseconds=int.from_bytes(digest(key, 3), "big") % 1_000_000)


def _ticks(moment: datetime, key: str) -> str:
    """7 fractional digits, as Teams writes join and leave times."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond:06d}{digest(key)[0] % 10}Z"


def _present(answer: str, mark: int) -> bool:
    """Who turns up: accepted people do; tentative ones mostly; people who never answered half the time."""
    return {"accepted": True, "tentativelyAccepted": mark % 3 != 0, "none": mark % 2 == 0}.get(answer, False)


def _spans(role: str, length: float, mark: int) -> list[tuple[float, float]]:
    """Seconds from the scheduled start at which someone joined and left, per behaviour."""
    if role == "organizer":
        return [(-60.0 - mark % 90, length + 20 + mark % 10)]
    if role == "late":
        return [(0.25 * length + mark % 60, length + mark % 15)]
    if role == "early":
        return [(mark % 60, 0.6 * length - mark % 60)]
    if role == "dropped":  # lost the connection and came back
        return [(mark % 45, 0.4 * length), (0.4 * length + 90 + mark % 60, length + mark % 15)]
    if role == "guest":  # admitted from the lobby, left after the vendor's part
        return [(20.0 + mark % 20, 0.5 * length + mark % 120)]
    return [(mark % 30, length + mark % 15)]


def _covers(spans: list[tuple[float, float]], times: list[tuple[float, float]]) -> bool:
    return all(any(joined <= said and done <= left for joined, left in spans) for said, done in times)


def _behaviours(came: list[str], session: str, length: float, spoken: dict[str, list[tuple[float, float]]]
                ) -> dict[str, str]:  # fmt: skip
    """One person late, one leaving early, one dropping out for a while, in invitation order; never someone whose
    spans would miss what they said in the transcript."""
    chosen: dict[str, str] = {}
    for behaviour in ("late", "early", "dropped"):
        for alias in came:
            spans = _spans(behaviour, length, digest(f"{session}/{alias}")[1])
            if alias not in chosen and _covers(spans, spoken.get(alias, [])):
                chosen[alias] = behaviour
                break
    return chosen


def _report(ctx: Context, meeting: Meeting, start: datetime, end: datetime,
            spoken: dict[str, list[tuple[float, float]]], guest: tuple[str, str] | None) -> Json:  # fmt: skip
    session = f"{meeting.key}/{utc(start)}"
    by_mail = {user["mail"]: alias for alias, user in ctx.users.items()}
    invited = [(by_mail[a[1]], a[3]) for a in meeting.attendees if a[2] != "resource" and a[1] in by_mail]
    came = [alias for alias, answer in invited if alias in spoken or _present(answer, digest(f"{session}/{alias}")[0])]
    length = (end - start).total_seconds()
    behaviour = _behaviours(came, session, length, spoken)
    people = [(meeting.organizer, "organizer"), *((alias, behaviour.get(alias, "on time")) for alias in came)]
    records = []
    for alias, role in people:
        user = ctx.users[alias]
        label = "Organizer" if role == "organizer" else "Presenter"  # allowedPresenters: everyone in the org
        records.append(_record(start, length, f"{session}/{alias}", role, label,
                               (user["mail"], user["id"], user["displayName"])))  # fmt: skip
    if guest:
        name, address = guest
        records.append(_record(start, length, f"{session}/{address}", "guest", "Attendee",
                               (address, guid("external-user", address), name)))  # fmt: skip
    records.sort(key=lambda record: record["attendanceIntervals"][0]["joinDateTime"])
    first = min(_parse(r["attendanceIntervals"][0]["joinDateTime"]) for r in records)
    last = max(_parse(r["attendanceIntervals"][-1]["leaveDateTime"]) for r in records)
    return {
        "id": guid("attendance-report", session),
        "totalParticipantCount": len(records),
        "meetingStartDateTime": f"{first:%Y-%m-%dT%H:%M:%S}.{first.microsecond // 1000:03d}Z",
        "meetingEndDateTime": f"{last:%Y-%m-%dT%H:%M:%S}.{last.microsecond // 1000:03d}Z",
        "attendanceRecords": records,
    }


def _record(start: datetime, length: float, key: str, role: str, label: str, who: tuple[str, str, str]) -> Json:
    mail, user_id, name = who
    intervals = []
    for number, (joined, left) in enumerate(_spans(role, length, digest(key)[1])):
        join_at = _moment(start, joined, f"{key}/{number}/join")
        leave_at = _moment(start, left, f"{key}/{number}/leave")
        intervals.append({"joinDateTime": _ticks(join_at, f"{key}/{number}/j"),
                          "leaveDateTime": _ticks(leave_at, f"{key}/{number}/l"),
                          "durationInSeconds": int((leave_at - join_at).total_seconds())})  # fmt: skip
    return {
        "emailAddress": mail,
        "totalAttendanceInSeconds": sum(interval["durationInSeconds"] for interval in intervals),
        "role": label,
        "identity": {"id": user_id, "displayName": name, "tenantId": None},
        "attendanceIntervals": intervals,
    }


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


# -------------------------------------------------------------------------------------------------- transcripts
def _transcript(ctx: Context, meeting: Meeting, online_id: str, start: datetime, end: datetime,
                lines: tuple[tuple[str, str], ...]) -> Json:  # fmt: skip
    session = f"{meeting.key}/{utc(start)}"
    organizer = ctx.users[meeting.organizer]
    correlation = guid("transcript-content", session)
    return {
        "id": base64.b64encode(f"1##0##{guid('transcript', session)}".encode()).decode(),
        "meetingId": online_id,
        "callId": guid("call", session),
        "contentCorrelationId": correlation,
        "createdDateTime": _ticks(_moment(start, _TRANSCRIBING, f"{session}/transcript"), session),
        "endDateTime": _ticks(_moment(end, 25, f"{session}/transcript-end"), session + "/end"),
        "meetingOrganizer": {"application": None, "device": None, "user": {
            "@odata.type": "#Microsoft.Teams.GraphSvc.teamworkUserIdentity", "id": organizer["id"],
            "displayName": None, "userIdentityType": "aadUser", "tenantId": DEMO_TENANT_ID}},
        "content": _webvtt(ctx, meeting, correlation, lines),
    }  # fmt: skip


def _clock(seconds: float) -> str:
    millis = round(seconds * 1000)
    return f"{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"


def _cue_times(correlation: str, lines: tuple[tuple[str, str], ...]) -> list[tuple[float, float]]:
    """Seconds from the start of transcription at which each line was said: an unhurried 2.8 words a second."""
    times, at = [], 3.0 + digest(correlation)[0] / 100
    for number, (_, text) in enumerate(lines):
        length = round(len(text.split()) / 2.8 + 0.6, 3)
        times.append((at, at + length))
        at += length + 0.4 + digest(f"{correlation}/{number}")[0] / 400
    return times


def _webvtt(ctx: Context, meeting: Meeting, correlation: str, lines: tuple[tuple[str, str], ...]) -> str:
    """WebVTT cues with `<v Speaker>` voice spans, as Teams writes transcripts (calltranscript-get, Example 2)."""
    vendor = next((p.vendor[0] for p in data.PROJECTS if p.key == scripts.GUESTS.get(meeting.key)), "Guest")
    cues = ["WEBVTT", ""]
    for number, ((alias, text), (said, done)) in enumerate(zip(lines, _cue_times(correlation, lines), strict=True)):
        speaker = vendor if alias == scripts.VENDOR else ctx.users[alias]["displayName"]
        cues += [f"{correlation}/{number + 12}-0", f"{_clock(said)} --> {_clock(done)}", f"<v {speaker}>{text}</v>", ""]
    return "\n".join(cues)
