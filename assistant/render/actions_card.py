"""The bot's list of a project's open action items, each with its number for good (`done N`) and a "Mark done"
button.

    Open action items of Atlas, 3
    1. Tomasz Nowak — Roll out docking firmware 1.0.16 — due Fri 6 Mar (Atlas stand-up, Tue 3 Mar)
       [Mark done]

The rules of render/card_elements.py hold: owners, texts and subjects are TextRuns. The button carries the item's
id, so a click closes that item however the list changed since, and a second click nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.domain.actions import ActionItem
from assistant.render.card_actions import MARK_DONE_ACTION, submit
from assistant.render.card_elements import CARD_VERSION, SCHEMA, Element, cut, rich, run, text

MARK_DONE = "Mark done"
SHOWN = 15  # a longer list ends with "and N more"; `done N` reaches them all
TEXT_LIMIT = 100
OWNER_LIMIT = 60


def actions_card(project_key: str, project_name: str, actions: Sequence[ActionItem]) -> Element:
    body: list[Element] = [
        rich([run("Open action items of "), run(cut(project_name, 100), weight="bolder"), run(f", {len(actions)}")])
    ]
    for action in actions[:SHOWN]:
        body.append(
            {
                "type": "Container",
                "separator": True,
                "items": [
                    rich(action_inlines(action), spacing="small"),
                    {
                        "type": "ActionSet",
                        "actions": [submit(MARK_DONE, MARK_DONE_ACTION, project=project_key, item=action.id)],
                    },
                ],
            }
        )
    if len(actions) > SHOWN:
        body.append(text(f"and {len(actions) - SHOWN} more: `done N` closes any of them", isSubtle=True))
    if not actions:
        body.append(text("None: every action item is done.", isSubtle=True))
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": CARD_VERSION,
        "fallbackText": f"Open action items of {project_name}: {len(actions)}",
        "body": body,
    }


def action_inlines(action: ActionItem) -> list[Element]:
    owner = action.owner.name or action.owner.email if action.owner else f"@{action.owner_text} (not resolved)"
    inlines = [
        run(f"{action.number}. " if action.number is not None else ""),
        run(cut(owner, OWNER_LIMIT), weight="bolder"),
        run(" — " + cut(action.text, TEXT_LIMIT)),
    ]
    due = f"due {action.due:%a %d %b}, " if action.due else ""
    inlines.append(run(f" ({due}from ", isSubtle=True))
    inlines.append(run(cut(action.meeting_subject, 80), isSubtle=True))
    inlines.append(run(f", {action.meeting_day:%a %d %b})", isSubtle=True))
    return inlines
