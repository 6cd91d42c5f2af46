"""A project as Coordinator serves it: its plan, channel, calendar, meetings, zone and schedule."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from assistant.domain.meeting_types import DEFAULT_RULES, MeetingType
from assistant.domain.report_rules import ReportRules


@dataclass(frozen=True)
class Project:
    key: str
    name: str
    plan_id: str
    team_id: str
    channel_id: str
    calendar: str
    meetings: tuple[str, ...]
    timezone: str
    status_schedule: str | None
    rules: ReportRules = field(default_factory=ReportRules)
    # Delivery methods to try, in order, until one posts the card (services/delivery.py; docs/delivery.md).
    delivery: tuple[str, ...] = ("graph",)
    # The Workflows webhook URL carries its signature (`sig=`): a secret, so it is kept out of `repr`.
    workflows_url: str | None = field(default=None, repr=False)
    # How its meetings are classified: (type, keywords) in order, first match wins (domain/meeting_types.py).
    meeting_rules: tuple[tuple[MeetingType, tuple[str, ...]], ...] = DEFAULT_RULES

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
