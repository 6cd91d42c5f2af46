"""Series expansion as calendarView shows it: local time kept over DST, ranges, exceptions, cancellations."""

import copy
import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from assistant.sandbox.recurrence import Occurrence, RecurrenceError, expand, validate

BERLIN = ZoneInfo("Europe/Berlin")
WEST_EUROPE = "W. Europe Standard Time"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def series(
    pattern: dict[str, Any],
    start: str = "2026-11-02T09:00:00.0000000",
    end: str = "2026-11-02T09:15:00.0000000",
    zone: str = WEST_EUROPE,
    **range_: Any,
) -> dict[str, Any]:
    rng = {"type": "noEnd", "startDate": start[:10], "recurrenceTimeZone": zone, **range_}
    return {
        "id": "AAMkAD-standup",
        "subject": "Stand-up",
        "type": "seriesMaster",
        "start": {"dateTime": start, "timeZone": zone},
        "end": {"dateTime": end, "timeZone": zone},
        "recurrence": {"pattern": {"interval": 1, **pattern}, "range": rng},
    }


WEEKLY_MONDAY = {"type": "weekly", "daysOfWeek": ["monday"], "firstDayOfWeek": "monday"}


def starts(occurrences: list[Occurrence]) -> list[datetime]:
    return [occurrence.start for occurrence in occurrences]


def test_weekly_standup_stays_at_nine_berlin_across_the_october_dst_change() -> None:
    master = series(WEEKLY_MONDAY, start="2026-10-12T09:00:00.0000000", end="2026-10-12T09:15:00.0000000")
    found = expand(master, utc(2026, 10, 12), utc(2026, 11, 3))
    # Summer time (UTC+2) until Sunday 2026-10-25, winter time (UTC+1) after.
    assert starts(found) == [
        utc(2026, 10, 12, 7),
        utc(2026, 10, 19, 7),
        utc(2026, 10, 26, 8),
        utc(2026, 11, 2, 8),
    ]
    assert {o.start.astimezone(BERLIN).strftime("%a %H:%M") for o in found} == {"Mon 09:00"}
    assert all(o.end - o.start == timedelta(minutes=15) for o in found)
    assert all(o.kind == "occurrence" and o.exception is None and o.original_start == o.start for o in found)
    assert all(o.start.tzinfo == UTC for o in found)


def test_pacific_series_keeps_local_time_across_the_us_november_change() -> None:
    master = series(
        {"type": "daily"},
        "2026-10-30T08:00:00.0000000",
        "2026-10-30T08:30:00.0000000",
        "Pacific Standard Time",
    )
    found = expand(master, utc(2026, 10, 30), utc(2026, 11, 3))
    assert starts(found) == [
        utc(2026, 10, 30, 15),
        utc(2026, 10, 31, 15),
        utc(2026, 11, 1, 16),
        utc(2026, 11, 2, 16),
    ]


def test_recurrence_time_zone_not_the_start_zone_drives_the_local_time() -> None:
    master = series(WEEKLY_MONDAY, "2027-03-22T08:00:00.0000000", "2027-03-22T08:30:00.0000000", "UTC")
    window = (utc(2027, 3, 22), utc(2027, 3, 30))
    assert starts(expand(master, *window)) == [utc(2027, 3, 22, 8), utc(2027, 3, 29, 8)]
    master["recurrence"]["range"]["recurrenceTimeZone"] = WEST_EUROPE  # 09:00 Berlin; DST starts 2027-03-28
    assert starts(expand(master, *window)) == [utc(2027, 3, 22, 8), utc(2027, 3, 29, 7)]
    del master["recurrence"]["range"]["recurrenceTimeZone"]  # default: the master's start zone
    assert starts(expand(master, *window)) == [utc(2027, 3, 22, 8), utc(2027, 3, 29, 8)]


def test_numbered_range_stops_after_n_occurrences() -> None:
    master = series({**WEEKLY_MONDAY, "daysOfWeek": ["monday", "wednesday"]}, type="numbered", numberOfOccurrences=5)
    found = expand(master, utc(2026, 1, 1), utc(2028, 1, 1))
    assert [o.start.date() for o in found] == [
        date(2026, 11, 2), date(2026, 11, 4), date(2026, 11, 9), date(2026, 11, 11), date(2026, 11, 16)
    ]  # fmt: skip


