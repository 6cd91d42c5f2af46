"""Attendance and transcripts of one occurrence, and the plain reasons when Teams will not give them."""

from __future__ import annotations

import dataclasses
import datetime as dt

from assistant.graph.calendar import read_meetings
from assistant.graph.client import GraphClient
from assistant.graph.http import PinnedSession
from assistant.graph.online_meetings import meeting_artifacts
from assistant.sandbox.demo_tenant import READONLY_APP_ID, READONLY_APP_SECRET
from tests.conftest import DEMO_NOW, app_token

MEGAN = "megan.bowen@contoso.com"


def past(client: GraphClient, subject: str, days_back: int):
    start = DEMO_NOW - dt.timedelta(days=days_back)
    found = read_meetings(client, MEGAN, start, start + dt.timedelta(days=1))
    return [m for m in found if m.subject == subject]


def test_the_occurrence_gets_its_own_report_and_transcript(client):
    (standup,) = past(client, "Atlas stand-up", 1)
    artifacts = meeting_artifacts(client, MEGAN, standup)
    assert artifacts.attendees and artifacts.attendance_note == ""
    invited = {a.person.email.casefold() for a in standup.attendees} | {MEGAN}
    assert {p.email.casefold() for p in artifacts.attendees} <= invited
    assert artifacts.transcript is not None and artifacts.transcript.startswith("WEBVTT")
    assert "docking firmware" in artifacts.transcript


def test_an_earlier_session_without_a_transcript_says_so(client):
    (standup,) = past(client, "Atlas stand-up", 2)
    artifacts = meeting_artifacts(client, MEGAN, standup)
    assert artifacts.attendees and artifacts.transcript is None
    assert artifacts.transcript_note == "the meeting was not transcribed"


def test_without_permission_or_policy_the_reason_is_given(sandbox):
    token = app_token(sandbox, READONLY_APP_ID, READONLY_APP_SECRET)
    readonly = GraphClient(f"{sandbox.url}/v1.0", lambda: token, PinnedSession(sandbox.ca_bundle))
    demo = GraphClient(f"{sandbox.url}/v1.0", lambda: app_token(sandbox), PinnedSession(sandbox.ca_bundle))
    (standup,) = past(demo, "Atlas stand-up", 1)
    artifacts = meeting_artifacts(readonly, MEGAN, standup)
    assert artifacts.attendees is None and artifacts.transcript is None
    assert "OnlineMeetingArtifact.Read.All" in artifacts.attendance_note
    assert "application access policy" in artifacts.attendance_note


def test_a_meeting_without_a_teams_link(client):
    (standup,) = past(client, "Atlas stand-up", 1)
    artifacts = meeting_artifacts(client, MEGAN, dataclasses.replace(standup, join_url=None))
    assert artifacts.attendees is None and "no Teams link" in artifacts.attendance_note


def test_a_channel_meeting_has_no_transcript(client):
    found = read_meetings(client, MEGAN, DEMO_NOW - dt.timedelta(days=8), DEMO_NOW)
    readiness = next(m for m in found if m.subject == "Apollo wave 1 readiness check")
    artifacts = meeting_artifacts(client, MEGAN, readiness)
    assert artifacts.transcript is None and "not available" in artifacts.transcript_note
