"""The Teams bot end to end: the real app (`create_app`, served by `make_server` on loopback) against the sandbox
tenant, whose channel side signs the activities with its channel key and whose Bot Connector records the replies.

Nothing is injected between them: the app checks the channel token against the sandbox's published keys, gets its
own connector token from the sandbox authority (MSAL, client credentials), and keeps conversation references and
seen activity ids in its database. Only the clock is pinned (the sandbox's, at DEMO_NOW).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from assistant.app import drain, make_server
from assistant.cli import main
from assistant.graph.http import PinnedSession
from assistant.projects import render_projects_toml
from assistant.sandbox.demo_tenant import DEMO_APP_ID, DEMO_APP_SECRET, DEMO_BOT_APP_ID, demo_projects
from assistant.sandbox.server import SandboxServer
from assistant.sandbox.teams_channel import Said, channel_message, install, say, send_to_bot
from assistant.settings import Settings, load_settings
from assistant.storage.bot_state import BotConversations
from assistant.storage.db import Database

CARD = "application/vnd.microsoft.card.adaptive"
pytestmark = pytest.mark.usefixtures("sandbox")


@dataclass
class ServedApp:
    url: str
    settings: Settings
    project: dict[str, Any]

    @property
    def messages_url(self) -> str:
        return f"{self.url}/api/messages"

    def references(self) -> list[Any]:
        database = Database.from_url(self.settings.database)
        try:
            return BotConversations(database).all()
        finally:
            database.dispose()


@pytest.fixture
def served(
    sandbox: SandboxServer, demo_tenant: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServedApp]:
    projects = demo_projects(demo_tenant)
    projects["atlas"]["delivery"] = ["bot"]
    path = tmp_path / "coordinator.toml"
    path.write_text(render_projects_toml(projects), encoding="utf-8")
    env = {
        **sandbox.environment(DEMO_APP_ID, DEMO_APP_SECRET),
        **sandbox.bot_environment(DEMO_BOT_APP_ID, DEMO_APP_SECRET),
        "COORDINATOR_PROJECTS": str(path),
        "COORDINATOR_DATA_DIR": str(tmp_path / "data"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    server = make_server(settings, "127.0.0.1", 0, clock=sandbox.now)
    thread = threading.Thread(target=server.serve, name="coordinator-app", daemon=True)
    thread.start()
    try:
        yield ServedApp(f"http://127.0.0.1:{server.bind_addr[1]}", settings, projects["atlas"])
    finally:
        server.stop()
        thread.join(timeout=5)
        drain(server.wsgi_app)


def _posted(sandbox: SandboxServer) -> list[dict[str, Any]]:
    http = PinnedSession(sandbox.ca_bundle)
    return list(http.get(f"{sandbox.url}/_sandbox/bot/activities").json()["value"])


def _message_id(sandbox: SandboxServer) -> str:
    return sandbox.state.next_message_id(int(sandbox.now().timestamp() * 1000))


def _atlas_message(sandbox: SandboxServer, served: ServedApp, text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A post in the Atlas channel @mentioning the bot, and the bot it goes to, not yet sent."""
    return channel_message(
        sandbox.sandbox,
        channel_id=served.project["channel_id"],
        user_key=None,
        text=text,
        service_url=sandbox.connector_url,
        message_id=_message_id(sandbox),
    )


def _say_in_atlas(sandbox: SandboxServer, served: ServedApp, text: str, replies: int = 1) -> Said:
    """`text` typed in the Atlas channel, @mentioning the bot; the bot's first `replies` replies in the thread."""
    return say(
        sandbox.sandbox,
        channel_id=served.project["channel_id"],
        app_url=served.messages_url,
        text=text,
        service_url=sandbox.connector_url,
        message_id=_message_id(sandbox),
        replies=replies,
    )


def test_status_in_the_atlas_channel_is_answered_with_a_valid_status_card(
    sandbox: SandboxServer, served: ServedApp, card_schema: jsonschema.Draft6Validator
) -> None:
    said = _say_in_atlas(sandbox, served, "status")
    assert said.status == 200
    [reply] = said.replies
    assert reply["operation"] == "reply" and reply["replyToId"] == said.activity["id"]
    assert reply["appId"] == DEMO_BOT_APP_ID  # the sandbox verified the bot's own token (MSAL, sandbox authority)
    assert reply["text"].startswith("Atlas")
    [attachment] = reply["attachments"]
    assert attachment["contentType"] == CARD
    card_schema.validate(attachment["content"])
    assert attachment["content"]["type"] == "AdaptiveCard"
    [ref] = served.references()  # the channel is remembered, in the database
    assert ref.teams_channel == served.project["channel_id"] and ref.service_url == sandbox.connector_url