def test_numbered_range_counts_cancelled_occurrences() -> None:
    master = series({"type": "daily"}, type="numbered", numberOfOccurrences=3)
    master["cancelledOccurrences"] = ["OID.AAMkAD-standup.2026-11-03"]
    found = expand(master, utc(2026, 1, 1), utc(2028, 1, 1))
    assert [o.start.day for o in found] == [2, 4]


def test_end_date_range_includes_the_end_date() -> None:
    master = series({"type": "daily"}, type="endDate", endDate="2026-11-05")
    assert [o.start.day for o in expand(master, utc(2026, 1, 1), utc(2028, 1, 1))] == [2, 3, 4, 5]


def test_daily_interval_and_window_overlap_rule() -> None:
    master = series({"type": "daily", "interval": 3}, end="2026-11-02T10:00:00.0000000")
    # 2026-11-05 08:00-09:00Z overlaps a window starting 08:30Z; 11-02 ends 09:00Z, before the window.
    found = expand(master, utc(2026, 11, 5, 8, 30), utc(2026, 11, 8, 8))
    assert starts(found) == [utc(2026, 11, 5, 8)]  # 11-08 starts exactly at the window end: excluded
    assert expand(master, utc(2026, 11, 2, 9), utc(2026, 11, 5, 8)) == []  # touching ends do not overlap


def test_relative_monthly_last_friday() -> None:
    master = series({"type": "relativeMonthly", "daysOfWeek": ["friday"], "index": "last"})
    found = expand(master, utc(2026, 11, 1), utc(2027, 2, 1))
    assert [o.start.date() for o in found] == [date(2026, 11, 27), date(2026, 12, 25), date(2027, 1, 29)]


def test_relative_monthly_with_several_days_takes_the_first_day_that_matches_any() -> None:
    master = series({"type": "relativeMonthly", "daysOfWeek": ["saturday", "sunday"]})  # index defaults to first
    found = expand(master, utc(2026, 11, 1), utc(2027, 2, 1))
    assert [o.start.date() for o in found] == [date(2026, 12, 5), date(2027, 1, 2)]


def test_absolute_monthly_day_31_falls_on_the_last_day_of_shorter_months() -> None:
    master = series({"type": "absoluteMonthly", "dayOfMonth": 31})
    found = expand(master, utc(2026, 11, 1), utc(2027, 5, 1))
    assert [o.start.date() for o in found] == [
        date(2026, 11, 30), date(2026, 12, 31), date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31),
        date(2027, 4, 30),
    ]  # fmt: skip


def test_yearly_patterns() -> None:
    absolute = series({"type": "absoluteYearly", "month": 12, "dayOfMonth": 24})
    assert [o.start.date() for o in expand(absolute, utc(2026, 1, 1), utc(2029, 1, 1))] == [
        date(2026, 12, 24), date(2027, 12, 24), date(2028, 12, 24)
    ]  # fmt: skip
    thanksgiving = series({"type": "relativeYearly", "month": 11, "daysOfWeek": ["thursday"], "index": "fourth"})
    assert [o.start.date() for o in expand(thanksgiving, utc(2026, 1, 1), utc(2028, 1, 1))] == [
        date(2026, 11, 26), date(2027, 11, 25)
    ]  # fmt: skip


def test_weekly_interval_counts_weeks_from_first_day_of_week() -> None:
    pattern = {
        "type": "weekly",
        "interval": 2,
        "daysOfWeek": ["monday", "wednesday"],
        "firstDayOfWeek": "sunday",
    }
    master = series(pattern, "2026-11-04T09:00:00.0000000", "2026-11-04T09:15:00.0000000")
    days = [o.start.day for o in expand(master, utc(2026, 11, 1), utc(2026, 11, 30))]
    assert days == [4, 16, 18]  # week of Sun 1st (Mon 2nd precedes the start), then week of Sun 15th
    master["recurrence"]["pattern"]["firstDayOfWeek"] = "wednesday"
    assert [o.start.day for o in expand(master, utc(2026, 11, 1), utc(2026, 11, 30))] == [4, 9, 18, 23]


def test_cancelled_occurrence_is_missing() -> None:
    master = series({**WEEKLY_MONDAY, "daysOfWeek": ["monday", "wednesday"]})
    master["cancelledOccurrences"] = ["OID.AAMkAD-standup.2026-11-04", "OID.other-series.2026-11-09"]
    found = expand(master, utc(2026, 11, 2), utc(2026, 11, 10))
    assert starts(found) == [utc(2026, 11, 2, 8), utc(2026, 11, 9, 8)]


