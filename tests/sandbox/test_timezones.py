"""Zone names and dateTimeTimeZone values as a Graph client sees them."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from tzlocal.windows_tz import win_tz

from assistant.sandbox.timezones import (
    UnknownTimeZone,
    from_graph,
    parse_prefer,
    parse_prefer_timezone,
    parse_query_datetime,
    to_graph,
    windows_name,
    zone,
)


@pytest.mark.parametrize(
    ("name", "iana"),
    [
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Tokyo Standard Time", "Asia/Tokyo"),
        ("UTC", "Etc/UTC"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("America/New_York", "America/New_York"),
        ("pacific standard time", "America/Los_Angeles"),
    ],
)
def test_zone_accepts_windows_and_iana_names(name: str, iana: str) -> None:
    assert zone(name).key == iana


def test_every_cldr_windows_zone_resolves_to_its_mapped_iana_zone() -> None:
    for windows, iana in win_tz.items():
        assert zone(windows).key == iana


@pytest.mark.parametrize("name", ["Mars Standard Time", "", "   ", "../../etc/passwd", "Europe/Atlantis"])
def test_unknown_zone_is_a_value_error_naming_the_zone(name: str) -> None:
    with pytest.raises(UnknownTimeZone) as info:
        zone(name)
    assert isinstance(info.value, ValueError)
    assert repr(name) in str(info.value)
    assert "Windows zone name" in str(info.value)


def test_windows_name_maps_iana_back_for_original_start_time_zone() -> None:
    assert windows_name("Europe/Berlin") == "W. Europe Standard Time"
    assert windows_name("Pacific Standard Time") == "Pacific Standard Time"
    with pytest.raises(UnknownTimeZone):
        windows_name("Nowhere/Special")


def test_to_graph_writes_local_wall_clock_with_seven_digits_and_the_name_as_given() -> None:
    instant = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)
    assert to_graph(instant, "W. Europe Standard Time") == {
        "dateTime": "2026-11-30T09:30:00.0000000",
        "timeZone": "W. Europe Standard Time",
    }
    assert to_graph(instant, "UTC") == {"dateTime": "2026-11-30T08:30:00.0000000", "timeZone": "UTC"}


def test_to_graph_follows_daylight_saving_and_keeps_microseconds() -> None:
    summer = datetime(2026, 7, 1, 17, 0, 0, 123456, tzinfo=UTC)
    assert to_graph(summer, "Pacific Standard Time")["dateTime"] == "2026-07-01T10:00:00.1234560"
    winter = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    assert to_graph(winter, "America/Los_Angeles")["dateTime"] == "2026-12-01T09:00:00.0000000"


def test_to_graph_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="aware"):
        to_graph(datetime(2026, 11, 30, 9, 30), "UTC")


@pytest.mark.parametrize(
    ("text", "micro"),
    [
        ("2026-11-30T09:30:00.1234567", 123456),
        ("2026-11-30T09:30:00.5", 500000),
        ("2026-11-30T09:30:00", 0),
        ("2026-11-30T09:30", 0),
    ],
)
def test_from_graph_reads_zero_to_seven_fraction_digits(text: str, micro: int) -> None:
    parsed = from_graph({"dateTime": text, "timeZone": "W. Europe Standard Time"})
    assert parsed.astimezone(UTC) == datetime(2026, 11, 30, 8, 30, 0, micro, tzinfo=UTC)


@pytest.mark.parametrize(
    "instant",
    [
        datetime(2026, 10, 24, 23, 59, tzinfo=UTC),  # Berlin still on summer time
        datetime(2026, 10, 25, 2, 0, tzinfo=UTC),  # Berlin back on winter time
        datetime(2026, 3, 8, 12, 0, 0, 999999, tzinfo=UTC),  # US spring-forward day
    ],
)
@pytest.mark.parametrize("zone_name", ["W. Europe Standard Time", "Pacific Standard Time", "UTC", "Asia/Tokyo"])
def test_seven_digit_round_trip_preserves_the_instant(instant: datetime, zone_name: str) -> None:
    value = to_graph(instant, zone_name)
    assert len(value["dateTime"].split(".")[1]) == 7
    assert from_graph(value) == instant


def test_ambiguous_fall_back_time_is_read_as_standard_time_like_windows() -> None:
    # 00:30Z and 01:30Z are both 02:30 in Berlin on 2026-10-25; the offset-less format cannot tell them apart.
    assert to_graph(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "Europe/Berlin") == to_graph(
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "Europe/Berlin"
    )
    parsed = from_graph({"dateTime": "2026-10-25T02:30:00.0000000", "timeZone": "W. Europe Standard Time"})
    assert parsed.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_skipped_spring_forward_time_moves_forward() -> None:
    parsed = from_graph({"dateTime": "2027-03-28T02:30:00.0000000", "timeZone": "W. Europe Standard Time"})
    assert parsed.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # shown as 03:30 summer time


@pytest.mark.parametrize(
    "value",
    [
        {"dateTime": "2026-11-30T09:30:00Z", "timeZone": "UTC"},
        {"dateTime": "2026-11-30T09:30:00.0000000+01:00", "timeZone": "UTC"},
        {"dateTime": "30/11/2026 09:30", "timeZone": "UTC"},
        {"dateTime": "2026-11-30T09:30:00"},
        {"timeZone": "UTC"},
    ],
)
def test_from_graph_rejects_offsets_and_missing_parts(value: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        from_graph(value)


def test_from_graph_unknown_zone() -> None:
    with pytest.raises(UnknownTimeZone):
        from_graph({"dateTime": "2026-11-30T09:30:00.0000000", "timeZone": "Atlantis Standard Time"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-30T09:30:00Z", datetime(2026, 11, 30, 9, 30, tzinfo=UTC)),
        ("2026-11-30T09:30:00+01:00", datetime(2026, 11, 30, 8, 30, tzinfo=UTC)),
        ("2026-11-30T09:30:00.0000000", datetime(2026, 11, 30, 9, 30, tzinfo=UTC)),  # no offset: UTC
        ("2026-11-30T09:30:00.1234567-08:00", datetime(2026, 11, 30, 17, 30, 0, 123456, tzinfo=UTC)),
        ("2026-11-30", datetime(2026, 11, 30, tzinfo=UTC)),
    ],
)
def test_query_datetime_uses_the_offset_in_the_value(text: str, expected: datetime) -> None:
    parsed = parse_query_datetime(text)
    assert parsed == expected
    assert parsed.utcoffset() is not None


def test_query_datetime_keeps_the_given_offset() -> None:
    assert parse_query_datetime("2026-11-30T09:30:00+05:30").utcoffset() == timedelta(hours=5, minutes=30)
    assert parse_query_datetime("2026-11-30T09:30:00+05:30").tzinfo == timezone(timedelta(hours=5, minutes=30))


@pytest.mark.parametrize(
    "text", ["yesterday", "", "2026-13-01T00:00:00Z", "2026-11-30T09:30:00 01:00", "2026-11-30T25:00:00Z"]
)
def test_query_datetime_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError, match="invalid date-time"):
        parse_query_datetime(text)


def test_parse_prefer_reads_several_preferences_with_lowercased_names() -> None:
    header = 'odata.maxpagesize=50, Outlook.TimeZone="Pacific Standard Time", return=representation'
    assert parse_prefer(header) == {
        "odata.maxpagesize": "50",
        "outlook.timezone": "Pacific Standard Time",
        "return": "representation",
    }


def test_parse_prefer_handles_quotes_parameters_and_repeats() -> None:
    header = 'outlook.body-content-type="text";x=1, respond-async, outlook.timezone="A, B", outlook.timezone=UTC'
    assert parse_prefer(header) == {
        "outlook.body-content-type": "text",
        "respond-async": "",
        "outlook.timezone": "A, B",  # RFC 7240: the first instance wins
    }
    assert parse_prefer(None) == {}
    assert parse_prefer("") == {}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('outlook.timezone="Pacific Standard Time"', "Pacific Standard Time"),
        ('odata.maxpagesize=50, outlook.timezone="Europe/Berlin"', "Europe/Berlin"),
        ("outlook.timezone=UTC", "UTC"),
        ("odata.maxpagesize=50", None),
        ('outlook.timezone=""', None),
        (None, None),
    ],
)
def test_parse_prefer_timezone(header: str | None, expected: str | None) -> None:
    assert parse_prefer_timezone(header) == expected
