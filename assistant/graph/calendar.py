"""Read a mailbox's meetings through calendarView and map them to `Meeting`."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from tzlocal.windows_tz import win_tz

from assistant.domain.meetings import Meeting
from assistant.graph.client import GraphClient

PAGE_SIZE = 100


def read_meetings(client: GraphClient, mailbox: str, start: dt.datetime, end: dt.datetime) -> list[Meeting]:
    """Meetings overlapping [start, end); recurring series arrive expanded (calendarView never lists masters)."""
    params = {
        "startDateTime": start.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "endDateTime": end.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "$top": str(PAGE_SIZE),
    }
    headers = {"Prefer": 'outlook.timezone="UTC"'}
    return [to_meeting(e) for e in client.pages(f"/users/{mailbox}/calendarView", params, headers)]


def zone_of(name: str) -> ZoneInfo:
    """Outlook answers with Windows zone names ('W. Europe Standard Time') or IANA ones; CLDR maps them."""
    return ZoneInfo(win_tz.get(name, name))


def parse_graph_time(value: dict[str, str]) -> dt.datetime:
    """`{"dateTime": "2026-11-30T09:30:00.0000000", "timeZone": "UTC"}` → aware datetime (7 digits tolerated)."""
    text = value["dateTime"]
    if "." in text:
        head, fraction = text.split(".", 1)
        text = f"{head}.{fraction[:6]}"
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone_of(value["timeZone"]))


def to_meeting(event: dict[str, Any]) -> Meeting:
    organizer = (event.get("organizer") or {}).get("emailAddress") or {}
    return Meeting(
        id=event["id"],
        series_id=event.get("seriesMasterId"),
        subject=event.get("subject") or "",
        start=parse_graph_time(event["start"]),
        end=parse_graph_time(event["end"]),
        all_day=bool(event.get("isAllDay")),
        organizer=organizer.get("name") or organizer.get("address") or "",
        location=(event.get("location") or {}).get("displayName") or "",
        join_url=(event.get("onlineMeeting") or {}).get("joinUrl"),
        categories=tuple(event.get("categories") or ()),
        cancelled=bool(event.get("isCancelled")),
    )