def _with_moved_occurrence(original: str, new_start: str, new_end: str) -> dict[str, Any]:
    master = series(WEEKLY_MONDAY)
    master["exceptionOccurrences"] = [
        {
            "id": "AAMkAD-standup-ex1",
            "subject": "Stand-up (moved)",
            "originalStart": original,
            "start": {"dateTime": new_start, "timeZone": WEST_EUROPE},
            "end": {"dateTime": new_end, "timeZone": WEST_EUROPE},
        }
    ]
    return master


def test_exception_moved_out_of_the_window_disappears_from_it() -> None:
    master = _with_moved_occurrence("2026-11-09T08:00:00Z", "2026-11-20T14:00:00.0000000", "2026-11-20T14:30:00")
    assert expand(master, utc(2026, 11, 8), utc(2026, 11, 10)) == []
    [moved] = expand(master, utc(2026, 11, 20), utc(2026, 11, 21))
    assert (moved.kind, moved.start, moved.end) == (
        "exception",
        utc(2026, 11, 20, 13),
        utc(2026, 11, 20, 13, 30),
    )
    assert moved.original_start == utc(2026, 11, 9, 8)
    assert moved.exception is master["exceptionOccurrences"][0]


def test_exception_moved_into_the_window_from_far_away_appears() -> None:
    master = _with_moved_occurrence("2027-06-07T07:00:00.0000000Z", "2026-11-26T10:00:00", "2026-11-26T11:00:00")
    found = expand(master, utc(2026, 11, 26), utc(2026, 11, 27))
    assert [(o.kind, o.start, o.original_start) for o in found] == [
        ("exception", utc(2026, 11, 26, 9), utc(2027, 6, 7, 7))
    ]


def test_exception_without_new_times_keeps_the_occurrence_times() -> None:
    master = series(WEEKLY_MONDAY)
    master["exceptionOccurrences"] = [{"originalStart": "2026-11-09T08:00:00Z", "subject": "Renamed"}]
    found = expand(master, utc(2026, 11, 2), utc(2026, 11, 17))
    assert [(o.kind, o.start) for o in found] == [
        ("occurrence", utc(2026, 11, 2, 8)),
        ("exception", utc(2026, 11, 9, 8)),
        ("occurrence", utc(2026, 11, 16, 8)),
    ]


def test_exception_not_matching_any_occurrence_is_ignored() -> None:
    master = _with_moved_occurrence("2026-11-10T08:00:00Z", "2026-11-26T10:00:00", "2026-11-26T11:00:00")
    assert expand(master, utc(2026, 11, 26), utc(2026, 11, 27)) == []


def test_all_day_series_occupies_whole_local_days() -> None:
    master = series(
        {"type": "weekly", "daysOfWeek": ["friday"]},
        "2026-11-06T00:00:00.0000000",
        "2026-11-07T00:00:00.0000000",
    )
    master["isAllDay"] = True
    found = expand(master, utc(2026, 11, 1), utc(2026, 11, 30))
    assert [o.start.astimezone(BERLIN).date() for o in found] == [date(2026, 11, d) for d in (6, 13, 20, 27)]
    assert all(
        o.start.astimezone(BERLIN).time() == o.end.astimezone(BERLIN).time() == datetime.min.time() for o in found
    )
    assert found[0].start == utc(2026, 11, 5, 23)


def test_all_day_occurrence_on_the_dst_change_lasts_25_hours() -> None:
    master = series({"type": "daily"}, "2026-10-24T00:00:00.0000000", "2026-10-25T00:00:00.0000000")
    master["isAllDay"] = True
    found = expand(master, utc(2026, 10, 24, 12), utc(2026, 10, 25, 12))
    assert [(o.start, o.end) for o in found] == [
        (utc(2026, 10, 23, 22), utc(2026, 10, 24, 22)), (utc(2026, 10, 24, 22), utc(2026, 10, 25, 23))
    ]  # fmt: skip


def test_no_end_series_from_long_ago_only_iterates_to_the_window() -> None:
    master = series({"type": "daily"}, "2000-01-03T09:00:00.0000000", "2000-01-03T09:15:00.0000000")
    assert starts(expand(master, utc(2026, 11, 30), utc(2026, 12, 1))) == [utc(2026, 11, 30, 8)]


