"""What a coordinator glances at first for one project: the coming meetings and the state of the plan."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.domain.meetings import Meeting
from assistant.domain.project import Project
from assistant.domain.tasks import TaskSummary


@dataclass(frozen=True)
class ProjectOverview:
    project: Project
    meetings: list[Meeting]
    tasks: TaskSummary
