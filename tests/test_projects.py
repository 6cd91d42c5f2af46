"""Delivery settings in the projects file: `delivery` order and the Workflows URL, which is a secret."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.errors import ConfigError
from assistant.projects import parse_projects
from tests.test_cli import run

BASE = {
    "name": "Apollo", "plan_id": "p", "team_id": "t", "channel_id": "19:c@thread.tacv2",
    "calendar": "m@contoso.com", "meetings": ["Apollo"],
}  # fmt: skip
URL = "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sv=1.0&sig=S3CRETsig"


def _parse(**table: Any):
    return parse_projects({"projects": {"apollo": {**BASE, **table}}}, source="coordinator.toml")["apollo"]


def test_defaults_post_through_graph_only():
    project = _parse()
    assert project.delivery == ("graph",) and project.workflows_url is None


def test_a_workflows_url_puts_workflows_first_by_default():
    project = _parse(workflows_url=URL)
    assert project.delivery == ("workflows", "graph") and project.workflows_url == URL


def test_an_explicit_order_is_kept():
    assert _parse(workflows_url=URL, delivery=["graph", "workflows"]).delivery == ("graph", "workflows")


@pytest.mark.parametrize(
    ("table", "key", "problem"),
    [
        ({"delivery": ["workflows"]}, "delivery", "needs workflows_url"),
        ({"delivery": []}, "delivery", "at least one"),
        ({"delivery": ["graph", "graph"]}, "delivery", "once"),
        ({"delivery": ["email"]}, "delivery.0", "'workflows', 'graph' or 'bot'"),
        ({"workflows_url": "http://prod-12.logic.azure.com/x?sig=S3CRETsig"}, "workflows_url", "https://"),
        ({"workflows_url": "S3CRETsig"}, "workflows_url", "https://"),
    ],
)
def test_bad_delivery_settings_name_the_key_and_never_the_url(table, key, problem):
    with pytest.raises(ConfigError) as caught:
        _parse(**table)
    assert caught.value.key == f"projects.apollo.{key}" and problem in caught.value.problem
    assert "S3CRET" not in str(caught.value)


def test_the_url_is_not_in_the_projects_repr():
    assert "S3CRET" not in repr(_parse(workflows_url=URL)) and "logic.azure" not in repr(_parse(workflows_url=URL))


def test_coordinator_config_never_prints_the_url(tmp_path):
    lines = [f'{k} = "{v}"' if isinstance(v, str) else f'{k} = ["{v[0]}"]' for k, v in BASE.items()]
    (tmp_path / "coordinator.toml").write_text(
        "[projects.apollo]\n" + "\n".join(lines) + f'\nworkflows_url = "{URL}"\ndelivery = ["workflows", "graph"]\n'
    )
    result = run("-v", "config", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "apollo" in result.stdout
    assert "S3CRET" not in result.stdout + result.stderr and "logic.azure" not in result.stdout + result.stderr


def test_meeting_type_keywords_are_checked_and_applied():
    from assistant.domain.meeting_types import MeetingType

    project = _parse(meeting_types={"standup": ["huddle"]})
    assert dict(project.meeting_rules)[MeetingType.STANDUP] == ("huddle",)
    with pytest.raises(ConfigError) as caught:
        _parse(meeting_types={"sync": ["x"]})
    assert str(caught.value).startswith("coordinator.toml: projects.apollo.meeting_types: unknown meeting type 'sync'")
    with pytest.raises(ConfigError, match="at least one non-empty keyword"):
        _parse(meeting_types={"standup": []})
