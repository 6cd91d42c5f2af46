"""The demo tenant's calendars: the meetings of "Contoso IT" rendered into the mailboxes of their organizer and
attendees, as Outlook stores them (single instances, series masters with their exceptions and cancellations).

Each project has its stand-ups, fortnightly sprint meetings and a monthly steering committee; one-off meetings and
other people's series come from `demo_tenant_data.py`. Dates are relative to the build context's `now`; ids and
timestamps are derived from names, so output is a pure function of `now`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from assistant.sandbox import demo_tenant_data as data
from assistant.sandbox.demo_context import DEMO_TENANT_ID, Context, Json, channel_thread_id, digest, guid, stamp, utc

_NO_TIME = "0001-01-01T00:00:00Z"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_OWA_ITEM = "https://outlook.office365.com/owa/?itemid={}&exvsurl=1&path=/calendar/item"
_RESPONSES = ("accepted", "accepted", "accepted", "tentativelyAccepted", "declined", "none")
_OWNER_RESPONSES = ("accepted", "tentativelyAccepted")


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


_Attendee = tuple[str, str, str, str]  # name, address, type, response


@dataclass(frozen=True)
class Meeting:
    """A meeting before it is rendered into the mailboxes of its organizer and attendees."""

    key: str
    subject: str
    organizer: str
    attendees: tuple[_Attendee, ...]
    zone: str
    start: datetime  # naive, local to `zone`
    end: datetime
    categories: tuple[str, ...]
    agenda: str
    created: datetime
    recurrence: Json | None = None
    online: bool = True
    all_day: bool = False
    room: tuple[str, str] | None = None
    importance: str = "normal"
    sensitivity: str = "normal"
    show_as: str = "busy"
    cancelled: tuple[date, ...] = ()
    moved: tuple[tuple[datetime, datetime], ...] = ()  # (original local start, new local start)
    channel: str | None = None  # the channel's thread id, for a meeting scheduled in a Teams channel


def _to_utc(local: datetime, zone: str) -> datetime:
    return local.replace(tzinfo=ZoneInfo(data.WINDOWS_TO_IANA[zone])).astimezone(UTC)


def _next_weekday(start: date, weekday: str) -> date:
    return start + timedelta(days=(_WEEKDAYS.index(weekday) - start.weekday()) % 7)


def _nth_weekday(month_day: date, index: str, weekday: str) -> date:
    first = _next_weekday(month_day.replace(day=1), weekday)
    return first + timedelta(weeks=("first", "second", "third", "fourth").index(index))


def _recurrence(pattern: str, interval: int, days: list[str], start: date, zone: str, index: str = "first") -> Json:
    """A patternedRecurrence exactly as Graph returns it (unused members carry Graph's defaults)."""
    return {
        "pattern": {"type": pattern, "interval": interval, "month": 0, "dayOfMonth": 0, "daysOfWeek": days,
                    "firstDayOfWeek": "sunday" if pattern == "relativeMonthly" else "monday", "index": index},
        "range": {"type": "noEnd", "startDate": start.isoformat(), "endDate": "0001-01-01",
                  "recurrenceTimeZone": zone, "numberOfOccurrences": 0},
    }  # fmt: skip


def _people(ctx: Context, aliases: str, rng: random.Random, kind: str = "required") -> list[_Attendee]:
    """Attendees with a mix of responses; mailbox owners accept (declined meetings leave their calendar)."""
    result = []
    for alias in aliases.split():
        user = ctx.users[alias]
        choices = _OWNER_RESPONSES if alias in data.MAILBOXES else _RESPONSES
        result.append((user["displayName"], user["mail"], kind, rng.choice(choices)))
    return result


def _project_meetings(ctx: Context, project: data.Project, rng: random.Random) -> list[Meeting]:
    """Stand-up (weekdays), sprint review/planning/retro (every two weeks), steering committee (monthly)."""
    cadence, today = project.cadence, ctx.today
    team = _people(ctx, project.team, rng)
    room = project.room
    series: list[tuple[str, str, list[_Attendee], date, str, int, Json]] = []

    monday = today - timedelta(days=today.weekday() + 35)  # five weeks back
    weekdays = _recurrence("weekly", 1, list(_WEEKDAYS[:5]), monday, project.windows_zone)
    series.append(("standup", "stand-up", team, monday, *cadence.standup, weekdays))
    for kind, subject, (weekday, start, length) in (
        ("review", "sprint review", cadence.review),
        ("planning", "sprint planning", cadence.planning),
        ("retro", "retrospective", cadence.retro),
    ):
        # Phase the fortnightly series so that an occurrence falls in the coming week.
        first = _next_weekday(today + timedelta(days=1), weekday) - timedelta(weeks=4)
        people = team + (_people(ctx, "hannah", rng, "optional") if kind == "review" else [])
        fortnightly = _recurrence("weekly", 2, [weekday], first, project.windows_zone)
        series.append((kind, subject, people, first, start, length, fortnightly))
    index, weekday, start, length = cadence.steering
    first = _nth_weekday(today - timedelta(days=21), index, weekday)
    board = [*_people(ctx, project.steering, rng), (room[0], room[1], "resource", "accepted")]
    monthly = _recurrence("relativeMonthly", 1, [weekday], first, project.windows_zone, index)
    series.append(("steering", "steering committee", board, first, start, length, monthly))

    meetings = []
    for kind, subject, people, first, start, length, recurrence in series:
        begin = datetime.combine(first, _hhmm(start))
        cancelled: tuple[date, ...] = ()
        moved: tuple[tuple[datetime, datetime], ...] = ()
        if (project.key, kind) in data.CANCELLED_OCCURRENCES:
            cancelled = (_upcoming(recurrence, today),)
        if (project.key, kind) in data.MOVED_OCCURRENCES:
            upcoming = _upcoming(recurrence, today)
            original = datetime.combine(upcoming, begin.time())
            if kind == "standup":  # pushed back 90 minutes on the same day
                moved = ((original, original + timedelta(minutes=90)),)
            else:  # a day later (or earlier, to stay within the coming week) and an hour later
                shift = 1 if upcoming <= today + timedelta(days=5) else -1
                moved = ((original, original + timedelta(days=shift, hours=1)),)
        meetings.append(
            Meeting(
                key=f"{project.key}/{kind}",
                subject=f"{project.code} {subject}",
                organizer=data.COORDINATOR,
                attendees=tuple(people),
                zone=project.windows_zone,
                start=begin,
                end=begin + timedelta(minutes=length),
                categories=(project.code,),
                agenda=data.AGENDAS[kind].format(code=project.code),
                created=datetime.combine(first - timedelta(days=rng.randint(3, 10)), time(14, 5), UTC),
                recurrence=recurrence,
                room=room if kind == "steering" else None,
                importance="high" if kind == "steering" else "normal",
                cancelled=cancelled,
                moved=moved,
            )
        )
    return meetings


def _upcoming(recurrence: Json, today: date) -> date:
    """The series' first occurrence from tomorrow on (weekly patterns only)."""
    pattern = recurrence["pattern"]
    first = date.fromisoformat(recurrence["range"]["startDate"])
    day = max(today + timedelta(days=1), first)
    while True:
        weeks = (day - (first - timedelta(days=first.weekday()))).days // 7
        if _WEEKDAYS[day.weekday()] in pattern["daysOfWeek"] and weeks % pattern["interval"] == 0:
            return day
        day += timedelta(days=1)


def _one_off(ctx: Context, spec: data.OneOff, rng: random.Random) -> Meeting:
    project = next((p for p in data.PROJECTS if p.key == spec.project), None)
    day = ctx.today + timedelta(days=spec.day)
    if spec.align:
        day = _next_weekday(day, spec.align)
    if day.weekday() >= 5 and "weekend" not in spec.subject.lower():  # people meet on working days
        day = _next_weekday(day, "monday")
    start = datetime.combine(day, time(0) if spec.all_day else _hhmm(spec.start))
    people = _people(ctx, spec.attendees, rng) if spec.attendees else []
    if spec.vendor and project:
        people.append((project.vendor[0], project.vendor[1], "required", "none"))
    room = project.room if (spec.room and project) else (data.PROJECTS[0].room if spec.room else None)
    if room:
        people.append((room[0], room[1], "resource", "accepted"))
    lead_time = timedelta(days=rng.randint(3, 14), minutes=rng.randint(0, 500))
    created = min(_to_utc(start, spec.zone), ctx.now) - lead_time
    return Meeting(
        key=spec.key, subject=spec.subject, organizer=spec.organizer, attendees=tuple(people), zone=spec.zone,
        start=start, end=start + timedelta(minutes=spec.minutes), agenda=spec.agenda, created=created,
        categories=(project.code, *spec.categories) if project else spec.categories, online=spec.online,
        all_day=spec.all_day, room=room, show_as=spec.show_as, sensitivity=spec.sensitivity,
        channel=channel_thread_id(project.key) if (spec.channel and project) else None,
    )  # fmt: skip


def _other_series(ctx: Context, spec: data.Series, rng: random.Random) -> Meeting:
    series_start = _next_weekday(ctx.today - timedelta(weeks=8), spec.weekday)
    first = datetime.combine(series_start, _hhmm(spec.start))
    return Meeting(
        key=spec.key, subject=spec.subject, organizer=spec.organizer,
        attendees=tuple(_people(ctx, spec.attendees, rng)), zone=spec.zone, start=first,
        end=first + timedelta(minutes=spec.minutes), agenda=spec.agenda, categories=(),
        created=datetime.combine(series_start - timedelta(days=3), time(8, 55), UTC),
        recurrence=_recurrence("weekly", 1, [spec.weekday], series_start, spec.zone),
    )  # fmt: skip


def build_meetings(ctx: Context) -> list[Meeting]:
    """Every meeting of the demo organisation, before it is rendered into mailboxes (same for the same `now`)."""
    rng = random.Random("contoso-demo/calendars")
    meetings = [meeting for project in data.PROJECTS for meeting in _project_meetings(ctx, project, rng)]
    meetings += [_one_off(ctx, spec, rng) for spec in data.ONE_OFFS]
    meetings += [_other_series(ctx, spec, rng) for spec in data.OTHER_SERIES]
    return meetings


def build_calendars(ctx: Context) -> dict[str, list[Json]]:
    """Every mailbox of `data.MAILBOXES` (by userPrincipalName) with the events stored in it."""
    meetings = build_meetings(ctx)
    calendars: dict[str, list[Json]] = {ctx.users[alias]["userPrincipalName"]: [] for alias in data.MAILBOXES}
    by_mail = {user["mail"]: alias for alias, user in ctx.users.items()}
    for meeting in meetings:
        owners = [meeting.organizer] + [by_mail[a[1]] for a in meeting.attendees if a[1] in by_mail]
        for owner in owners:
            if owner in data.MAILBOXES:
                calendars[ctx.users[owner]["userPrincipalName"]].append(_event(ctx, meeting, owner))
    return calendars


def _event_id(owner: str, key: str) -> str:
    """An Outlook-style id ("AAMkAG…"): a mailbox GUID and an item hash, URL-safe base64 like Exchange's."""
    mailbox = "e" + guid("mailbox", owner)[1:]  # a hex letter first gives the familiar "AAMkAG" prefix
    item = hashlib.sha512(f"{owner}/{key}".encode()).digest()
    raw = b"\x00\x03$\x00" + mailbox.encode() + b"\x00F\x00\x00\x00\x00\x00" + item
    return base64.urlsafe_b64encode(raw).decode()


def _ical_uid(key: str) -> str:
    hexed = digest(f"ical:{key}").hex().upper()
    return f"040000008200E00074C5B7101A82E00800000000{hexed[:16]}000000000000000010000000{hexed[16:48]}"


def _change_key(key: str) -> str:
    return base64.b64encode(digest(f"change:{key}", 22)).decode()


def join_url(ctx: Context, meeting: Meeting) -> str:
    """The Teams join link: the meeting's chat thread and message ("0" for a scheduled meeting's own chat; a channel
    meeting is a message in the channel's thread), and the tenant and organizer as `context`."""
    context = f"%7b%22Tid%22%3a%22{DEMO_TENANT_ID}%22%2c%22Oid%22%3a%22{ctx.uid(meeting.organizer)}%22%7d"
    if meeting.channel:
        message = 1_700_000_000_000 + int.from_bytes(digest(f"message:{meeting.key}", 5), "big") % 10**11
        thread = meeting.channel.replace(":", "%3a").replace("@", "%40")
        return f"https://teams.microsoft.com/l/meetup-join/{thread}/{message}?context={context}"
    thread = base64.b64encode(guid("meeting", meeting.key).encode()).decode().rstrip("=")
    return f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{thread}%40thread.v2/0?context={context}"


def _body(ctx: Context, meeting: Meeting) -> tuple[str, str]:
    """(html content, bodyPreview) with the Teams join block Outlook adds to online meetings."""
    digits = str(int.from_bytes(digest(f"conf:{meeting.key}", 6), "big"))[:12]
    conference = " ".join(digits[i : i + 3] for i in range(0, 12, 3))
    passcode = base64.b32encode(digest(f"pass:{meeting.key}", 5)).decode()[:6]
    link = join_url(ctx, meeting)
    html_body = f"<div><p>{html.escape(meeting.agenda)}</p></div>" if meeting.agenda else ""
    text = meeting.agenda
    if meeting.online:
        fields = {"conference": conference, "passcode": passcode}
        html_body += data.TEAMS_BLOCK_HTML.format(join_url=html.escape(link), **fields)
        text += data.TEAMS_BLOCK_TEXT.format(**fields)
    head = '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>'
    content = f"<html>{head}<body>{html_body}</body></html>"
    return content, text.strip()[:255]


def _locations(meeting: Meeting) -> tuple[Json, list[Json]]:
    teams = {"displayName": "Microsoft Teams Meeting", "locationType": "default",
             "uniqueId": "Microsoft Teams Meeting", "uniqueIdType": "private"}  # fmt: skip
    if meeting.room:
        room = {"displayName": meeting.room[0], "locationType": "conferenceRoom", "uniqueId": meeting.room[1],
                "uniqueIdType": "directory"}  # fmt: skip
        if not meeting.online:
            return room, [room]
        both_name = f"{meeting.room[0]}; Microsoft Teams Meeting"
        both = {"displayName": both_name, "locationType": "default", "uniqueId": both_name,
                "uniqueIdType": "private"}  # fmt: skip
        return both, [room, teams]
    if meeting.online:
        return teams, [teams]
    return {"displayName": "", "locationType": "default", "uniqueId": None, "uniqueIdType": "unknown"}, []


def _response_time(ctx: Context, meeting: Meeting, address: str) -> str:
    delay = timedelta(minutes=20 + digest(f"{meeting.key}/{address}")[0] * 7)
    return utc(min(meeting.created + delay, ctx.now - timedelta(minutes=30)))


def _local_text(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%M:%S}.0000000"


def _event(ctx: Context, meeting: Meeting, owner: str) -> Json:
    """`meeting` as stored in `owner`'s mailbox: a single instance, or a series master with its exceptions."""
    event = _instance(ctx, meeting, owner, meeting.key, meeting.start, meeting.end)
    if meeting.recurrence is None:
        return event
    event["type"] = "seriesMaster"
    event["recurrence"] = meeting.recurrence
    event["cancelledOccurrences"] = [f"OID.{event['id']}.{day.isoformat()}" for day in meeting.cancelled]
    exceptions = []
    for number, (original, moved) in enumerate(meeting.moved):
        occurrence = _instance(ctx, meeting, owner, f"{meeting.key}/exception/{number}", moved,
                               moved + (meeting.end - meeting.start))  # fmt: skip
        occurrence.update(type="exception", seriesMasterId=event["id"], originalStart=utc(_to_utc(original,
                          meeting.zone)))  # fmt: skip
        exceptions.append(occurrence)
    event["exceptionOccurrences"] = exceptions
    return event


def _instance(ctx: Context, meeting: Meeting, owner: str, key: str, start: datetime, end: datetime) -> Json:
    event_id = _event_id(owner, key)
    organizer = ctx.users[meeting.organizer]
    mine = next((a for a in meeting.attendees if a[1] == ctx.users[owner]["mail"]), None)
    if owner == meeting.organizer or mine is None:
        response = {"response": "organizer", "time": _NO_TIME}
    elif mine[3] == "none":
        response = {"response": "notResponded", "time": _NO_TIME}
    else:
        response = {"response": mine[3], "time": _response_time(ctx, meeting, mine[1])}
    changed = meeting.created + timedelta(minutes=5 + digest(key)[1])
    if meeting.cancelled or meeting.moved:
        changed = max(changed, ctx.now - timedelta(hours=20))
    content, preview = _body(ctx, meeting)
    location, locations = _locations(meeting)
    change_key = _change_key(f"{owner}/{key}")
    return {
        "@odata.etag": f'W/"{change_key}"',
        "id": event_id,
        "createdDateTime": stamp(meeting.created, key),
        "lastModifiedDateTime": stamp(min(changed, ctx.now - timedelta(minutes=10)), key + "/changed"),
        "changeKey": change_key,
        "categories": list(meeting.categories),
        "transactionId": None,
        "originalStartTimeZone": meeting.zone,
        "originalEndTimeZone": meeting.zone,
        "iCalUId": _ical_uid(key),
        "reminderMinutesBeforeStart": 1080 if meeting.all_day else 15,
        "isReminderOn": owner == meeting.organizer or response["response"] != "declined",
        "hasAttachments": False,
        "subject": meeting.subject,
        "bodyPreview": preview,
        "importance": meeting.importance,
        "sensitivity": meeting.sensitivity,
        "isAllDay": meeting.all_day,
        "isCancelled": False,
        "isOrganizer": owner == meeting.organizer,
        "responseRequested": True,
        "seriesMasterId": None,
        "showAs": meeting.show_as if owner == meeting.organizer or response["response"] == "accepted"
        else "tentative",
        "type": "singleInstance",
        "webLink": _OWA_ITEM.format(quote(event_id, safe="")),
        "onlineMeetingUrl": None,
        "isOnlineMeeting": meeting.online,
        "onlineMeetingProvider": "teamsForBusiness" if meeting.online else "unknown",
        "allowNewTimeProposals": True,
        "isDraft": False,
        "hideAttendees": False,
        "responseStatus": response,
        "body": {"contentType": "html", "content": content},
        "start": {"dateTime": _local_text(start), "timeZone": meeting.zone},
        "end": {"dateTime": _local_text(end), "timeZone": meeting.zone},
        "location": location,
        "locations": locations,
        "recurrence": None,
        "attendees": [
            {"type": kind, "status": {"response": answer, "time": _NO_TIME if answer == "none"
                                      else _response_time(ctx, meeting, address)},
             "emailAddress": {"name": name, "address": address}}
            for name, address, kind, answer in meeting.attendees
        ],
        "organizer": {"emailAddress": {"name": organizer["displayName"], "address": organizer["mail"]}},
        "onlineMeeting": {"joinUrl": join_url(ctx, meeting)} if meeting.online else None,
    }  # fmt: skip
