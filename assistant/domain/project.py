"""A project as Coordinator serves it: its plan, channel, calendar, meetings, zone and schedule."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

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

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
