"""A project as Coordinator serves it: its plan, channel, calendar, meetings, zone and schedule."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo


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

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