def test_agenda_answers_on_it_at_once_then_posts_the_filed_agenda_in_the_thread(
    sandbox: SandboxServer, served: ServedApp, card_schema: jsonschema.Draft6Validator
) -> None:
    said = _say_in_atlas(sandbox, served, "agenda standup", replies=2)
    assert said.status == 200
    on_it, result = said.replies
    assert on_it["text"].startswith("On it: drafting the agenda for Atlas stand-up") and not on_it.get("attachments")
    assert result["replyToId"] == said.activity["id"]  # in the same thread
    assert "filed in the channel's files, Meeting documents/Atlas stand-up" in result["text"]
    [attachment] = result["attachments"]
    card_schema.validate(attachment["content"])
    http = PinnedSession(sandbox.ca_bundle)
    [filed] = http.get(f"{sandbox.url}/_sandbox/files").json()["value"]
    assert attachment["content"]["actions"][0]["url"] == filed["webUrl"]
    assert http.get(filed["webUrl"]).content[:2] == b"PK"  # a Word document


def test_the_same_activity_sent_again_is_refused(sandbox: SandboxServer, served: ServedApp) -> None:
    activity, bot = _atlas_message(sandbox, served, "help")
    assert send_to_bot(sandbox.sandbox, activity, bot, app_url=served.messages_url).status == 200
    again = send_to_bot(sandbox.sandbox, activity, bot, app_url=served.messages_url, wait_seconds=0)
    assert again.status == 401 and len(_posted(sandbox)) == 1


def test_a_tampered_token_is_refused_and_nothing_is_recorded(sandbox: SandboxServer, served: ServedApp) -> None:
    activity, bot = _atlas_message(sandbox, served, "status")
    token = sandbox.sandbox.channel_issuer.mint(
        app_id=bot["appId"], service_url=sandbox.connector_url, now=sandbox.now()
    )
    header, payload, signature = token.split(".")
    tampered = ".".join([header, payload, ("A" if signature[0] != "A" else "B") + signature[1:]])
    said = send_to_bot(sandbox.sandbox, activity, bot, app_url=served.messages_url, token=tampered)
    assert said.status == 401 and said.replies == []
    assert _posted(sandbox) == [] and served.references() == []


def test_install_stores_the_reference_and_greets_the_team(sandbox: SandboxServer, served: ServedApp) -> None:
    said = install(
        sandbox.sandbox,
        team_id=served.project["team_id"],
        app_url=served.messages_url,
        service_url=sandbox.connector_url,
    )
    assert said.status == 200
    [greeting] = said.replies
    assert greeting["operation"] == "send" and greeting["text"].startswith("Hello")
    [ref] = served.references()
    assert ref.team_group == served.project["team_id"] and ref.service_url == sandbox.connector_url
    assert ref.conversation_id == said.activity["channelData"]["team"]["id"]


def test_status_post_by_the_bot_posts_once_per_period(
    sandbox: SandboxServer, served: ServedApp, card_schema: jsonschema.Draft6Validator, capsys: pytest.CaptureFixture
) -> None:
    argv = ["status", "atlas", "--as-of", "2026-03-04", "--post"]
    assert main(argv) == 1  # not installed yet: no reference, so no post, and the error says what to do
    assert "install the Coordinator app in the team" in capsys.readouterr().err
    assert _posted(sandbox) == []

    install(sandbox.sandbox, team_id=served.project["team_id"], app_url=served.messages_url,
            service_url=sandbox.connector_url)  # fmt: skip
    before = len(_posted(sandbox))
    assert main(argv) == 0
    assert "posted by bot" in capsys.readouterr().out
    [thread] = _posted(sandbox)[before:]
    assert thread["operation"] == "createConversation"
    assert thread["conversationId"].startswith(served.project["channel_id"] + ";messageid=")
    card = thread["attachments"][0]["content"]
    card_schema.validate(card)

    assert main(argv) == 0  # the same period again: already delivered, nothing posted
    assert "already delivered" in capsys.readouterr().out
    assert len(_posted(sandbox)) == before + 1


def test_the_control_endpoint_installs_the_bot_and_names_an_unknown_team(
    sandbox: SandboxServer, served: ServedApp
) -> None:
    http = PinnedSession(sandbox.ca_bundle)
    body = {"team": served.project["team_id"], "appUrl": served.messages_url}
    answer = http.post(f"{sandbox.url}/_sandbox/bot/install", json=body).json()
    assert answer["status"] == 200 and answer["replies"][0]["text"].startswith("Hello")
    unknown = http.post(f"{sandbox.url}/_sandbox/bot/install", json={**body, "team": "nope"})
    assert unknown.status_code == 400 and "no team" in unknown.json()["error"]
