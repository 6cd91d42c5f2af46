"""Coordinator's bot through Microsoft 365 Agents Playground, Microsoft's Teams emulator: the Playground posts
real Teams-shaped activities to /api/messages, and the bot's replies reach it through its Bot Connector
emulation. Driven through the Playground's internal HTTP API and WebSocket (tests/js/playground_chat.cjs), then
once through its web UI in headless Chromium (tests/js/playground_ui.cjs). Card buttons that act:
test_playground_card_actions.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema

from assistant.bot import texts
from tests.conftest import REFDATA
from tests.e2e.conftest import CHANNEL
from tests.e2e.playground import CARD, in_the_web_ui, say

SCREENSHOT_COPY = Path("/tmp/playground-help.png")  # for a human to look at


def test_help_lists_the_commands(node, playground):
    answer = say(node, playground, "help")  # one activity with text and card: the Playground shows two messages
    text, attachments = answer.text, answer.attachments

    assert text.startswith(texts.HELP_INTRO)
    for command in ("help", "projects", "status", "late", "due [DAYS]", "workload", "risks"):
        assert f"\n{command} — " in text
    [card] = attachments
    assert card["contentType"] == CARD
    usages = [e["inlines"][0]["text"] for e in card["content"]["body"] if e["type"] == "RichTextBlock"][1:]
    assert "status" in usages and "action TEXT [@owner] [by DATE]" in usages


def test_status_in_the_projects_channel_is_a_valid_card(node, playground):
    schema = json.loads((REFDATA / "adaptivecards" / "adaptive-card-1.5.0.schema.json").read_text())

    answer = say(node, playground, "status", where=CHANNEL)  # no `in atlas`: the channel says which
    text, attachments = answer.text, answer.attachments

    assert text.startswith("Atlas – Laptop refresh 2026: ")
    [attachment] = attachments
    assert attachment["contentType"] == CARD
    card = attachment["content"]
    jsonschema.Draft6Validator(schema).validate(card)
    assert card["version"] == "1.5"
    assert "Atlas" in json.dumps(card, ensure_ascii=False)


def test_help_through_the_web_ui(node, chromium, playground, tmp_path):
    screenshot = tmp_path / "playground-help.png"
    shown = in_the_web_ui(node, chromium, playground, "help", screenshot)

    assert shown["cards_after"] == shown["cards_before"] + 1  # the greeting's card, then help's
    assert texts.HELP_INTRO.replace("`", "") in shown["last_card_text"].replace("`", "")
    assert screenshot.stat().st_size > 10_000
    shutil.copyfile(screenshot, SCREENSHOT_COPY)
