"""Every card the bot sends, taken from its real answers against the sandbox, passes the official Adaptive Cards
1.5 schema and the official `adaptivecards` renderer's validation with Teams' host config (no parse or
validation warnings), and renders in Chromium with that renderer: no errors, no raw HTML, its buttons shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema

from tests.bot.conftest import BotUnderTest
from tests.bot.test_meeting_commands import buttons, card_actions, note_standup
from tests.render.test_status_card import host_config, run_node


def test_every_card_the_bot_sends_is_valid_for_the_schema_and_the_official_renderer(
    bot: BotUnderTest, node: str, chromium: str, card_schema: jsonschema.Validator, tmp_path: Path
):
    cards: dict[str, dict[str, Any] | None] = {
        "help": bot.say("help").card,
        "status": bot.say("status").card,
        "agenda": bot.say("agenda standup").card,
    }
    note_standup(bot)
    minutes = bot.say("minutes last").card
    cards["minutes"] = minutes
    bot.click(buttons(minutes or {})[0]["data"])  # the "Create 2 Planner tasks" button
    cards["actions"] = bot.say("actions").card
    sent = {name: card for name, card in cards.items() if card is not None}
    assert sorted(sent) == sorted(cards)  # each of these answers with a card
    for card in sent.values():
        card_schema.validate(card)
    found = run_node(node, "validate_card.cjs", {"host_config": host_config(), "cards": sent})
    assert found == {name: [] for name in sent}
    payload = {"host_config": host_config(), "cards": sent, "out_dir": str(tmp_path), "chromium": chromium}
    seen = run_node(node, "render_card.cjs", payload)
    for name, card in sent.items():
        assert seen[name]["errors"] == [] and seen[name]["html_tags"] == [], name
        assert len(seen[name]["buttons"]) == len(card_actions(card)), name  # every button is shown
    assert "Mark done" in seen["actions"]["buttons"] and "Refresh" in seen["status"]["buttons"]
