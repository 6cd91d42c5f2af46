"""Meetings read through calendarView in the project's zone: series, all-day dates, attendees, bodies."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from assistant.domain.meetings import AttendeeKind, Response
from assistant.graph import calendar
from assistant.graph.batch import run_batch
from assistant.graph.calendar import meetings, parse_graph_time, read_meetings, windows_name
from assistant.projects import parse_projects
from assistant.sandbox.demo_tenant import demo_projects
from tests.conftest import DEMO_NOW

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def project(demo_tenant: dict, key: str):
    return parse_projects({"projects": demo_projects(demo_tenant)}, source="test")[key]


def test_a_series_keeps_its_local_time_across_the_us_dst_change(client, demo_tenant):
    meridian = project(demo_tenant, "meridian")
    found = meetings(client, meridian, DEMO_NOW, DEMO_NOW + dt.timedelta(days=7))
    standups = [m for m in found if m.subject == "Meridian stand-up"]
    assert len({m.series_id for m in standups}) == 1 and standups[0].series_id
    assert any(m.start.date() < dt.date(2026, 3, 8) for m in standups)
    assert any(m.start.date() > dt.date(2026, 3, 8) for m in standups)
    usual = [m for m in standups if m.local_start(NEW_YORK).time() == dt.time(9, 0)]
    offsets = {m.start.utcoffset() for m in usual}
    assert offsets == {dt.timedelta(hours=-5), dt.timedelta(hours=-4)}  # EST before 8 March, EDT after
    assert all(m.start.tzinfo == NEW_YORK for m in found)  # read in the project's zone, Windows name mapped


def test_only_the_projects_meetings_in_start_order(client, demo_tenant):
    atlas = project(demo_tenant, "atlas")
    found = meetings(client, atlas, DEMO_NOW, DEMO_NOW + dt.timedelta(days=7))
    assert found and all("atlas" in m.subject.lower() or "Atlas" in m.categories for m in found)
    assert [m.start for m in found] == sorted(m.start for m in found)


def test_all_day_events_keep_their_dates_in_every_zone(client, demo_tenant):
    mailbox = project(demo_tenant, "atlas").calendar
    window = (DEMO_NOW, DEMO_NOW + dt.timedelta(days=7))
    in_berlin = [m for m in read_meetings(client, mailbox, *window, BERLIN) if m.all_day]
    in_new_york = [m for m in read_meetings(client, mailbox, *window, NEW_YORK) if m.all_day]
    assert in_berlin, "the demo tenant has an all-day event this week"
    assert [m.days for m in in_berlin] == [m.days for m in in_new_york]
    assert all(m.local_start(BERLIN).time() == dt.time(0) for m in in_berlin)


def test_attendees_and_plain_text_body(client, demo_tenant, http, sandbox, token):
    meridian = project(demo_tenant, "meridian")
    review = next(
        m for m in meetings(client, meridian, DEMO_NOW, DEMO_NOW + dt.timedelta(days=7)) if "review" in m.subject
    )
    raw = http.get(
        f"{sandbox.url}/v1.0/users/{meridian.calendar}/events/{review.id}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert [a.person.email for a in review.attendees] == [a["emailAddress"]["address"] for a in raw["attendees"]]
    accepted = [a["emailAddress"]["address"] for a in raw["attendees"] if a["status"]["response"] == "accepted"]
    assert [p.email for p in review.responses(Response.ACCEPTED)] == accepted
    assert all(a.kind in AttendeeKind for a in review.attendees)
    assert review.body and "<" not in review.body
    assert review.organizer.email == raw["organizer"]["emailAddress"]["address"]
    assert review.join_url == raw["onlineMeeting"]["joinUrl"]


def test_windows_names_both_ways():
    assert windows_name(BERLIN) == "W. Europe Standard Time"
    assert windows_name(None) == "UTC"
    moment = parse_graph_time({"dateTime": "2026-03-10T09:00:00.0000000", "timeZone": "Eastern Standard Time"})
    assert moment.tzinfo == NEW_YORK and moment.utcoffset() == dt.timedelta(hours=-4)


def test_the_first_page_can_ride_in_a_batch_and_later_pages_keep_the_zone(client, demo_tenant, exchanges, monkeypatch):
    monkeypatch.setattr(calendar, "PAGE_SIZE", 3)  # several pages
    meridian = project(demo_tenant, "meridian")
    window = (DEMO_NOW, DEMO_NOW + dt.timedelta(days=14))
    direct = meetings(client, meridian, *window)
    pages = len(exchanges)
    assert pages > 2
    exchanges.clear()
    item = calendar.calendar_view_item("calendar", meridian.calendar, *window, meridian.zone)
    batched = calendar.meetings_from(client, meridian, run_batch(client, [item])["calendar"])
    assert batched == direct and len(exchanges) == pages  # one $batch, then the same next links
    assert all(m.start.tzinfo == NEW_YORK for m in batched)
