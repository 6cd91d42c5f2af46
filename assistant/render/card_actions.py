"""The ids of the Action.Submit buttons Coordinator's cards carry, shared by the card builders (here, in render/)
and the bot's handlers (bot/), so a renamed id cannot leave a button that nothing answers (STYLE 9).

A button's `data` is `{"action": <id>, "project": <key>, …arguments}`; Teams sends it back as the `value` of a
message activity. Action.Submit works on Teams mobile too (Action.Execute would need the Universal Actions
invoke). Every handler is safe to run twice: a second click answers what is already so and changes nothing.
"""

from __future__ import annotations

from typing import Any

from assistant.render.card_elements import Element

COMMAND_ACTION = "coordinator.command"  # {"command": "status"}: run a typed command
CREATE_TASKS_ACTION = "coordinator.createTasks"  # {"meeting": <event id>}: Planner tasks for the minutes' actions
MARK_DONE_ACTION = "coordinator.markDone"  # {"item": <action item id>}: close one action item
REFRESH_STATUS_ACTION = "coordinator.refreshStatus"  # {}: the status card again, as of now

SUBMIT_ACTIONS = (COMMAND_ACTION, CREATE_TASKS_ACTION, MARK_DONE_ACTION, REFRESH_STATUS_ACTION)


def submit(title: str, action: str, **data: Any) -> Element:
    """An Action.Submit button whose data names `action` (one of SUBMIT_ACTIONS) and its arguments."""
    if action not in SUBMIT_ACTIONS:
        raise ValueError(f"unknown card action {action!r}")
    return {"type": "Action.Submit", "title": title, "data": {"action": action, **data}}
