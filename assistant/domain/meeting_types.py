"""What kind of meeting this is, from its subject and Outlook categories, by configurable rules.

The kind decides the agenda template and what live data fills it. Rules are checked in order, so the more
specific words come first ("sprint planning" before "planning", "steering committee" before "review").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from assistant.domain.meetings import Meeting


class MeetingType(StrEnum):
    STANDUP = "standup"
    SPRINT_REVIEW = "review"
    PLANNING = "planning"
    RETROSPECTIVE = "retrospective"
    STEERING = "steering"
    GENERAL = "general"


# Keywords looked for in the subject (ignoring case) and equal to a category; first match wins.
DEFAULT_RULES: tuple[tuple[MeetingType, tuple[str, ...]], ...] = (
    (MeetingType.STEERING, ("steering", "stakeholder", "sponsor", "board meeting", "executive")),
    (MeetingType.RETROSPECTIVE, ("retrospective", "retro")),
    (MeetingType.SPRINT_REVIEW, ("sprint review", "review", "demo")),
    (MeetingType.PLANNING, ("sprint planning", "planning")),
    (MeetingType.STANDUP, ("stand-up", "standup", "stand up", "daily", "scrum")),
)


def classify(meeting: Meeting, rules: Sequence[tuple[MeetingType, Sequence[str]]] = DEFAULT_RULES) -> MeetingType:
    subject = meeting.subject.casefold()
    categories = {c.casefold() for c in meeting.categories}
    for kind, words in rules:
        if any(word.casefold() in subject or word.casefold() in categories for word in words):
            return kind
    return MeetingType.GENERAL


def rules_from(table: Mapping[str, Sequence[str]]) -> tuple[tuple[MeetingType, tuple[str, ...]], ...]:
    """Rules from a projects-file table `{type: [keywords]}`; types not named keep their defaults, in order."""
    known = [kind.value for kind, _ in DEFAULT_RULES]
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ValueError(f"unknown meeting type {unknown[0]!r}; use {', '.join(known)}")
    return tuple((kind, tuple(table.get(kind.value, words))) for kind, words in DEFAULT_RULES)
