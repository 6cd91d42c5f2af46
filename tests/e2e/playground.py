"""Talking to the bot through the Agents Playground's internal HTTP API and WebSocket, as its own web UI does:
`say` sends a user message (tests/js/playground_chat.cjs), `click` an Adaptive Card's Action.Submit button
(tests/js/playground_submit.cjs, POST /_conversation/v1/submit — the route the UI calls for Action.Submit);
and through the web UI itself in headless Chromium (`in_the_web_ui`, tests/js/playground_ui.cjs).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.bot import texts
from tests.conftest import JS
from tests.e2e.conftest import Playground

REPLY_MS = 8000
CARD = "application/vnd.microsoft.card.adaptive"


@dataclass(frozen=True)
class Button:
    """An Action.Submit button as shown: its title and data, and the Playground message showing its card."""

    title: str
    data: dict[str, Any]
    message_id: str  # what the click's activity replies to (Teams' replyToId)
    conversation_id: str  # where the card is: in a channel, the thread the command started


@dataclass(frozen=True)
class Answer:
    """The bot's messages, as the Playground shows them: one reply with text and a card shows as two."""

    messages: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return "\n".join(m["text"] for m in self.messages if m.get("text"))

    @property
    def attachments(self) -> list[dict[str, Any]]:
        return [a for m in self.messages for a in m.get("attachments") or []]

    def buttons(self, action: str, near: str | None = None) -> list[Button]:
        """The Action.Submit buttons whose data names `action`, in card order; with `near`, only those whose
        innermost Container (else the card) mentions it, e.g. the "Mark done" of one action item."""
        found = []
        for message in self.messages:
            for attachment in message.get("attachments") or []:
                if attachment["contentType"] == CARD:
                    found += [
                        Button(a["title"], a["data"], message["messageId"], message["conversationId"])
                        for a, around in _submits(attachment["content"])
                        if a["data"].get("action") == action and (near is None or near in json.dumps(around))
                    ]
        return found


def say(node: str, playground: Playground, text: str, where: str = "personal", replies: int = 2) -> Answer:
    """Send `text` in the personal chat or a channel (`where`: its name) and wait for `replies` bot messages."""
    command = [node, "--experimental-websocket", str(JS / "playground_chat.cjs"), str(playground.port)]
    return _run([*command, where, str(replies), str(REPLY_MS), text])


def click(node: str, playground: Playground, button: Button, replies: int = 1) -> Answer:
    """Click `button` (its data as the activity's `value`) and wait for `replies` bot messages."""
    command = [node, "--experimental-websocket", str(JS / "playground_submit.cjs"), str(playground.port)]
    command += [button.conversation_id, button.message_id, str(replies), str(REPLY_MS), json.dumps(button.data)]
    return _run(command)


def in_the_web_ui(
    node: str,
    chromium: str,
    playground: Playground,
    message: str,
    screenshot: Path,
    button: str | None = None,
    expected: Sequence[str] = (),
) -> dict[str, Any]:
    """Open the UI (the personal chat), wait for the bot's greeting, send `message` and wait for its card; then
    click `button` on that card once per `expected` text, waiting each time for that text to show. What the page
    showed: {"cards_before", "cards_after", "last_card_text"}."""
    command = [node, str(JS / "playground_ui.cjs"), f"{playground.url}/", texts.GREETING, message, str(screenshot)]
    command += [str(REPLY_MS), *([button, *expected] if button else [])]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=REPLY_MS * (1 + len(expected)) / 1000 + 20,
        check=False,
        env={"CHROMIUM": chromium, "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    shown: dict[str, Any] = json.loads(done.stdout)
    return shown


def _run(command: list[str]) -> Answer:
    done = subprocess.run(command, capture_output=True, text=True, timeout=REPLY_MS / 1000 + 10, check=False)
    assert done.returncode == 0, done.stderr
    return Answer(json.loads(done.stdout))


def _submits(card: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every Action.Submit of the card (its actions, then ActionSets in its body), each with its innermost
    Container, or the card itself."""
    found = [(a, card) for a in card.get("actions", []) if a["type"] == "Action.Submit"]

    def walk(element: Any, around: dict[str, Any]) -> None:
        if isinstance(element, dict):
            if element.get("type") == "Container":
                around = element
            if element.get("type") == "ActionSet":
                found.extend((a, around) for a in element["actions"] if a["type"] == "Action.Submit")
            for value in element.values():
                walk(value, around)
        elif isinstance(element, list):
            for value in element:
                walk(value, around)

    walk(card.get("body", []), card)
    return found
