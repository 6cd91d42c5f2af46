"""Coordinator's bot through Microsoft 365 Agents Playground, Microsoft's Teams emulator: the Playground posts
real Teams-shaped activities to /api/messages, and the bot's replies reach it through its Bot Connector
emulation. Driven through the Playground's internal HTTP API and WebSocket (tests/js/playground_chat.cjs), then
once through its web UI in headless Chromium (tests/js/playground_ui.cjs).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema

from assistant.bot import texts
from tests.conftest import JS, REFDATA
from tests.e2e.conftest import CHANNEL, Playground

SCREENSHOT_COPY = Path("/tmp/playground-help.png")  # for a human to look at
REPLY_MS = 8000
CARD = "application/vnd.microsoft.card.adaptive"


def chat(node: str, playground: Playground, text: str, where: str = "personal") -> tuple[str, list[Any]]:
    """Send `text`; the bot's answer as (text, attachments). The bot answers with one activity holding both; the
    Playground shows it as two messages, the text and then the card, so two are awaited."""
    command = [node, "--experimental-websocket", str(JS / "playground_chat.cjs"), str(playground.port)]
    command += [where, "2", str(REPLY_MS), text]
    done = subprocess.run(command, capture_output=True, text=True, timeout=REPLY_MS / 1000 + 10, check=False)
    assert done.returncode == 0, done.stderr
    messages = json.loads(done.stdout)
    return "\n".join(m["text"] for m in messages if m.get("text")), [a for m in messages for a in m["attachments"]]


def test_help_lists_the_commands(node, playground):
    text, attachments = chat(node, playground, "help")

    assert text.startswith(texts.HELP_INTRO)
    for command in ("help", "projects", "status", "late", "due [DAYS]", "workload", "risks"):
        assert f"\n{command} — " in text
    [card] = attachments
    assert card["contentType"] == CARD
    assert "**status** — " in json.dumps(card["content"], ensure_ascii=False)


def test_status_in_the_projects_channel_is_a_valid_card(node, playground):
    schema = json.loads((REFDATA / "adaptivecards" / "adaptive-card-1.5.0.schema.json").read_text())

    text, attachments = chat(node, playground, "status", where=CHANNEL)  # no `in atlas`: the channel says which

    assert text.startswith("Atlas – Laptop refresh 2026: ")
    [attachment] = attachments
    assert attachment["contentType"] == CARD
    card = attachment["content"]
    jsonschema.Draft6Validator(schema).validate(card)
    assert card["version"] == "1.5"
    assert "Atlas" in json.dumps(card, ensure_ascii=False)


def test_help_through_the_web_ui(node, chromium, playground, tmp_path):
    screenshot = tmp_path / "playground-help.png"
    command = [node, str(JS / "playground_ui.cjs"), f"{playground.url}/", texts.GREETING, "help", str(screenshot)]
    done = subprocess.run(
        [*command, str(REPLY_MS)],
        capture_output=True,
        text=True,
        timeout=REPLY_MS / 1000 + 20,
        check=False,
        env={"CHROMIUM": chromium, "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)

    assert shown["cards_after"] == shown["cards_before"] + 1  # the greeting's card, then help's
    assert texts.HELP_INTRO.replace("`", "") in shown["last_card_text"].replace("`", "")
    assert screenshot.stat().st_size > 10_000
    shutil.copyfile(screenshot, SCREENSHOT_COPY)
