"""Cards that act, through Microsoft 365 Agents Playground: a click on an Action.Submit button reaches the bot as
Teams sends it — a message activity whose `value` is the button's data, replying to the card's message, in the
card's conversation (a channel's thread, with channelData's team and channel) — both through the Playground's
API (POST /_conversation/v1/submit, what its web UI calls) and by clicking the rendered button in its web UI in
headless Chromium. Every button is safe to click twice: the second click answers what is already so.

The Atlas stand-up is at 09:45 Berlin (08:45Z) every working day; DEMO_NOW is Wed 4 Mar 2026, 07:00Z.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from assistant.bot import texts
from assistant.graph.client import GraphClient
from assistant.render.actions_card import MARK_DONE
from assistant.render.card_actions import CREATE_TASKS_ACTION, MARK_DONE_ACTION, REFRESH_STATUS_ACTION
from assistant.render.status_card import REFRESH
from assistant.sandbox.demo_tenant import demo_projects
from tests.conftest import SettableClock
from tests.e2e.conftest import CHANNEL, Playground
from tests.e2e.playground import click, in_the_web_ui, say

DURING_STANDUP = dt.datetime(2026, 3, 4, 8, 50, tzinfo=dt.UTC)
AFTER_STANDUP = dt.datetime(2026, 3, 4, 11, 0, tzinfo=dt.UTC)
FIRMWARE = "Roll out docking firmware 1.0.16"
DOCKS = "Ship replacement docks to Munich"
SCREENSHOT_COPY = Path("/tmp/playground-mark-done.png")  # for a human to look at


def closed(item: str) -> str:
    """The bot's answer to the first "Mark done" of an item whose Planner task exists."""
    return f"{texts.DONE.format(text=item)} {texts.TASK_STATES['completed']}"


def test_create_tasks_and_mark_done_act_once(
    node: str,
    chromium: str,
    playground: Playground,
    bot_clock: SettableClock,
    client: GraphClient,
    demo_tenant,
    tmp_path,
):
    bot_clock.now = DURING_STANDUP  # today's stand-up, noted in the project's channel while it runs
    noted = say(node, playground, "action roll out docking firmware 1.0.16 @Tomasz Nowak by Friday", CHANNEL, 1)
    assert "Owner: Tomasz Nowak" in noted.text
    noted = say(node, playground, "action @Isabella ship replacement docks to Munich by 2026-03-09", CHANNEL, 1)
    assert "Owner: Isabella" in noted.text
    bot_clock.now = AFTER_STANDUP

    minutes = say(node, playground, "minutes last", CHANNEL, 3)  # "on it", then the minutes' text and card
    assert minutes.text.startswith("On it: writing the minutes of Atlas stand-up")
    [create] = minutes.buttons(CREATE_TASKS_ACTION)
    assert create.title == "Create 2 Planner tasks" and create.data["project"] == "atlas"
    assert create.conversation_id.startswith(f"{demo_projects(demo_tenant)['atlas']['channel_id']};messageid=")

    assert "2 Planner tasks created" in click(node, playground, create).text
    again = click(node, playground, create).text
    assert again.startswith("Nothing to create") and "2 already had one" in again

    listed = say(node, playground, "actions", CHANNEL)
    marks = listed.buttons(MARK_DONE_ACTION)
    assert [m.title for m in marks] == [MARK_DONE, MARK_DONE]
    [firmware] = listed.buttons(MARK_DONE_ACTION, near=FIRMWARE)
    assert click(node, playground, firmware).text == closed(FIRMWARE)
    assert click(node, playground, firmware).text == texts.ALREADY_DONE.format(text=FIRMWARE)  # acts once

    # The other item, its button clicked twice in the web UI's personal chat (the button names its project).
    screenshot = tmp_path / "playground-mark-done.png"
    answers = [closed(DOCKS), texts.ALREADY_DONE.format(text=DOCKS)]
    shown = in_the_web_ui(node, chromium, playground, "actions in atlas", screenshot, MARK_DONE, answers)
    assert DOCKS in shown["last_card_text"] and FIRMWARE not in shown["last_card_text"]
    shutil.copyfile(screenshot, SCREENSHOT_COPY)

    plan = demo_projects(demo_tenant)["atlas"]["plan_id"]
    tasks = [t for t in client.pages(f"/planner/plans/{plan}/tasks") if t["title"] in (FIRMWARE, DOCKS)]
    assert sorted((t["title"], t["percentComplete"]) for t in tasks) == [(FIRMWARE, 100), (DOCKS, 100)]  # once each
    assert say(node, playground, "actions", CHANNEL, 1).text == texts.NO_OPEN_ACTIONS.format(
        project="Atlas – Laptop refresh 2026"
    )


def test_refresh_answers_the_status_card_again(node: str, playground: Playground):
    status = say(node, playground, "status", CHANNEL)
    [refresh] = status.buttons(REFRESH_STATUS_ACTION)
    assert refresh.title == REFRESH and refresh.data == {"action": REFRESH_STATUS_ACTION, "project": "atlas"}

    again = click(node, playground, refresh, replies=2)

    assert again.text == status.text
    assert [a["content"] for a in again.attachments] == [a["content"] for a in status.attachments]
