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
    # Delivery methods to try, in order, until one posts the card (services/delivery.py; docs/delivery.md).
    delivery: tuple[str, ...] = ("graph",)
    # The Workflows webhook URL carries its signature (`sig=`): a secret, so it is kept out of `repr`.
    workflows_url: str | None = field(default=None, repr=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
