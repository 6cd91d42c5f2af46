"""Meetings in business words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from assistant.domain.people import Person


class AttendeeKind(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    RESOURCE = "resource"  # a room or equipment


class Response(StrEnum):
    NONE = "no response"
    ORGANIZER = "organizer"
    ACCEPTED = "accepted"
    TENTATIVE = "tentative"
    DECLINED = "declined"


@dataclass(frozen=True)
class Attendee:
    person: Person
    kind: AttendeeKind
    response: Response


@dataclass(frozen=True)
class Meeting:
    """One occurrence as the organizer's calendar shows it.

    `start`/`end` are aware. For an all-day meeting they are midnights of the calendar days shown, in the
    zone the meeting was read in (all-day events float: the same dates in every zone); use `days`.
    """

    id: str
    series_id: str | None
    subject: str
    start: dt.datetime
    end: dt.datetime
    all_day: bool
    organizer: Person
    location: str
    join_url: str | None
    categories: tuple[str, ...]
    cancelled: bool
    attendees: tuple[Attendee, ...] = ()
    body: str = ""  # plain text
    web_link: str | None = None
    # The IANA zone the organizer set the meeting in (Graph's `originalStartTimeZone`), when it maps to one.
    organizer_zone: str | None = None

    @property
    def days(self) -> tuple[dt.date, dt.date]:
        """First and last calendar day of an all-day meeting (the end Graph gives is exclusive)."""
        last = self.end.date() - dt.timedelta(days=1) if self.end.date() > self.start.date() else self.start.date()
        return self.start.date(), last

    def local_start(self, zone: dt.tzinfo) -> dt.datetime:
        return self.start.replace(tzinfo=zone) if self.all_day else self.start.astimezone(zone)

    def local_end(self, zone: dt.tzinfo) -> dt.datetime:
        return self.end.replace(tzinfo=zone) if self.all_day else self.end.astimezone(zone)

    def responses(self, response: Response) -> list[Person]:
        return [a.person for a in self.attendees if a.response is response and a.kind is not AttendeeKind.RESOURCE]


def belongs_to(meeting: Meeting, keywords: Iterable[str]) -> bool:
    """A meeting is a project's when a keyword appears in its subject or equals one of its categories."""
    subject = meeting.subject.casefold()
    categories = {c.casefold() for c in meeting.categories}
    return any(k.casefold() in subject or k.casefold() in categories for k in keywords)
