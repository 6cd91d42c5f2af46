"""Expand a Graph series master (`patternedRecurrence`) into the occurrences calendarView returns.

Graph stores only the master; calendarView computes occurrences (GRAPH-FACTS §1.1). The pattern is applied to
*wall-clock* time in `range.recurrenceTimeZone` (default: the master's start zone), so a 09:00 Berlin stand-up
stays at 09:00 Berlin across a DST change while its UTC instant moves. `dateutil.rrule` walks the calendar on
naive local times; we attach the zone afterwards. Semantics follow Microsoft's resource docs:
https://learn.microsoft.com/graph/api/resources/recurrencepattern and .../recurrencerange.

Pure: no clock reads; callers pass the window.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from dateutil import rrule

from .timezones import UnknownTimeZone, from_graph, localize, parse_query_datetime, zone

__all__ = ["Occurrence", "RecurrenceError", "expand", "validate"]

RANGE_TYPES = ("endDate", "noEnd", "numbered")
WEEKDAYS = {
    "sunday": rrule.SU, "monday": rrule.MO, "tuesday": rrule.TU, "wednesday": rrule.WE,
    "thursday": rrule.TH, "friday": rrule.FR, "saturday": rrule.SA,
}  # fmt: skip
WEEK_INDEX = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
_FREQ = {
    "daily": rrule.DAILY, "weekly": rrule.WEEKLY, "absoluteMonthly": rrule.MONTHLY,
    "relativeMonthly": rrule.MONTHLY, "absoluteYearly": rrule.YEARLY, "relativeYearly": rrule.YEARLY,
}  # fmt: skip
PATTERN_TYPES = tuple(_FREQ)


class RecurrenceError(ValueError):
    """Invalid `recurrence`; `path_suffix` is relative to the event (e.g. `recurrence.pattern.daysOfWeek`)."""

    def __init__(self, path_suffix: str, message: str) -> None:
        super().__init__(f"{path_suffix}: {message}")
        self.path_suffix = path_suffix
        self.message = message


@dataclass(frozen=True)
class Occurrence:
    """One instance of a series in a window; datetimes are aware UTC."""

    start: datetime
    end: datetime
    original_start: datetime
    kind: Literal["occurrence", "exception"] = "occurrence"
    exception: dict[str, Any] | None = field(default=None, compare=False)  # keeps the dataclass hashable


@dataclass(frozen=True)
class _Rule:
    rrule_kwargs: dict[str, Any]
    start_date: date
    zone_name: str | None


def _enum(obj: dict[str, Any], key: str, allowed: tuple[str, ...], path: str, default: str | None = None) -> str:
    # Enum members are compared case-insensitively (older docs spell them `EndDate`, `NoEnd`) and normalised.
    value = obj.get(key, default)
    if value is None:
        raise RecurrenceError(path, "required")
    lookup = {name.casefold(): name for name in allowed}
    if not isinstance(value, str) or value.casefold() not in lookup:
        raise RecurrenceError(path, f"expected one of {', '.join(allowed)}, got {value!r}")
    return lookup[value.casefold()]


def _int(obj: dict[str, Any], key: str, path: str, low: int, high: int | None = None) -> int:
    value = obj.get(key)
    if value is None:
        raise RecurrenceError(path, "required")
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
        bound = f"{low}..{high}" if high else f">= {low}"
        raise RecurrenceError(path, f"expected an integer {bound}, got {value!r}")
    return value


def _date(obj: dict[str, Any], key: str, path: str) -> date:
    value = obj.get(key)
    if value is None:
        raise RecurrenceError(path, "required")
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RecurrenceError(path, f"expected a date YYYY-MM-DD, got {value!r}") from None


def _month_days(day: int) -> dict[str, Any]:
    # Outlook puts "day 29/30/31" on the month's last day when the month is shorter (CDO DayOfMonth docs;
    # MS-OXCICAL maps BYMONTHDAY=-1 to day 31). RFC 5545 would skip those months instead.
    return {"bymonthday": (day,)} if day <= 28 else {"bymonthday": (day, -1), "bysetpos": 1}


def _parse(recurrence: Any) -> _Rule:
    """Check `recurrence` and translate it to rrule arguments; only properties relevant to the type are read,
    because Graph's GET returns defaults for the others (`dayOfMonth: 0`, `endDate: "0001-01-01"`)."""
    if not isinstance(recurrence, dict):
        raise RecurrenceError("recurrence", "expected a patternedRecurrence object")
    pattern, rng = recurrence.get("pattern"), recurrence.get("range")
    if not isinstance(pattern, dict):
        raise RecurrenceError("recurrence.pattern", "required")
    if not isinstance(rng, dict):
        raise RecurrenceError("recurrence.range", "required")
    p = "recurrence.pattern."
    kind = _enum(pattern, "type", PATTERN_TYPES, p + "type")
    kwargs: dict[str, Any] = {"freq": _FREQ[kind], "interval": _int(pattern, "interval", p + "interval", 1)}
    if kind in ("weekly", "relativeMonthly", "relativeYearly"):
        days = pattern.get("daysOfWeek")
        if not isinstance(days, list) or not days:
            raise RecurrenceError(p + "daysOfWeek", f"required for {kind}")
        names = [_enum({"d": day}, "d", tuple(WEEKDAYS), f"{p}daysOfWeek[{i}]") for i, day in enumerate(days)]
        kwargs["byweekday"] = tuple(WEEKDAYS[name] for name in names)
    if kind == "weekly":
        kwargs["wkst"] = WEEKDAYS[_enum(pattern, "firstDayOfWeek", tuple(WEEKDAYS), p + "firstDayOfWeek", "sunday")]
    if kind.startswith("relative"):
        # Several days + index = "the first/last day that satisfies any of them": exactly BYSETPOS.
        kwargs["bysetpos"] = WEEK_INDEX[_enum(pattern, "index", tuple(WEEK_INDEX), p + "index", "first")]
    if kind.endswith("Yearly"):
        kwargs["bymonth"] = _int(pattern, "month", p + "month", 1, 12)
    if kind.startswith("absolute"):
        day = _int(pattern, "dayOfMonth", p + "dayOfMonth", 1, 31)
        if kind == "absoluteYearly" and day > calendar.monthrange(2000, kwargs["bymonth"])[1]:
            raise RecurrenceError(p + "dayOfMonth", f"month {kwargs['bymonth']} has no day {day}")
        kwargs.update(_month_days(day))
    r = "recurrence.range."
    range_type = _enum(rng, "type", RANGE_TYPES, r + "type")
    start_date = _date(rng, "startDate", r + "startDate")
    if range_type == "endDate":
        end_date = _date(rng, "endDate", r + "endDate")
        if end_date < start_date:
            raise RecurrenceError(r + "endDate", f"{end_date} is before startDate {start_date}")
        kwargs["until"] = datetime.combine(end_date, time.max)  # inclusive of the whole end date
    elif range_type == "numbered":
        kwargs["count"] = _int(rng, "numberOfOccurrences", r + "numberOfOccurrences", 1)
    zone_name = rng.get("recurrenceTimeZone") or None
    if zone_name is not None:
        try:
            zone(zone_name)
        except UnknownTimeZone as exc:
            raise RecurrenceError(r + "recurrenceTimeZone", str(exc)) from None
    return _Rule(kwargs, start_date, zone_name)


