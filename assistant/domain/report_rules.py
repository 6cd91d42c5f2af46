"""The thresholds behind a status report, per project (`[projects.<key>.report]` in coordinator.toml).

Defaults are what a coordinator would pick for a team of five to fifteen; docs/status-report.md explains
each one. They are plain numbers so the report's verdicts can be argued with and tuned, not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportRules:
    milestone_label: str = "Milestone"  # the Planner label that marks a milestone
    period_days: int = 7  # achievements: tasks completed in the N days ending on the as-of date
    due_soon_days: int = 7  # due soon: open and due within N days, today included
    unassigned_horizon_days: int = 14  # unassigned work due within N days is a risk
    overload_open: int = 8  # a person is overloaded with more open tasks than this …
    overload_late: int = 2  # … or more late tasks than this …
    overload_due_soon: int = 4  # … or more tasks due soon than this
    red_late_percent: int = 20  # red when more than this share of open tasks is late
    red_on_late_milestone: bool = True  # red when any milestone is late
    burndown_weeks: int = 8  # how far back the burndown chart looks
    upcoming_meetings: int = 5  # how many of the next meetings the report lists
    meetings_horizon_days: int = 14  # how far ahead it looks for them
