"""The bot's sequencing of slow commands: "on it" at once, the result later in the same thread, a failure of the
deferred work answered and logged rather than lost; the outgoing webhook, which cannot post later, gets the result.

The Bot Connector is replaced by a recorder here (the HTTP side is tested against the sandbox in tests/scenarios).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from assistant.bot import texts
from assistant.bot.activity import Activity, Reply
from assistant.bot.bot import Bot
from assistant.bot.connector import BotConnector
from assistant.bot.conversations import MemoryConversations
from assistant.bot.router import Command, Context, Router
from assistant.errors import CommandError
from assistant.graph.http import PinnedSession
from tests.bot.conftest import completed
from tests.conftest import DEMO_NOW


class RecordingConnector(BotConnector):
    def __init__(self) -> None:
        super().__init__(PinnedSession(), lambda: "token")
        self.sent: list[tuple[str | None, dict[str, Any]]] = []

    def reply(
        self, service_url: str, conversation_id: str, reply_to: str | None, activity: dict[str, Any], *, signed: bool
    ) -> None:
        self.sent.append((reply_to, activity))


def message(text: str) -> Activity:
    return Activity.model_validate(
        {"type": "message", "id": "m1", "serviceUrl": "https://smba.example/", "text": text,
         "from": {"id": "29:1", "name": "Megan Bowen"}, "conversation": {"id": "19:c@thread.tacv2;messageid=m1"}}
    )  # fmt: skip


@pytest.fixture
def setup() -> tuple[Bot, RecordingConnector, list[Callable[[], None]]]:
    router = Router(lambda: {})

    def slow(context: Context) -> Reply:
        def later() -> Reply:
            if context.args == ("crash",):
                raise RuntimeError("disk full")
            if context.args == ("refuse",):
                raise CommandError("no such meeting")
            return Reply(text="the document")

        return Reply(text="On it", later=later)

    router.add(Command("slow", "slow", "slow work", slow, needs_project=False))
    connector = RecordingConnector()
    queued: list[Callable[[], None]] = []
    bot = Bot(router, connector, MemoryConversations(), lambda: DEMO_NOW, defer=queued.append)
    return bot, connector, queued


def test_slow_work_answers_on_it_first_and_its_result_later_in_the_thread(setup):
    bot, connector, queued = setup
    bot.on_activity(message("slow"), signed=True)
    assert [(to, a["text"]) for to, a in connector.sent] == [("m1", "On it")]  # before the work runs
    [job] = queued
    job()
    assert [(to, a["text"]) for to, a in connector.sent] == [("m1", "On it"), ("m1", "the document")]


def test_a_crash_in_the_deferred_work_is_answered_and_logged(setup, caplog: pytest.LogCaptureFixture):
    bot, connector, queued = setup
    bot.on_activity(message("slow crash"), signed=True)
    with caplog.at_level(logging.ERROR, logger="assistant.bot.bot"):
        queued[0]()
    assert connector.sent[-1][1]["text"] == texts.FAILED_LATER
    assert "disk full" in caplog.text  # the traceback is in the log, not in the channel
    assert "disk full" not in str(connector.sent)


def test_an_expected_failure_in_the_deferred_work_gets_the_commands_usage(setup):
    bot, connector, queued = setup
    bot.on_activity(message("slow refuse"), signed=True)
    queued[0]()
    assert connector.sent[-1][1]["text"] == "no such meeting\nslow — slow work"


def test_the_outgoing_webhooks_answer_carries_the_slow_part_for_it_to_run(setup):
    bot, connector, queued = setup
    first = bot.answer(message("slow"))
    assert first.text == "On it" and completed(first).text == "the document"
    assert queued == [] and connector.sent == []  # nothing posted, nothing deferred by the bot itself


def test_removing_the_bot_from_a_team_forgets_the_teams_references(setup):
    bot, connector, _ = setup
    team = {"id": "19:general@thread.tacv2", "aadGroupId": "group-1"}

    def event(**fields: Any) -> Activity:
        return Activity.model_validate(
            {"serviceUrl": "https://smba.example/", "recipient": {"id": "28:bot"}, "channelData": {"team": team},
             "conversation": {"id": "19:general@thread.tacv2", "conversationType": "channel"}, **fields}
        )  # fmt: skip

    store = bot.conversations
    assert isinstance(store, MemoryConversations)
    bot.on_activity(event(type="conversationUpdate", membersAdded=[{"id": "28:bot"}]), signed=True)
    assert [r.team_group for r in store.all()] == ["group-1"]
    bot.on_activity(event(type="conversationUpdate", membersRemoved=[{"id": "29:someone"}]), signed=True)
    assert len(store.all()) == 1  # a person left: nothing forgotten
    bot.on_activity(event(type="conversationUpdate", membersRemoved=[{"id": "28:bot"}]), signed=True)
    assert store.all() == []
    bot.on_activity(event(type="installationUpdate", action="add"), signed=True)
    assert len(store.all()) == 1
    bot.on_activity(event(type="installationUpdate", action="remove"), signed=True)
    assert store.all() == []
    assert len(connector.sent) == 1  # the greeting on install, nothing on removal
