"""The cards' Action.Submit buttons: ids from render/card_actions.py, data the bot's handlers read, valid 1.5."""

from __future__ import annotations

import datetime as dt

import jsonschema
import pytest

from assistant.domain.actions import ActionItem
from assistant.domain.people import Person
from assistant.render.actions_card import SHOWN, actions_card
from assistant.render.card_actions import MARK_DONE_ACTION, SUBMIT_ACTIONS, submit


def item(n: int, **changes: object) -> ActionItem:
    fields: dict[str, object] = {
        "id": f"id-{n}",
        "text": f"Task {n} with {{{{DATE(2026-03-04)}}}}",
        "owner_text": "Tomasz",
        "owner": Person("Tomasz Nowak", "tomasz@contoso.com", "u-1"),
        "due": dt.date(2026, 3, 6),
        "meeting_id": "m-1",
        "series_id": "s-1",
        "meeting_subject": "Atlas stand-up",
        "meeting_day": dt.date(2026, 3, 4),
    }
    fields.update(changes)
    return ActionItem(**fields)  # type: ignore[arg-type]


def test_each_item_has_a_mark_done_button_with_its_id(schema: jsonschema.Validator):
    card = actions_card("atlas", "Atlas", [item(1), item(2, owner=None, owner_text="Zed", due=None)])
    schema.validate(card)
    sets = [e["items"][1]["actions"][0] for e in card["body"] if e["type"] == "Container"]
    assert [b["data"] for b in sets] == [
        {"action": MARK_DONE_ACTION, "project": "atlas", "item": "id-1"},
        {"action": MARK_DONE_ACTION, "project": "atlas", "item": "id-2"},
    ]
    assert "{{" not in str(card)  # template expressions are broken up in TextRuns


def test_long_lists_are_cut_and_an_empty_one_says_so(schema: jsonschema.Validator):
    card = actions_card("atlas", "Atlas", [item(n) for n in range(SHOWN + 3)])
    schema.validate(card)
    assert sum(e["type"] == "Container" for e in card["body"]) == SHOWN and "and 3 more" in str(card)
    empty = actions_card("atlas", "Atlas", [])
    schema.validate(empty)
    assert "None: every action item is done." in str(empty)


def test_only_known_action_ids_make_buttons():
    assert all(a.startswith("coordinator.") for a in SUBMIT_ACTIONS)
    with pytest.raises(ValueError, match="unknown card action"):
        submit("Go", "coordinator.somethingElse")
