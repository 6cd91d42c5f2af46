"""Action items agreed in meetings: who does what by when, carried forward until their Planner task is done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from assistant.domain.people import Person


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


@dataclass(frozen=True)
class ActionItem:
    id: str  # stable for the same line of the same meeting's notes: re-running creates nothing new
    text: str  # what is to be done, without the owner and the date
    owner_text: str  # the owner as written ("@Tomasz"), kept when it does not resolve
    owner: Person | None  # the resolved person, or None (reported, never guessed)
    due: dt.date | None
    meeting_id: str
    series_id: str | None
    meeting_subject: str
    meeting_day: dt.date
    status: ActionStatus = ActionStatus.OPEN
    planner_task_id: str | None = None
    number: int | None = None  # the project's number for it, once recorded (1, 2, …; `done N`)

    @property
    def is_open(self) -> bool:
        return self.status is ActionStatus.OPEN


def carried_over(actions: Iterable[ActionItem], series_id: str | None, before: dt.date) -> list[ActionItem]:
    """Open actions from earlier meetings of the same series (or of the same one-off meeting), oldest first."""
    chosen = [a for a in actions if a.is_open and a.series_id == series_id and a.meeting_day < before]
    return sorted(chosen, key=lambda a: (a.meeting_day, a.due or dt.date.max, a.text))


def resolve_owner(words: str, people: Sequence[Person]) -> tuple[Person | None, str, str]:
    """Split `Tomasz Nowak fix the firmware` into (person, owner as written, task) against known people.

    The longest leading run of up to three words that is someone's full name, mail address or mail name
    wins; one word may also be a first name that only one person has. Unresolved: (None, first word, rest).
    """
    tokens = words.split()
    for size in (3, 2, 1):
        if len(tokens) <= size:
            continue
        written = " ".join(tokens[:size]).rstrip(",:;")
        match = _match(written, people, first_name=size == 1)
        if match is not None:
            return match, written, " ".join(tokens[size:])
    return None, tokens[0].rstrip(",:;"), " ".join(tokens[1:])


def _match(written: str, people: Sequence[Person], first_name: bool) -> Person | None:
    key = written.casefold()
    for person in people:
        mail = person.email.casefold()
        if key in (person.name.casefold(), mail) or (mail and key == mail.split("@")[0]):
            return person
    if first_name:
        named = {
            p.id or p.email or p.name: p for p in people if p.name.split()[:1] and p.name.split()[0].casefold() == key
        }
        if len(named) == 1:
            return next(iter(named.values()))
    return None
