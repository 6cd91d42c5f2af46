"""The `bot` delivery method against the sandbox's Bot Connector: a new thread in the project's channel, made
with the bot's own token; without a stored conversation reference, a failed receipt that says to install it."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest

from assistant.bot.conversations import ConversationReference
from assistant.errors import ConfigError
from assistant.graph.http import PinnedSession
from assistant.sandbox.demo_tenant import DEMO_BOT_APP_ID
from assistant.sandbox.server import SandboxServer
from assistant.services.delivery_methods import BotPost, BotPoster, delivery_methods
from assistant.storage.bot_state import BotConversations
from assistant.storage.db import Database
from assistant.storage.migrate import upgrade
from tests.conftest import DEMO_NOW
from tests.sandbox.test_botframework import bot_token
from tests.services.test_delivery import project_with

CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Apollo: GREEN"}]}


@pytest.fixture
def conversations(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'coordinator.db'}"
    upgrade(url)
    database = Database.from_url(url)
    yield BotConversations(database)
    database.dispose()


def installed(conversations: BotConversations, project, service_url: str) -> None:
    ref = ConversationReference(
        service_url=service_url, conversation_id="19:general@thread.tacv2", channel_id="msteams",
        tenant_id=None, teams_channel="19:general@thread.tacv2", bot_id=f"28:{DEMO_BOT_APP_ID}",
        team_thread="19:general@thread.tacv2", team_group=project.team_id,
    )  # fmt: skip
    conversations.save(ref, now=DEMO_NOW)


def test_without_a_reference_the_post_fails_and_says_to_install_the_bot(conversations, demo_tenant) -> None:
    project = project_with(demo_tenant, delivery=["bot", "graph"])
    poster = BotPoster(conversations, PinnedSession(), lambda: pytest.fail("no token is needed"))
    bot, graph = delivery_methods(project, session=PinnedSession(), graph_client=lambda: None, bot=poster)  # type: ignore[arg-type,return-value]
    assert (bot.name, graph.name) == ("bot", "graph")
    receipt = bot.deliver(CARD)
    assert receipt.outcome == "failed" and "install the Coordinator app in the team" in receipt.detail


def test_the_card_starts_a_thread_in_the_project_channel(sandbox: SandboxServer, conversations, demo_tenant) -> None:
    project = project_with(demo_tenant, delivery=["bot"])
    installed(conversations, project, sandbox.connector_url)
    http = PinnedSession(sandbox.ca_bundle)
    receipt = BotPost(
        BotPoster(conversations, http, lambda: bot_token(sandbox)), project.team_id, project.channel_id
    ).deliver(CARD)
    assert receipt.outcome == "delivered" and receipt.message_id
    [posted] = http.get(f"{sandbox.url}/_sandbox/bot/activities").json()["value"]
    assert posted["operation"] == "createConversation" and posted["id"] == receipt.message_id
    assert posted["conversationId"] == f"{project.channel_id};messageid={receipt.message_id}"
    assert posted["attachments"][0]["content"] == CARD  # an object, as the Bot Connector wants


def test_a_refused_token_is_a_failed_post(sandbox: SandboxServer, conversations, demo_tenant) -> None:
    project = project_with(demo_tenant, delivery=["bot"])
    installed(conversations, project, sandbox.connector_url)
    poster = BotPoster(conversations, PinnedSession(sandbox.ca_bundle), lambda: "not-a-token")
    receipt = BotPost(poster, project.team_id, project.channel_id).deliver(CARD)
    assert receipt.outcome == "failed" and "answered 401" in receipt.detail


def test_a_connector_that_cannot_be_reached_is_a_failed_post(conversations, demo_tenant) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    project = project_with(demo_tenant, delivery=["bot"])
    installed(conversations, project, f"http://127.0.0.1:{port}/")
    receipt = BotPost(
        BotPoster(conversations, PinnedSession(), lambda: "t"), project.team_id, project.channel_id
    ).deliver(CARD)
    assert receipt.outcome == "failed" and "nothing was sent" in receipt.detail


def test_bot_needs_the_bots_side(demo_tenant) -> None:
    with pytest.raises(ConfigError, match="'bot' is not available"):
        delivery_methods(
            project_with(demo_tenant, delivery=["bot"]), session=PinnedSession(), graph_client=lambda: None
        )  # type: ignore[arg-type,return-value]


def test_times_are_aware(conversations, demo_tenant) -> None:
    with pytest.raises(ValueError, match="aware"):
        installed_naive = ConversationReference("u", "c", "msteams", None, None, None)
        conversations.save(installed_naive, now=dt.datetime(2026, 3, 4))
