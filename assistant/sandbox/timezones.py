"""Time zones and date-times the way Graph/Outlook spell them.

Graph names zones with Windows names ("W. Europe Standard Time") when a client asks for them
(`Prefer: outlook.timezone`) and stores whatever the organizer used, so the sandbox must accept both Windows
and IANA names. The Windows→IANA mapping is CLDR's windowsZones table as shipped (and kept current) by
`tzlocal`; a hand-typed table would rot silently. Graph's `dateTimeTimeZone` is a *naive* wall-clock string
with seven fractional digits plus a zone name, never an offset (GRAPH-FACTS §1.1, gotcha 7), which is why
formatting and parsing live here rather than in `datetime.isoformat`.

Pure: no clock reads, no environment reads.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tzlocal.windows_tz import tz_win, win_tz

__all__ = [
    "UnknownTimeZone",
    "from_graph",
    "localize",
    "parse_prefer",
    "parse_prefer_timezone",
    "parse_query_datetime",
    "to_graph",
    "windows_name",
    "zone",
]


class UnknownTimeZone(ValueError):
    """A zone name that is neither a Windows (CLDR windowsZones) nor an IANA name."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"Unknown time zone {name!r}: expected a Windows zone name such as 'W. Europe Standard Time' "
            "or an IANA name such as 'Europe/Berlin'"
        )
        self.name = name


@cache
def _windows_by_casefold() -> dict[str, str]:
    # Outlook treats zone names case-insensitively in practice; exact spelling is tried first anyway.
    return {key.casefold(): value for key, value in win_tz.items()}


def zone(name: str) -> ZoneInfo:
    """Resolve a Windows or IANA zone name; Windows first, because "UTC" is both and must mean Etc/UTC."""
    if not isinstance(name, str) or not name.strip():
        raise UnknownTimeZone(str(name))
    key = name.strip()
    iana = win_tz.get(key) or _windows_by_casefold().get(key.casefold())
    try:
        return ZoneInfo(iana or key)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # ValueError: malformed keys such as "../x"
        raise UnknownTimeZone(name) from exc


def windows_name(name: str) -> str:
    """The Windows name of a zone (Windows names pass through), as Outlook reports `originalStartTimeZone`."""
    if name in win_tz:
        return name
    zone(name)  # raises UnknownTimeZone for garbage
    return tz_win.get(name, name)


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """Attach `tz` to a wall-clock time the way Windows/Exchange (.NET `TimeZoneInfo`) reads it.

    A time repeated at fall-back is ambiguous; .NET takes the *standard-time* reading, so we do too
    (zoneinfo's default, fold=0, would take the daylight one). A time skipped at spring-forward does not
    exist; fold=0 reads it with the pre-transition offset, i.e. 02:30 becomes 03:30 summer time, which is
    where Outlook shows it.
    """
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    exists = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive
    if exists and first.dst() != timedelta(0) and second.dst() == timedelta(0):
        return second
    return first


def _format_wall_clock(local: datetime) -> str:
    return local.strftime("%Y-%m-%dT%H:%M:%S") + f".{local.microsecond:06d}0"


def to_graph(dt: datetime, zone_name: str) -> dict[str, str]:
    """An aware instant as Graph's `dateTimeTimeZone` in `zone_name` (kept as the caller spelled it)."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"to_graph needs an aware datetime, got naive {dt.isoformat()}")
    return {"dateTime": _format_wall_clock(dt.astimezone(zone(zone_name))), "timeZone": zone_name}


_WALL_CLOCK = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?")
_OFFSET = r"(Z|z|[+-]\d{2}:?\d{2})?"
_QUERY = re.compile(_WALL_CLOCK.pattern + _OFFSET)
_DATE_ONLY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _wall_clock(match: re.Match[str]) -> datetime:
    year, month, day, hour, minute, second, fraction = match.groups()[:7]
    micro = int((fraction or "0").ljust(7, "0")[:6])  # the 7th digit (100 ns) is below Python's resolution
    return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro)


def from_graph(value: dict[str, str]) -> datetime:
    """Parse a `dateTimeTimeZone` into an aware datetime in its zone.

    The wall-clock string must carry no offset: Graph's format has none, and accepting one would hide a client
    bug that the real service would surface. A non-existent local time (spring-forward gap) resolves with
    `fold=0`, i.e. the pre-transition offset, as zoneinfo does.
    """
    if not isinstance(value, dict):
        raise ValueError(f"expected a dateTimeTimeZone object, got {value!r}")
    text, zone_name = value.get("dateTime"), value.get("timeZone")
    if not isinstance(text, str) or not isinstance(zone_name, str):
        raise ValueError(f"dateTimeTimeZone needs string 'dateTime' and 'timeZone', got {value!r}")
    match = _WALL_CLOCK.fullmatch(text.strip())
    if match is None:
        raise ValueError(
            f"invalid dateTime {text!r}: expected local time such as '2026-11-30T09:30:00.0000000', without offset"
        )
    return localize(_wall_clock(match), zone(zone_name))


def parse_query_datetime(text: str) -> datetime:
    """Read calendarView's `startDateTime`/`endDateTime`: the value's own offset counts; none means UTC.

    `Prefer: outlook.timezone` deliberately plays no part here (GRAPH-FACTS §1.1). A bare date is read as
    midnight UTC. Note a literal '+' in an un-encoded query string arrives as a space and is rejected here,
    as a mis-encoded URL should be.
    """
    raw = text.strip() if isinstance(text, str) else ""
    try:
        if (day := _DATE_ONLY.fullmatch(raw)) is not None:
            return datetime.combine(date(*map(int, day.groups())), time(), UTC)
        match = _QUERY.fullmatch(raw)
        if match is None:
            raise ValueError("not ISO 8601")
        local = _wall_clock(match)
        offset = match.group(8)
        if offset is None or offset in "Zz":
            return local.replace(tzinfo=UTC)
        return datetime.fromisoformat(local.isoformat() + offset[:3] + ":" + offset[-2:])
    except ValueError as exc:  # also out-of-range fields such as month 13
        raise ValueError(f"invalid date-time {text!r}: expected ISO 8601 such as 2026-11-30T09:30:00Z") from exc


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def parse_prefer(prefer_header: str | None) -> dict[str, str]:
    """Parse RFC 7240 `Prefer` into {lowercased name: value}.

    Several `Prefer` headers are joined with ", " by HTTP; per RFC 7240 the first instance of a repeated
    preference wins. Parameters after ';' are ignored (Graph defines none we serve); valueless preferences
    such as `respond-async` map to "".
    """
    result: dict[str, str] = {}
    for item in _split_outside_quotes(prefer_header or "", ","):
        head = _split_outside_quotes(item, ";")[0].strip()
        if not head:
            continue
        name, _, value = head.partition("=")
        key = name.strip().lower()
        if key and key not in result:
            result[key] = _unquote(value)
    return result


def parse_prefer_timezone(prefer_header: str | None) -> str | None:
    """The zone from `Prefer: outlook.timezone=...`, unvalidated (the route decides how to reject it)."""
    value = parse_prefer(prefer_header).get("outlook.timezone", "").strip()
    return value or None
