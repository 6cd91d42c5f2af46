"""The delivery methods as the composition root builds them: configured order, and the Graph method over the
service account's real delegated sign-in (device code against the sandbox, encrypted cache in the database)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from assistant.graph.http import PinnedSession
from assistant.sandbox.server import SandboxServer
from assistant.services.delivery_methods import (
    GraphChannelPost,
    WorkflowsPost,
    delegated_graph_client,
    delivery_methods,
)
from assistant.services.login import delegated_tokens
from assistant.storage.db import Database
from assistant.storage.migrate import upgrade
from tests.conftest import DEMO_NOW
from tests.graph.conftest import sandbox_settings
from tests.services.test_delivery import CARD_URL, SERVICE_ACCOUNT, make_card, project_with

URL = "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=SECRETSIG"


def _unused() -> None:
    raise AssertionError("the Graph client must not be built for this")


@pytest.mark.parametrize(
    ("delivery", "expected"),
    [
        ({}, ["graph"]),
        ({"workflows_url": URL}, ["workflows", "graph"]),
        ({"workflows_url": URL, "delivery": ["graph", "workflows"]}, ["graph", "workflows"]),
        ({"workflows_url": URL, "delivery": ["workflows"]}, ["workflows"]),
    ],
)
def test_methods_come_in_the_configured_order(demo_tenant, delivery, expected):
    methods = delivery_methods(project_with(demo_tenant, **delivery), session=PinnedSession(), graph_client=_unused)
    assert [m.name for m in methods] == expected
    assert all(isinstance(m, WorkflowsPost | GraphChannelPost) for m in methods)


def test_the_workflows_method_hides_its_url(demo_tenant):
    [method] = delivery_methods(
        project_with(demo_tenant, workflows_url=URL, delivery=["workflows"]),
        session=PinnedSession(),
        graph_client=_unused,
    )
    assert "SECRETSIG" not in repr(method) and "logic.azure.com" not in repr(method)


@pytest.fixture
def database(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'coordinator.db'}"
    upgrade(url)
    database = Database.from_url(url)
    yield database
    database.dispose()


def _approve_as(sandbox: SandboxServer, user: str) -> Callable[[str], None]:
    def echo(message: str) -> None:
        code = re.search(r"enter the code (\S+)", message)
        assert code, message
        PinnedSession(sandbox.ca_bundle).post(
            f"{sandbox.url}/_sandbox/devicecode/approve", json={"user_code": code.group(1), "user": user}
        ).raise_for_status()

    return echo


def _graph_method(sandbox, database, tmp_path, demo_tenant, **changes) -> GraphChannelPost:
    settings = sandbox_settings(sandbox, tmp_path, client_secret=None, **changes)
    session = PinnedSession(settings.ca_bundle)
    [method] = delivery_methods(
        project_with(demo_tenant),
        session=session,
        graph_client=delegated_graph_client(settings, session, database, lambda: DEMO_NOW),
    )
    assert isinstance(method, GraphChannelPost)
    return method


def test_graph_posts_as_the_signed_in_service_account(sandbox, http, database, tmp_path, demo_tenant):
    key = Fernet.generate_key().decode()
    settings = sandbox_settings(sandbox, tmp_path, client_secret=None, token_key=key)
    delegated_tokens(settings, PinnedSession(settings.ca_bundle), database, lambda: DEMO_NOW).login(
        _approve_as(sandbox, SERVICE_ACCOUNT)
    )
    receipt = _graph_method(sandbox, database, tmp_path, demo_tenant, token_key=key).deliver(make_card(CARD_URL))
    assert receipt.outcome == "delivered" and receipt.method == "graph"
    [message] = http.get(f"{sandbox.url}/_sandbox/messages").json()["value"]
    author = next(u for u in demo_tenant["users"] if u["userPrincipalName"] == SERVICE_ACCOUNT)
    assert message["id"] == receipt.message_id and message["from"]["user"]["id"] == author["id"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"token_key": Fernet.generate_key().decode()}, "no account is signed in"),
        ({}, "COORDINATOR_TOKEN_KEY"),
    ],
    ids=["never signed in", "no token key"],
)
def test_without_a_sign_in_the_graph_method_fails_with_advice(
    sandbox, http, database, tmp_path, demo_tenant, changes, expected
):
    receipt = _graph_method(sandbox, database, tmp_path, demo_tenant, **changes).deliver(make_card(CARD_URL))
    assert receipt.outcome == "failed" and expected in receipt.detail and "coordinator login" in receipt.detail
    assert http.get(f"{sandbox.url}/_sandbox/messages").json()["value"] == []