def test_occurrence_is_frozen_and_windows_must_be_aware() -> None:
    [occurrence] = expand(series(WEEKLY_MONDAY), utc(2026, 11, 2), utc(2026, 11, 3))
    with pytest.raises(dataclasses.FrozenInstanceError):
        occurrence.start = utc(2026, 1, 1)  # type: ignore[misc]
    with pytest.raises(ValueError, match="aware"):
        expand(series(WEEKLY_MONDAY), datetime(2026, 11, 2), datetime(2026, 11, 3))


def _broken(change: dict[str, Any], where: str = "pattern") -> dict[str, Any]:
    recurrence = copy.deepcopy(series(WEEKLY_MONDAY)["recurrence"])
    recurrence[where].update(change)
    recurrence[where] = {key: value for key, value in recurrence[where].items() if value is not None}
    return recurrence


@pytest.mark.parametrize(
    ("recurrence", "message"),
    [
        (_broken({"type": None}), "recurrence.pattern.type: required"),
        (_broken({"type": "fortnightly"}), "recurrence.pattern.type: expected one of daily, weekly"),
        (_broken({"interval": 0}), "recurrence.pattern.interval: expected an integer >= 1, got 0"),
        (_broken({"interval": "1"}), "recurrence.pattern.interval: expected an integer >= 1"),
        (_broken({"daysOfWeek": None}), "recurrence.pattern.daysOfWeek: required for weekly"),
        (_broken({"daysOfWeek": []}), "recurrence.pattern.daysOfWeek: required for weekly"),
        (_broken({"daysOfWeek": ["funday"]}), "recurrence.pattern.daysOfWeek[0]: expected one of sunday"),
        (_broken({"firstDayOfWeek": "someday"}), "recurrence.pattern.firstDayOfWeek: expected one of"),
        (_broken({"type": "relativeMonthly", "index": "fifth"}), "recurrence.pattern.index: expected one of"),
        (_broken({"type": "absoluteMonthly"}), "recurrence.pattern.dayOfMonth: required"),
        (
            _broken({"type": "absoluteYearly", "dayOfMonth": 30, "month": 2}),
            "recurrence.pattern.dayOfMonth: month 2",
        ),
        (
            _broken({"type": "absoluteYearly", "dayOfMonth": 1, "month": 13}),
            "recurrence.pattern.month: expected",
        ),
        (
            _broken({"type": "sometimes"}, "range"),
            "recurrence.range.type: expected one of endDate, noEnd, numbered",
        ),
        (_broken({"type": "numbered"}, "range"), "recurrence.range.numberOfOccurrences: required"),
        (_broken({"type": "endDate"}, "range"), "recurrence.range.endDate: required"),
        (
            _broken({"type": "endDate", "endDate": "2026-11-01"}, "range"),
            "recurrence.range.endDate: 2026-11-01 is",
        ),
        (
            _broken({"startDate": "02/11/2026"}, "range"),
            "recurrence.range.startDate: expected a date YYYY-MM-DD",
        ),
        (
            _broken({"recurrenceTimeZone": "Mars"}, "range"),
            "recurrence.range.recurrenceTimeZone: Unknown time zone",
        ),
        ({"range": {"type": "noEnd", "startDate": "2026-11-02"}}, "recurrence.pattern: required"),
        ({"pattern": {"type": "daily", "interval": 1}}, "recurrence.range: required"),
    ],
)
def test_invalid_recurrence_names_the_property(recurrence: dict[str, Any], message: str) -> None:
    with pytest.raises(RecurrenceError) as info:
        validate(recurrence)
    assert str(info.value).startswith(message)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith(info.value.path_suffix + ": ")
    master = series(WEEKLY_MONDAY)
    master["recurrence"] = recurrence
    with pytest.raises(RecurrenceError):
        expand(master, utc(2026, 11, 1), utc(2026, 12, 1))


def test_graph_get_shape_with_default_values_is_valid() -> None:
    # What GET /events/{id} returns for a weekly noEnd series: unused properties carry defaults.
    pattern = {"type": "weekly", "interval": 1, "month": 0, "dayOfMonth": 0, "daysOfWeek": ["monday"]}
    range_ = {"type": "noEnd", "startDate": "2026-11-02", "endDate": "0001-01-01", "numberOfOccurrences": 0}
    pattern |= {"firstDayOfWeek": "sunday", "index": "first"}
    range_ |= {"recurrenceTimeZone": "W. Europe Standard Time"}
    validate({"pattern": pattern, "range": range_})
