"""The bot's router with every command registered, against the shared sandbox (Graph) and a fresh SQLite
database, its clock a test-settable value (DEMO_NOW unless a test moves it)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from assistant.bot.activity import Reply
from assistant.bot.commands import Deps, register
from assistant.bot.router import Request, Router
from assistant.domain.project import Project
from assistant.graph.client import GraphClient
from assistant.graph.http import PinnedSession
from assistant.graph.people import PeopleDirectory
from assistant.projects import parse_projects
from assistant.sandbox.demo_tenant import demo_projects
from assistant.services.connect import Connection
from assistant.storage.db import Database
from assistant.storage.migrate import upgrade
from tests.conftest import DEMO_NOW, REFDATA


@pytest.fixture(scope="session")
def card_schema() -> jsonschema.Draft6Validator:
    """The official Adaptive Cards 1.5 schema (as tests/render and tests/web use it)."""
    return jsonschema.Draft6Validator(
        json.loads((REFDATA / "adaptivecards" / "adaptive-card-1.5.0.schema.json").read_text())
    )


def completed(reply: Reply) -> Reply:
    """The final answer: the reply, or what its deferred work answers (run now, as the bot's worker would)."""
    return reply.later() if reply.later is not None else reply


STRANGER_ID = "5f0c0b9e-0000-4000-8000-00000000dead"  # nobody in the tenant


@dataclass
class BotUnderTest:
    router: Router
    database: Database
    projects: Mapping[str, Project]
    now: dt.datetime = DEMO_NOW
    asked: list[Reply] = field(default_factory=list)
    user_ids: dict[str, str] = field(default_factory=dict)  # display name → Entra object id, the demo tenant's

    def say(self, text: str, project: str = "atlas", *, asker: str | None = "Megan Bowen") -> Reply:
        """`text` typed in the project's channel: the final answer (slow work, drafting a document, done)."""
        return completed(self.first(text, project, asker=asker))

    def first(self, text: str, project: str = "atlas", *, asker: str | None = "Megan Bowen") -> Reply:
        """The answer sent at once: for slow work, the "on it" whose `later` does it."""
        asker_id = self.user_ids.get(asker, STRANGER_ID) if asker else None
        channel = self.projects[project].channel_id
        request = Request(text, f"{asker} (test)", asker_name=asker, asker_id=asker_id, channel=channel)
        return self.router.handle(request)

    def click(self, data: Mapping[str, Any], project: str = "atlas") -> Reply:
        """A card button's Action.Submit, as Teams sends it back in the project's channel."""
        request = Request("", "Megan Bowen (test)", channel=self.projects[project].channel_id, data=dict(data))
        return completed(self.router.handle(request))


@pytest.fixture
def bot(client: GraphClient, demo_tenant: dict, tmp_path: Path) -> Iterator[BotUnderTest]:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    upgrade(url)
    database = Database.from_url(url)
    projects = parse_projects({"projects": demo_projects(demo_tenant)}, source="demo")
    graph = Connection(client, PeopleDirectory(client), PinnedSession())
    router = Router(lambda: projects)
    under_test = BotUnderTest(
        router, database, projects, user_ids={u["displayName"]: u["id"] for u in demo_tenant["users"]}
    )
    register(router, Deps(lambda: graph, lambda: under_test.now, lambda: database))
    yield under_test
    database.dispose()
