"""The projects file (`coordinator.toml`): which plan, channel, calendar and schedule make up a project.

Validation errors name the file, the key and the problem on one line, because the file is edited by hand.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, ValidationInfo, field_validator

from assistant.domain.meeting_types import rules_from
from assistant.domain.project import Project
from assistant.domain.report_rules import ReportRules
from assistant.domain.schedules import is_cron
from assistant.errors import ConfigError

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class _ReportModel(BaseModel):
    """`[projects.<key>.report]`: thresholds of the status report (docs/status-report.md)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    milestone_label: str = Field("Milestone", min_length=1)
    period_days: int = Field(7, ge=1, le=366)
    due_soon_days: int = Field(7, ge=1, le=90)
    unassigned_horizon_days: int = Field(14, ge=1, le=366)
    overload_open: int = Field(8, ge=0)
    overload_late: int = Field(2, ge=0)
    overload_due_soon: int = Field(4, ge=0)
    red_late_percent: int = Field(20, ge=0, le=100)
    red_on_late_milestone: bool = True
    burndown_weeks: int = Field(8, ge=1, le=104)
    upcoming_meetings: int = Field(5, ge=0, le=50)
    meetings_horizon_days: int = Field(14, ge=1, le=90)


class _ProjectModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1)
    plan_id: str = Field(min_length=1)
    team_id: str = Field(min_length=1)
    channel_id: str = Field(min_length=1)
    calendar: str = Field(min_length=1)
    meetings: list[str] = Field(min_length=1)
    timezone: str = "UTC"
    status_schedule: str | None = None
    report: _ReportModel = Field(default_factory=lambda: _ReportModel.model_validate({}))
    # Declared before `delivery`, whose validator reads it. A secret: the signature is in the query string.
    workflows_url: SecretStr | None = None
    delivery: list[Literal["workflows", "graph", "bot"]] | None = None
    # `[projects.<key>.meeting_types]`: keywords per meeting type, replacing that type's defaults.
    meeting_types: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("meeting_types")
    @classmethod
    def _meeting_types(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        rules_from(value)  # raises ValueError naming an unknown type
        if any(not words or not all(w.strip() for w in words) for words in value.values()):
            raise ValueError("each meeting type needs at least one non-empty keyword")
        return value

    @field_validator("workflows_url")
    @classmethod
    def _workflows_url(cls, value: SecretStr | None) -> SecretStr | None:
        # The message must never quote the URL: it is a secret.
        if value is None:
            return None
        parts = urlsplit(value.get_secret_value())
        loopback_http = parts.scheme == "http" and parts.hostname in _LOOPBACK
        if not parts.hostname or not (parts.scheme == "https" or loopback_http):
            raise ValueError("must be the https:// URL the Workflows trigger shows (value not shown: it is a secret)")
        return value

    @field_validator("delivery")
    @classmethod
    def _delivery(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if value is None:
            return None
        if not value:
            raise ValueError("name at least one delivery method: 'workflows', 'graph', 'bot'")
        if len(set(value)) != len(value):
            raise ValueError("each delivery method may appear once")
        if "workflows" in value and info.data.get("workflows_url") is None:
            raise ValueError("'workflows' needs workflows_url in the same project table")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as 'Europe/Berlin'") from None
        return value

    @field_validator("meetings")
    @classmethod
    def _keywords(cls, value: list[str]) -> list[str]:
        if any(not keyword.strip() for keyword in value):
            raise ValueError("meeting keywords must not be empty")
        return value

    @field_validator("status_schedule")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not is_cron(value):
            raise ValueError(f"{value!r} is not a five-field cron expression such as '0 9 * * MON'")
        return value


def load_projects(path: Path) -> dict[str, Project]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            str(path), "", "file not found (set COORDINATOR_PROJECTS, or run `coordinator demo` for an example)"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "", f"not valid TOML: {exc}") from None
    return parse_projects(document, source=str(path))


def parse_projects(document: dict[str, Any], *, source: str) -> dict[str, Project]:
    extra = sorted(set(document) - {"projects"})
    if extra:
        raise ConfigError(source, extra[0], "unknown table; the file holds [projects.<key>] tables")
    tables = document.get("projects")
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(source, "projects", "no projects defined; add a [projects.<key>] table")
    projects = {}
    for key, table in tables.items():
        if not _KEY.match(key):
            raise ConfigError(source, f"projects.{key}", "project keys are lower-case letters, digits, - and _")
        if not isinstance(table, dict):
            raise ConfigError(source, f"projects.{key}", "must be a table")
        try:
            model = _ProjectModel.model_validate(table)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            message = str(first["msg"]).removeprefix("Value error, ")
            if first["type"] == "missing":
                message = "required key is missing"
            elif first["type"] == "extra_forbidden":
                message = "unknown key"
            raise ConfigError(source, f"projects.{key}.{where}", message) from None
        rules = ReportRules(**model.report.model_dump())
        fields = model.model_dump(exclude={"meetings", "report", "delivery", "workflows_url", "meeting_types"})
        url = model.workflows_url.get_secret_value() if model.workflows_url else None
        delivery = tuple(model.delivery) if model.delivery else (("workflows", "graph") if url else ("graph",))
        projects[key] = Project(
            key=key,
            meetings=tuple(model.meetings),
            rules=rules,
            delivery=delivery,
            workflows_url=url,
            meeting_rules=rules_from(model.meeting_types),
            **fields,
        )
    return projects


def render_projects_toml(projects: dict[str, dict[str, Any]]) -> str:
    """A projects file for the given tables (used by `coordinator demo` to show a working example)."""
    lines = []
    for key, table in projects.items():
        lines.append(f"[projects.{key}]")
        for name, value in table.items():
            if value is None:
                continue
            if isinstance(value, list | tuple):
                rendered = "[" + ", ".join(_toml_string(v) for v in value) + "]"
            else:
                rendered = _toml_string(str(value))
            lines.append(f"{name} = {rendered}")
        lines.append("")
    return "\n".join(lines)


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