def validate(recurrence: dict[str, Any]) -> None:
    """Raise `RecurrenceError` if Graph would reject this `patternedRecurrence`."""
    _parse(recurrence)


def _graph_time(master: dict[str, Any], key: str) -> datetime:
    try:
        return from_graph(master.get(key))  # type: ignore[arg-type]
    except ValueError as exc:
        raise RecurrenceError(key, str(exc)) from None


def _exceptions(master: dict[str, Any]) -> dict[datetime, dict[str, Any]]:
    found: dict[datetime, dict[str, Any]] = {}
    for i, exc in enumerate(master.get("exceptionOccurrences") or []):
        try:
            found[parse_query_datetime(exc["originalStart"]).astimezone(UTC)] = exc
        except (KeyError, TypeError, ValueError):
            raise RecurrenceError(f"exceptionOccurrences[{i}].originalStart", "expected a UTC date-time") from None
    return found


def _cancelled_dates(master: dict[str, Any]) -> set[date]:
    prefix = f"OID.{master.get('id', '')}." if master.get("id") else "OID."
    dates = set()
    for entry in master.get("cancelledOccurrences") or []:
        if isinstance(entry, str) and entry.startswith(prefix):
            try:
                dates.add(date.fromisoformat(entry.rsplit(".", 1)[1]))
            except ValueError:
                continue  # not ours to judge here; the tenant validator reports malformed ids
    return dates


