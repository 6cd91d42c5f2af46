"""The command router: parsing what people type in Teams, picking the project, answering unknown commands."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.bot.activity import Reply
from assistant.bot.router import Command, Context, Request, Router, clean, parse
from assistant.domain.project import Project
from assistant.graph.errors import GraphError

ATLAS = Project("atlas", "Atlas", "plan-a", "group-1", "19:atlas@thread.tacv2", "a@x", ("Atlas",), "UTC", None)
APOLLO = dataclasses.replace(ATLAS, key="apollo", name="Apollo", channel_id="19:apollo@thread.tacv2", team_id="group-2")
ZEUS = dataclasses.replace(ATLAS, key="zeus", name="Zeus", channel_id="19:zeus@thread.tacv2", team_id="group-2")
PROJECTS = {p.key: p for p in (ATLAS, APOLLO, ZEUS)}


@pytest.fixture
def router() -> Router:
    router = Router(lambda: PROJECTS)

    def echo(context: Context) -> Reply:
        project = context.project.key if context.project else "-"
        return Reply(text=f"{project} {' '.join(context.args)}".strip())

    def broken(context: Context) -> Reply:
        raise GraphError("Graph GET https://graph/secret failed")

    router.add(Command("status", "status", "the report", echo))
    router.add(Command("due", "due [DAYS]", "due soon", echo))
    router.add(Command("projects", "projects", "list", echo, needs_project=False))
    router.add(Command("boom", "boom", "fails", broken))
    return router


def ask(router: Router, text: str, channel: str | None = None, group: str | None = None) -> str:
    return router.handle(Request(text, "Megan (id)", channel, group)).text


def test_mentions_html_and_entities_are_stripped():
    assert clean("<at>Coordinator</at>&nbsp;status <b>in</b> Atlas\n") == "status in Atlas"
    assert parse("<at id='0'>Coordinator Bot</at> STATUS in Atlas").command == "status"
    assert parse("<div><at>Bot</at> due 14 in ATLAS</div>") == parse("due 14 in atlas")
    assert parse("due 14 in atlas").args == ("14",) and parse("due 14 in atlas").project == "atlas"


def test_the_project_comes_from_the_channel_then_in_project_overrides(router: Router):
    assert ask(router, "status", channel="19:apollo@thread.tacv2") == "apollo"
    assert ask(router, "status in atlas", channel="19:apollo@thread.tacv2") == "atlas"
    assert ask(router, "due 3 in Zeus", channel="19:apollo@thread.tacv2") == "zeus 3"
    assert ask(router, "status atlas") == "atlas"  # a first argument naming a project works too
    assert ask(router, "status", group="group-1") == "atlas"  # the team's only project
    assert "not linked to a project" in ask(router, "status", group="group-2")  # two projects: which one?
    assert "no project “mars”" in ask(router, "status in mars").lower()


def test_unknown_commands_get_the_closest_one(router: Router):
    answer = ask(router, "<at>Bot</at> staus")
    assert "“staus”" in answer and "Did you mean “status”?" in answer and "status — the report" in answer
    unknown = ask(router, "xyzzy")
    assert "projects — list" in unknown and "Did you mean" not in unknown
    assert "Tell me" in ask(router, "<at>Bot</at>")


def test_failures_become_short_answers_without_details(router: Router, caplog):
    answer = ask(router, "boom in atlas")
    assert "Microsoft 365" in answer and "secret" not in answer
    assert any("graph/secret" in r.getMessage() for r in caplog.records)
