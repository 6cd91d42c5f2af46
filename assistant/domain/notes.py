"""Meeting notes as people type them, read into decisions, actions and discussion per agenda item.

The format (docs/minutes.md):

    ## Pilot status                      a heading starts the discussion of an agenda item
    Free text is discussion under the current item.
    Decision: Keep local admin rights for developers until wave 3.
    Action: @Tomasz Nowak roll out docking firmware 1.0.16 by Friday
    Action: @sofia order 40 USB-C chargers by 2026-03-12

An action names its owner with `@` (a full name, a first name or a mail address; resolved against the
meeting's attendees and the plan's people by the caller) and may end with `by <date>`: an ISO date, `6 Mar`,
`6 March`, a weekday (the next one after the meeting), `tomorrow` or `today`. A line that starts like a
decision or action but cannot be read is an error naming its line, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
_KEYWORD = re.compile(r"^\s*(?P<word>decision|decided|action|todo|to do|ai)\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
_NEAR_KEYWORD = re.compile(r"^\s*(decison|desicion|acton|actoin|action item)s?\s*[:\-]", re.IGNORECASE)
_BY = re.compile(r"\s+by\s+(?P<when>[^,;]+?)\s*[.!]?\s*$", re.IGNORECASE)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


class NotesSyntaxError(ValueError):
    def __init__(self, line: int, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}")


@dataclass(frozen=True)
class NotedAction:
    line: int
    owner_text: str  # what followed the @, up to the task: resolved by the caller
    words: str  # the owner and the task together, as written (the owner may be several words)
    due: dt.date | None


@dataclass(frozen=True)
class Notes:
    decisions: tuple[str, ...] = ()
    actions: tuple[NotedAction, ...] = ()
    discussion: dict[str, tuple[str, ...]] = field(default_factory=dict)  # agenda item → lines ("" = general)


def parse_notes(text: str, meeting_day: dt.date) -> Notes:
    decisions: list[str] = []
    actions: list[NotedAction] = []
    discussion: dict[str, list[str]] = {}
    item = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        heading = _HEADING.match(line)
        if heading:
            item = heading.group("title")
            discussion.setdefault(item, [])
            continue
        keyword = _KEYWORD.match(line)
        if keyword is None:
            if _NEAR_KEYWORD.match(line):
                raise NotesSyntaxError(
                    number, f"{line.split(':')[0].strip()!r} looks like a misspelt Decision: or Action:"
                )
            discussion.setdefault(item, []).append(line.strip().removeprefix("- ").removeprefix("* "))
            continue
        word, rest = keyword.group("word").casefold(), keyword.group("rest").strip()
        if not rest:
            raise NotesSyntaxError(number, f"{keyword.group('word')}: says nothing")
        if word in ("decision", "decided"):
            decisions.append(rest)
        else:
            actions.append(_action(number, rest, meeting_day))
    return Notes(tuple(decisions), tuple(actions), {k: tuple(v) for k, v in discussion.items()})


def _action(number: int, rest: str, meeting_day: dt.date) -> NotedAction:
    if not rest.startswith("@"):
        raise NotesSyntaxError(number, "an action needs an owner first: Action: @Name what to do by <date>")
    due = None
    by = _BY.search(rest)
    if by:
        due = read_date(by.group("when"), meeting_day)
        if due is None:
            raise NotesSyntaxError(
                number, f"cannot read the date {by.group('when')!r} (use 2026-03-12, 12 Mar or Friday)"
            )
        rest = rest[: by.start()]
    words = rest[1:].strip()
    if len(words.split()) < 2:
        raise NotesSyntaxError(number, "an action needs an owner and what to do: Action: @Name what to do by <date>")
    return NotedAction(number, words.split()[0], words, due)


def read_date(text: str, meeting_day: dt.date) -> dt.date | None:
    """`2026-03-12`, `12 Mar`, `12 March 2026`, `Friday` (the next one after the meeting), `tomorrow`, `today`."""
    words = text.strip().casefold().replace(",", " ").split()
    if not words:
        return None
    if words == ["today"]:
        return meeting_day
    if words == ["tomorrow"]:
        return meeting_day + dt.timedelta(days=1)
    if len(words) == 1 and words[0] in _WEEKDAYS:
        ahead = (_WEEKDAYS.index(words[0]) - meeting_day.weekday() - 1) % 7 + 1
        return meeting_day + dt.timedelta(days=ahead)
    if len(words) == 1:
        try:
            return dt.date.fromisoformat(words[0])
        except ValueError:
            return None
    if len(words) in (2, 3) and words[0].isdigit() and words[1][:3] in _MONTHS:
        year = int(words[2]) if len(words) == 3 and words[2].isdigit() else meeting_day.year
        try:
            day = dt.date(year, _MONTHS.index(words[1][:3]) + 1, int(words[0]))
        except ValueError:
            return None
        # "3 Jan" written at a December meeting means next January
        return day.replace(year=day.year + 1) if len(words) == 2 and day < meeting_day - dt.timedelta(days=60) else day
    return None