def _end(local_start: datetime, tz: ZoneInfo, all_day_days: int | None, duration: timedelta) -> datetime:
    # Timed events keep their absolute duration; all-day ones end at local midnight (23 or 25 h at DST).
    if all_day_days is None:
        return local_start.astimezone(UTC) + duration
    end_day = local_start.date() + timedelta(days=all_day_days)
    return localize(datetime.combine(end_day, time()), tz).astimezone(UTC)


def expand(master: dict[str, Any], window_start: datetime, window_end: datetime) -> list[Occurrence]:
    """Occurrences of `master` overlapping [window_start, window_end) — calendarView's rule — sorted by start.

    Cancelled occurrences are dropped; exceptions replace their occurrence with their own times, so one moved
    out of the window disappears and one moved into it appears. Counting (`numbered`) includes cancelled
    occurrences, as Outlook does. Iteration stops at the window end (or at the latest exception's original
    start), so `noEnd` series are safe.
    """
    if window_start.utcoffset() is None or window_end.utcoffset() is None:
        raise ValueError("expand needs aware window datetimes")
    rule = _parse(master.get("recurrence"))
    first_start, first_end = _graph_time(master, "start"), _graph_time(master, "end")
    series_zone = zone(rule.zone_name or master["start"]["timeZone"])  # default: the event's own zone
    all_day_days: int | None = None
    if master.get("isAllDay") is True:
        all_day_days = max(1, (first_end.date() - first_start.date()).days)
        time_of_day = time()
    else:
        time_of_day = first_start.astimezone(series_zone).time().replace(tzinfo=None)
    duration = first_end - first_start
    exceptions, cancelled = _exceptions(master), _cancelled_dates(master)
    horizon = max([window_end.astimezone(UTC), *(moment + timedelta(microseconds=1) for moment in exceptions)])
    generator = rrule.rrule(dtstart=datetime.combine(rule.start_date, time_of_day), **rule.rrule_kwargs)

    found: list[Occurrence] = []
    for naive in generator:
        local = localize(naive, series_zone)
        original = local.astimezone(UTC)
        if original >= horizon:  # occurrences are >= 1 day apart, so UTC order follows local order
            break
        if local.date() in cancelled:
            continue
        exc = exceptions.get(original)
        if exc is None:
            item = Occurrence(original, _end(local, series_zone, all_day_days, duration), original)
        else:
            start = _graph_time(exc, "start").astimezone(UTC) if exc.get("start") else original
            end = (
                _graph_time(exc, "end").astimezone(UTC)
                if exc.get("end")
                else _end(local, series_zone, all_day_days, duration)
            )
            item = Occurrence(start, end, original, "exception", exc)
        if item.start < window_end and item.end > window_start:
            found.append(item)
    return sorted(found, key=lambda occ: (occ.start, occ.original_start))
