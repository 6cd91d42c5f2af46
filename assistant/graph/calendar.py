"""Read a mailbox's meetings through calendarView and map them to `Meeting`.

We ask Graph for times in the project's zone (`Prefer: outlook.timezone`, with the zone's Windows name,
which every Outlook service accepts) and for plain-text bodies (`Prefer: outlook.body-content-type`).
All-day events float: Graph gives them as midnights in the zone asked for, so reading them in the project's
zone yields the dates Outlook shows that team (https://learn.microsoft.com/graph/api/user-list-calendarview).
Windows zone names in answers map to IANA through CLDR's windowsZones (tzlocal ships it), never a hand table.
The first page can also ride in someone else's `$batch` (`calendar_view_item`, then `meetings_from`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tzlocal.windows_tz import tz_win, win_tz

from assistant.domain.meetings import Attendee, AttendeeKind, Meeting, Response, belongs_to
from assistant.domain.people import Person
from assistant.domain.project import Project
from assistant.graph.batch import BatchItem, BatchResult
from assistant.graph.client import GraphClient

PAGE_SIZE = 100  # calendarView's default page is 10 (GRAPH-FACTS §1.1)

_RESPONSES = {
    "organizer": Response.ORGANIZER,
    "accepted": Response.ACCEPTED,
    "tentativelyAccepted": Response.TENTATIVE,
    "declined": Response.DECLINED,
}


def meetings(client: GraphClient, project: Project, start: dt.datetime, end: dt.datetime) -> list[Meeting]:
    """The project's meetings overlapping [start, end): its calendar, matched by keyword or category."""
    found = read_meetings(client, project.calendar, start, end, project.zone)
    return [m for m in found if belongs_to(m, project.meetings)]


def read_meetings(
    client: GraphClient, mailbox: str, start: dt.datetime, end: dt.datetime, zone: ZoneInfo | None = None
) -> list[Meeting]:
    """Meetings overlapping [start, end), in start order; recurring series arrive expanded."""
    events = client.pages(f"/users/{mailbox}/calendarView", _view_params(start, end), _view_headers(zone))
    return _in_order(to_meeting(e) for e in events)


def calendar_view_item(
    item_id: str, mailbox: str, start: dt.datetime, end: dt.datetime, zone: ZoneInfo | None = None
) -> BatchItem:
    """The first page of `read_meetings` as a `$batch` request (its later pages follow with `meetings_from`)."""
    query = urlencode(_view_params(start, end), safe="$:")
    return BatchItem(id=item_id, url=f"/users/{mailbox}/calendarView?{query}", headers=_view_headers(zone))


def meetings_from(client: GraphClient, project: Project, first: BatchResult) -> list[Meeting]:
    """`meetings` from the answer to a `calendar_view_item` of the project's calendar, later pages followed."""
    events = client.follow(first.json(), first.item.headers)
    return [m for m in _in_order(to_meeting(e) for e in events) if belongs_to(m, project.meetings)]


def _view_params(start: dt.datetime, end: dt.datetime) -> dict[str, str]:
    return {"startDateTime": _utc_text(start), "endDateTime": _utc_text(end), "$top": str(PAGE_SIZE)}


def _view_headers(zone: ZoneInfo | None) -> dict[str, str]:
    return {"Prefer": f'outlook.timezone="{windows_name(zone)}", outlook.body-content-type="text"'}


def _in_order(found: Iterable[Meeting]) -> list[Meeting]:
    return sorted(found, key=lambda m: (m.start, m.subject))


def read_meeting(client: GraphClient, mailbox: str, event_id: str, zone: ZoneInfo | None = None) -> Meeting:
    """One event or occurrence by id. Outlook ids hold `/`, `+` and `=`: the id travels percent-encoded."""
    path = f"/users/{quote(mailbox, safe='@')}/events/{quote(event_id, safe='')}"
    return to_meeting(client.get(path, headers=_view_headers(zone)))


def windows_name(zone: ZoneInfo | None) -> str:
    """The Windows name Outlook knows a zone by ('Europe/Berlin' → 'W. Europe Standard Time')."""
    if zone is None:
        return "UTC"
    return tz_win.get(zone.key, zone.key)


def zone_of(name: str) -> ZoneInfo:
    """Outlook answers with Windows zone names ('W. Europe Standard Time') or IANA ones; CLDR maps them."""
    return ZoneInfo(win_tz.get(name, name))


def parse_graph_time(value: Mapping[str, str]) -> dt.datetime:
    """`{"dateTime": "2026-11-30T09:30:00.0000000", "timeZone": "UTC"}` → aware datetime (7 digits tolerated)."""
    text = value["dateTime"]
    if "." in text:
        head, fraction = text.split(".", 1)
        text = f"{head}.{fraction[:6]}"
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone_of(value["timeZone"]))


def to_meeting(event: Mapping[str, Any]) -> Meeting:
    body = event.get("body") or {}
    return Meeting(
        id=event["id"],
        series_id=event.get("seriesMasterId"),
        subject=event.get("subject") or "",
        start=parse_graph_time(event["start"]),
        end=parse_graph_time(event["end"]),
        all_day=bool(event.get("isAllDay")),
        organizer=_person((event.get("organizer") or {}).get("emailAddress")),
        location=(event.get("location") or {}).get("displayName") or "",
        join_url=(event.get("onlineMeeting") or {}).get("joinUrl"),
        categories=tuple(event.get("categories") or ()),
        cancelled=bool(event.get("isCancelled")),
        attendees=tuple(_attendee(a) for a in event.get("attendees") or ()),
        body=(body.get("content") or "").strip() if body.get("contentType") == "text" else "",
        web_link=event.get("webLink"),
        organizer_zone=_iana_name(event.get("originalStartTimeZone")),
    )


def _iana_name(windows_or_iana: str | None) -> str | None:
    """The IANA name of a zone Outlook names; None for what maps to none ("tzone://Microsoft/Custom")."""
    if not windows_or_iana:
        return None
    try:
        return zone_of(windows_or_iana).key
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _attendee(raw: Mapping[str, Any]) -> Attendee:
    kind = raw.get("type") or "required"
    response = (raw.get("status") or {}).get("response") or "none"
    return Attendee(
        person=_person(raw.get("emailAddress")),
        kind=AttendeeKind(kind) if kind in AttendeeKind._value2member_map_ else AttendeeKind.REQUIRED,
        response=_RESPONSES.get(response, Response.NONE),
    )


def _person(address: Mapping[str, Any] | None) -> Person:
    address = address or {}
    return Person(name=address.get("name") or address.get("address") or "", email=address.get("address") or "")


def _utc_text(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("calendar windows need aware datetimes")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
