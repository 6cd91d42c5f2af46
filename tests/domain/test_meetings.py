"""All-day meetings float; timed ones are instants shown in the project's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from assistant.domain.meetings import Attendee, AttendeeKind, Meeting, Response, belongs_to
from assistant.domain.people import Person

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")


def meeting(start, end, all_day=False, subject="Atlas review", categories=(), attendees=()):
    return Meeting("m", None, subject, start, end, all_day, Person("Megan"), "", None, categories, False, attendees)


def test_an_all_day_meeting_shows_the_same_days_in_any_zone():
    two_days = meeting(dt.datetime(2026, 3, 9, tzinfo=BERLIN), dt.datetime(2026, 3, 11, tzinfo=BERLIN), all_day=True)
    assert two_days.days == (dt.date(2026, 3, 9), dt.date(2026, 3, 10))
    assert two_days.local_start(TOKYO).date() == dt.date(2026, 3, 9)


def test_a_timed_meeting_moves_with_the_viewer():
    call = meeting(dt.datetime(2026, 3, 9, 23, tzinfo=dt.UTC), dt.datetime(2026, 3, 9, 23, 30, tzinfo=dt.UTC))
    assert call.local_start(BERLIN).date() == dt.date(2026, 3, 10)


def test_project_match_by_keyword_or_category():
    at = dt.datetime(2026, 3, 9, 9, tzinfo=dt.UTC)
    assert belongs_to(meeting(at, at, subject="ATLAS stand-up"), ["Atlas"])
    assert belongs_to(meeting(at, at, subject="Vendor call", categories=("atlas",)), ["Atlas"])
    assert not belongs_to(meeting(at, at, subject="Vendor call"), ["Atlas"])


def test_responses_leave_out_rooms():
    room = Attendee(Person("Room 4.01", "room@contoso.com"), AttendeeKind.RESOURCE, Response.ACCEPTED)
    ana = Attendee(Person("Ana", "ana@contoso.com"), AttendeeKind.REQUIRED, Response.ACCEPTED)
    at = dt.datetime(2026, 3, 9, 9, tzinfo=dt.UTC)
    assert meeting(at, at, attendees=(room, ana)).responses(Response.ACCEPTED) == [ana.person]
