"""The tenant file's online meetings, their attendance reports and transcripts, and application access policies.

Models in the manner of `tenant.py`: Graph's shape, checked only where the sandbox relies on it
(docs/tenant-format.md, "Online meetings" and "Application access policies").
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator


class _Graph(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


def _instant(value: str) -> str:
    """An ISO 8601 instant with its offset, as Graph writes DateTimeOffset values ("…Z")."""
    if datetime.fromisoformat(value).tzinfo is None:
        raise ValueError("needs an offset, e.g. 2026-03-03T14:00:05.1234567Z")
    return value


Instant = Annotated[str, AfterValidator(_instant)]
NonNegative = Annotated[int, Field(ge=0)]


class _UserIdentity(_Graph):
    id: str


class _IdentitySet(_Graph):
    user: _UserIdentity


class MeetingParticipant(_Graph):
    identity: _IdentitySet


class MeetingParticipants(_Graph):
    organizer: MeetingParticipant
    attendees: list[MeetingParticipant] = Field(default_factory=list)


class AttendanceInterval(_Graph):
    joinDateTime: Instant
    leaveDateTime: Instant
    durationInSeconds: NonNegative


class AttendanceRecord(_Graph):
    totalAttendanceInSeconds: NonNegative
    attendanceIntervals: list[AttendanceInterval] = Field(default_factory=list)


class AttendanceReport(_Graph):
    id: str
    meetingStartDateTime: Instant
    meetingEndDateTime: Instant
    totalParticipantCount: NonNegative = 0
    attendanceRecords: list[AttendanceRecord] = Field(default_factory=list)


class Transcript(_Graph):
    id: str
    createdDateTime: Instant
    content: str  # sandbox: the text of the transcript's content stream

    @field_validator("content")
    @classmethod
    def _webvtt(cls, value: str) -> str:
        if not value.startswith("WEBVTT"):
            raise ValueError("a transcript's content is WebVTT text and starts with 'WEBVTT'")
        return value


class OnlineMeeting(_Graph):
    id: str
    joinWebUrl: str
    participants: MeetingParticipants
    chatInfo: dict[str, Any] | None = None
    attendanceReports: list[AttendanceReport] = Field(default_factory=list)  # sandbox nesting
    transcripts: list[Transcript] = Field(default_factory=list)  # sandbox nesting


class AccessPolicy(BaseModel):
    """A Teams application access policy (New-CsApplicationAccessPolicy) and whom it is granted to."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    identity: str
    appIds: list[str]
    description: str | None = None
    grantedTo: list[str] = Field(default_factory=list)  # user ids or userPrincipalNames
    global_: bool = Field(default=False, alias="global")


def check_meetings(meetings: list[OnlineMeeting], user_ids: set[str]) -> str | None:
    """Unique ids and join URLs, participants who exist, no artifacts on channel meetings."""
    seen: set[str] = set()
    for m, meeting in enumerate(meetings):
        where = f"$.onlineMeetings[{m}]"
        for key in (meeting.id, meeting.joinWebUrl):
            if key in seen:
                return f"{where}: id and joinWebUrl must be unique; {key!r} is used twice"
            seen.add(key)
        people = [("organizer", meeting.participants.organizer)]
        people += [(f"attendees[{a}]", attendee) for a, attendee in enumerate(meeting.participants.attendees)]
        for path, person in people:
            if person.identity.user.id not in user_ids:
                return f"{where}.participants.{path}.identity.user.id: no such user"
        thread = str((meeting.chatInfo or {}).get("threadId", ""))
        if thread.endswith("@thread.tacv2") and (meeting.attendanceReports or meeting.transcripts):
            return (
                f"{where}: a channel meeting (chatInfo.threadId in a channel) has no attendance reports or transcripts"
            )
    return None


def check_policies(policies: list[AccessPolicy], apps: set[str], user_ids: dict[str, str]) -> str | None:
    """Known apps and users; each user holds at most one policy and the tenant at most one global policy
    (Grant-CsApplicationAccessPolicy). `user_ids` maps lower-cased user ids and userPrincipalNames to user ids."""
    granted: set[str] = set()
    global_seen = False
    for p, policy in enumerate(policies):
        where = f"$.applicationAccessPolicies[{p}]"
        for a, app_id in enumerate(policy.appIds):
            if app_id not in apps:
                return f"{where}.appIds[{a}]: no application {app_id!r}"
        for g, user in enumerate(policy.grantedTo):
            if user.lower() not in user_ids:
                return f"{where}.grantedTo[{g}]: no user with that id or userPrincipalName"
            if user_ids[user.lower()] in granted:
                return f"{where}.grantedTo[{g}]: {user!r} already holds a policy; a user holds one at a time"
            granted.add(user_ids[user.lower()])
        if policy.global_ and global_seen:
            return f"{where}.global: only one policy can be granted to the whole tenant"
        global_seen = global_seen or policy.global_
    return None
