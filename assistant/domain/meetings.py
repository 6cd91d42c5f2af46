"""Meetings in business words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Meeting:
    id: str
    series_id: str | None
    subject: str
    start: dt.datetime  # aware
    end: dt.datetime  # aware
    all_day: bool
    organizer: str
    location: str
    join_url: str | None
    categories: tuple[str, ...]
    cancelled: bool


def belongs_to(meeting: Meeting, keywords: Iterable[str]) -> bool:
    """A meeting is a project's when a keyword appears in its subject or equals one of its categories."""
    subject = meeting.subject.casefold()
    categories = {c.casefold() for c in meeting.categories}
    return any(k.casefold() in subject or k.casefold() in categories for k in keywords)
