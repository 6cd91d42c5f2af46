"""Outlook calendar routes: calendarView (with recurring series expanded), events by id, and delta.

Behaviour from https://learn.microsoft.com/graph/api/user-list-calendarview (required window, default page
of 10, `Prefer: outlook.timezone`, occurrences with `seriesMasterId`, masters never listed) and
https://learn.microsoft.com/graph/api/event-delta (tokens carry the query; `@removed` for deletions;
`$select` not supported).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import re
import secrets
from typing import Any

from flask import Blueprint, Response, request

from assistant.sandbox import odata, recurrence, timezones
from assistant.sandbox.context import (
    current,
    filtered,
    graph_base,
    graph_response,
    odata_prefs,
    page_of,
    require,
    resolve_user,
)
from assistant.sandbox.errors import GraphHTTPError
from assistant.sandbox.permissions import CALENDARS_READ

calendar = Blueprint("calendar", __name__)

DEFAULT_PAGE = 10  # "the default page size is 10 events" (user-list-calendarview)
MAX_PAGE = 1000  # commonly cited Outlook ceiling for $top (GRAPH-FACTS §1.1 [K])
EVENT_PROPERTIES = {
    "id", "@odata.etag", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories",
    "transactionId", "originalStartTimeZone", "originalEndTimeZone", "iCalUId", "uid", "reminderMinutesBeforeStart",
    "isReminderOn", "hasAttachments", "subject", "bodyPreview", "importance", "sensitivity", "isAllDay",
    "isCancelled", "isOrganizer", "responseRequested", "seriesMasterId", "showAs", "type", "webLink",
    "onlineMeetingUrl", "isOnlineMeeting", "onlineMeetingProvider", "allowNewTimeProposals", "occurrenceId",
    "isDraft", "hideAttendees", "responseStatus", "body", "start", "end", "location", "locations",
    "recurrence", "attendees", "organizer", "onlineMeeting", "originalStart", "cancelledOccurrences",
    "exceptionOccurrences",
}  # fmt: skip
_MASTER_ONLY = ("recurrence", "exceptionOccurrences", "cancelledOccurrences")


def _arg(name: str) -> str | None:
    """Graph reads query option names case-insensitively (`StartDateTime` works too)."""
    for key, value in request.args.items():
        if key.lower() == name.lower():
            return value
    return None


def _window() -> tuple[dt.datetime, dt.datetime]:
    start, end = _arg("startDateTime"), _arg("endDateTime")
    if not start or not end:
        raise GraphHTTPError(
            400,
            "ErrorInvalidParameter",
            "This request requires a time window specified by the query string parameters StartDateTime and "
            "EndDateTime.",
        )
    try:
        return timezones.parse_query_datetime(start), timezones.parse_query_datetime(end)
    except ValueError as exc:
        raise GraphHTTPError(
            400, "ErrorInvalidParameter", f"The parameter 'StartDateTime' or 'EndDateTime' is invalid: {exc}"
        ) from exc


def occurrence_id(master_id: str, original_start: dt.datetime) -> str:
    raw = json.dumps([master_id, original_start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")])
    return "AAMkOcc" + base64.urlsafe_b64encode(raw.encode()).decode()


def _decode_occurrence_id(event_id: str) -> tuple[str, dt.datetime] | None:
    if not event_id.startswith("AAMkOcc"):
        return None
    try:
        master_id, stamp = json.loads(base64.urlsafe_b64decode(event_id[7:].encode()))
        return master_id, dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    except (ValueError, TypeError):
        return None


def instances_in_window(mailbox: list[dict[str, Any]], start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    """Single instances and occurrences overlapping the window, as stored (times not yet rendered)."""
    found = []
    for event in mailbox:
        if event.get("type") == "seriesMaster":
            for occ in recurrence.expand(event, start, end):
                found.append(_occurrence(event, occ))
        else:
            ev_start = timezones.from_graph(event["start"])
            ev_end = timezones.from_graph(event["end"])
            if ev_start < end and ev_end > start:
                found.append(dict(event, _start=ev_start, _end=ev_end))
    found.sort(key=lambda e: (e["_start"], e["id"]))
    return found


def _occurrence(master: dict[str, Any], occ: recurrence.Occurrence) -> dict[str, Any]:
    item = {k: v for k, v in master.items() if k not in _MASTER_ONLY}
    if occ.exception:
        item.update({k: v for k, v in occ.exception.items() if k not in _MASTER_ONLY})
    item.update(
        {
            "id": occurrence_id(master["id"], occ.original_start),
            "type": occ.kind,
            "seriesMasterId": master["id"],
            "recurrence": None,
            "_start": occ.start,
            "_end": occ.end,
        }
    )
    if occ.kind == "exception":
        item["originalStart"] = occ.original_start.strftime("%Y-%m-%dT%H:%M:%SZ")
    return item


def render(event: dict[str, Any], zone_name: str | None, body_type: str | None) -> dict[str, Any]:
    """An event as Graph returns it: start/end in the Prefer zone (UTC by default), body as asked."""
    out = {k: v for k, v in event.items() if not k.startswith("_")}
    target = zone_name or "UTC"
    if event.get("isAllDay"):
        # All-day events are floating dates: midnight in whichever zone the caller asked for.
        for key in ("start", "end"):
            day = timezones.from_graph(event[key]).date()
            out[key] = {"dateTime": f"{day.isoformat()}T00:00:00.0000000", "timeZone": target}
    else:
        start = event.get("_start") or timezones.from_graph(event["start"])
        end = event.get("_end") or timezones.from_graph(event["end"])
        out["start"] = timezones.to_graph(start, target)
        out["end"] = timezones.to_graph(end, target)
    body = out.get("body")
    if body_type == "text" and isinstance(body, dict) and body.get("contentType") == "html":
        out["body"] = {"contentType": "text", "content": html_to_text(body.get("content", ""))}
    out.setdefault("@odata.etag", _etag(out))
    return out


def html_to_text(content: str) -> str:
    text = re.sub(r"(?is)<(script|style|head).*?</\1>", "", content)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    lines = [" ".join(html.unescape(line).split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def _etag(event: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(event, sort_keys=True, default=str).encode()).digest()
    return f'W/"{base64.b64encode(digest[:12]).decode()}"'


def _prefs() -> tuple[str | None, str | None, dict[str, str]]:
    prefs = odata_prefs()
    zone_name = prefs.get("outlook.timezone")
    if zone_name:
        try:
            timezones.zone(zone_name)
        except timezones.UnknownTimeZone as exc:
            raise GraphHTTPError(
                400,
                "TimeZoneNotSupportedException",
                f"A valid TimeZone value must be specified. The following TimeZone value is not "
                f"supported: '{zone_name}'.",
            ) from exc
    body_type = prefs.get("outlook.body-content-type")
    # Each honoured preference is confirmed: `Preference-Applied: outlook.timezone="Pacific Standard Time"`
    # (https://learn.microsoft.com/graph/api/event-get, response headers of its example) and
    # `outlook.body-content-type="text"` (https://learn.microsoft.com/graph/api/user-list-calendarview). RFC 7240
    # lists several in one header, comma-separated.
    honoured = [f'outlook.timezone="{zone_name}"'] if zone_name else []
    if body_type:
        honoured.append(f'outlook.body-content-type="{body_type}"')
    applied = {"Preference-Applied": ", ".join(honoured)} if honoured else {}
    return zone_name, body_type, applied


@calendar.get("/v1.0/users/<user_key>/calendarView")
@calendar.get("/v1.0/me/calendarView", defaults={"user_key": "me"})
@calendar.get("/v1.0/users/<user_key>/calendar/calendarView")
@calendar.get("/v1.0/me/calendar/calendarView", defaults={"user_key": "me"})
def calendar_view(user_key: str) -> Response:
    require(CALENDARS_READ)
    user = resolve_user(user_key)
    start, end = _window()
    zone_name, body_type, applied = _prefs()
    state = current().state
    with state.lock:
        items = instances_in_window(state.calendars.get(user["id"], []), start, end)
    rendered = filtered(render(e, zone_name, body_type) for e in items)
    context = f"users('{user['id']}')/calendarView"
    # `$count=true` is one of calendarView's OData query parameters and, outside the directory, needs no
    # ConsistencyLevel (https://learn.microsoft.com/graph/query-parameters#count-parameter; the SDK's calendarView
    # template lists `$count`). Every page carries it, since the nextLink repeats `$count=true`: "first page only"
    # is documented for directory objects alone [K].
    count = odata.parse_count(request.args.get("$count"))
    body = page_of(rendered, context=context, default_size=DEFAULT_PAGE, max_size=MAX_PAGE, known=EVENT_PROPERTIES,
                   count=count)  # fmt: skip
    return graph_response(body, headers=applied)


@calendar.get("/v1.0/users/<user_key>/events/<event_id>")
@calendar.get("/v1.0/me/events/<event_id>", defaults={"user_key": "me"})
def get_event(user_key: str, event_id: str) -> Response:
    require(CALENDARS_READ)
    user = resolve_user(user_key)
    zone_name, body_type, applied = _prefs()
    event = find_event(user["id"], event_id)
    body = odata.select(render(event, zone_name, body_type), request.args.get("$select"), EVENT_PROPERTIES)
    body = {"@odata.context": f"{graph_base()}/$metadata#users('{user['id']}')/events/$entity", **body}
    return graph_response(body, headers=applied)


def find_event(mailbox: str, event_id: str) -> dict[str, Any]:
    state = current().state
    with state.lock:
        events = state.calendars.get(mailbox, [])
        for event in events:
            if event["id"] == event_id:
                return dict(event)
        decoded = _decode_occurrence_id(event_id)
        if decoded:
            master_id, original = decoded
            for event in events:
                if event["id"] == master_id and event.get("type") == "seriesMaster":
                    for occ in recurrence.expand(
                        event, original - dt.timedelta(days=400), original + dt.timedelta(days=400)
                    ):
                        if occ.original_start == original:
                            return _occurrence(event, occ)
    raise GraphHTTPError(404, "ErrorItemNotFound", "The specified object was not found in the store.")


def change_stored_event(mailbox: str, event_id: str, changes: dict[str, Any], stamp: str) -> dict[str, Any]:
    """Apply `changes` to an event as stored, with a new change key; the caller holds the state's lock.

    An occurrence has no item of its own until it is changed: Outlook then keeps it as an exception of its
    series [K], so the change lands in the master's `exceptionOccurrences` entry for that original start
    (created when missing), and the occurrence reads back as `type: exception`.
    """
    events = current().state.calendars.get(mailbox, [])
    version = {"changeKey": stamp, "@odata.etag": f'W/"{stamp}"'}
    for event in events:
        if event["id"] == event_id:
            event.update(changes, **version)
            return event
    decoded = _decode_occurrence_id(event_id)
    master = next((e for e in events if decoded and e["id"] == decoded[0] and e.get("type") == "seriesMaster"), None)
    if decoded is None or master is None:
        raise GraphHTTPError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
    original = decoded[1].strftime("%Y-%m-%dT%H:%M:%SZ")
    exceptions = master.setdefault("exceptionOccurrences", [])
    for entry in exceptions:
        if timezones.parse_query_datetime(entry["originalStart"]).astimezone(dt.UTC) == decoded[1]:
            entry.update(changes, **version)
            return entry
    entry = {"id": event_id, "type": "exception", "seriesMasterId": master["id"], "originalStart": original,
             **changes, **version}  # fmt: skip
    exceptions.append(entry)
    return entry


# --- delta -------------------------------------------------------------------------------------------------


@calendar.get("/v1.0/users/<user_key>/calendarView/delta")
@calendar.get("/v1.0/users/<user_key>/calendarView/delta()")
@calendar.get("/v1.0/me/calendarView/delta", defaults={"user_key": "me"})
@calendar.get("/v1.0/me/calendarView/delta()", defaults={"user_key": "me"})
def calendar_view_delta(user_key: str) -> Response:
    require(CALENDARS_READ)
    user = resolve_user(user_key)
    state = current().state
    skip_token, delta_token = _arg("$skiptoken"), _arg("$deltatoken")
    page_size = _page_size()
    with state.lock:
        if skip_token:
            round_ = state.delta_states.get(skip_token)
        elif delta_token:
            previous = state.delta_states.get(delta_token)
            round_ = _next_round(user["id"], previous) if previous else None
        else:
            start, end = _window()
            round_ = _next_round(user["id"], {"window": (start, end), "seen": {}})
        if round_ is None or round_.get("mailbox", user["id"]) != user["id"]:
            raise GraphHTTPError(
                410,
                "SyncStateNotFound",
                "The sync state is invalid or has expired. Restart the synchronisation without a token.",
            )
        chunk = round_["pending"][:page_size]
        rest = round_["pending"][page_size:]
        token = secrets.token_urlsafe(24)
        path = request.path
        body: dict[str, Any] = {"@odata.context": f"{graph_base()}/$metadata#Collection(event)", "value": chunk}
        if rest:
            state.delta_states[token] = dict(round_, pending=rest)
            body["@odata.nextLink"] = f"{request.host_url.rstrip('/')}{path}?$skiptoken={token}"
        else:
            state.delta_states[token] = {"mailbox": user["id"], "window": round_["window"], "seen": round_["seen"]}
            body["@odata.deltaLink"] = f"{request.host_url.rstrip('/')}{path}?$deltatoken={token}"
    return graph_response(body)


def _page_size() -> int:
    size = odata_prefs().get("odata.maxpagesize", "")
    return min(int(size), MAX_PAGE) if size.isdigit() and int(size) > 0 else DEFAULT_PAGE


def _next_round(mailbox: str, previous: dict[str, Any]) -> dict[str, Any]:
    """Everything that differs from what the previous round delivered: new or changed items, and removals."""
    start, end = previous["window"]
    state = current().state
    items = [render(e, None, None) for e in instances_in_window(state.calendars.get(mailbox, []), start, end)]
    seen: dict[str, str] = previous["seen"]
    now_seen = {item["id"]: _etag(item) for item in items}
    pending: list[dict[str, Any]] = [item for item in items if seen.get(item["id"]) != now_seen[item["id"]]]
    pending += [{"@removed": {"reason": "deleted"}, "id": gone} for gone in seen if gone not in now_seen]
    return {"mailbox": mailbox, "window": (start, end), "seen": now_seen, "pending": pending}
