"""The short Adaptive Card 1.5 that announces a meeting's minutes in the project's channel.

    Minutes of <subject>, <day>
    2 decisions · 3 action items, 1 owner not resolved
    Tomasz Nowak — Roll out docking firmware 1.0.16 — due Fri 6 Mar
    @Zed (not resolved) — Write the FAQ entry — due Wed 4 Mar
    and 2 more
    [Open the minutes]

The rules of render/card_elements.py hold: the subject, owners and action texts, the only text from outside, are
in TextRuns, which no client reads as markdown; TextBlocks carry only our own words, numbers and dates. At most
`ACTION_LINES` actions are listed and each text is cut, so the card stays a few KB whatever the notes hold.
"""

from __future__ import annotations

from typing import Any

from assistant.domain.actions import ActionItem
from assistant.domain.minutes import Minutes
from assistant.render.agenda_text import long_day
from assistant.render.card_actions import CREATE_TASKS_ACTION, submit
from assistant.render.card_elements import CARD_VERSION, SCHEMA, Element, cut, rich, run, text
from assistant.render.minutes_text import counts_text
from assistant.render.word import day_text

OPEN_MINUTES = "Open the minutes"
SUBJECT_LIMIT = 200
ACTION_LINES = 5
ACTION_LIMIT = 100  # characters of an action's text
OWNER_LIMIT = 60


def minutes_card(minutes: Minutes, document_url: str | None = None, *, task_button: bool = False) -> Element:
    """The card; `document_url` is the filed minutes' link (its button is left out without one).

    `task_button`: a "Create N Planner tasks" Action.Submit for the actions that have a resolved owner and no task
    yet (for the bot's answer; cards posted through Workflows or Graph cannot be answered, so they have none).
    """
    subject = cut(minutes.meeting.subject, SUBJECT_LIMIT) or "(no subject)"
    day = long_day(minutes.day)
    counts = counts_text(minutes)
    body: list[Element] = [
        rich([run("Minutes of "), run(subject, weight="bolder"), run(f", {day}")]),
        text(counts[:1].upper() + counts[1:], isSubtle=True, spacing="small"),
    ]
    body += [_action_line(action, minutes) for action in minutes.actions[:ACTION_LINES]]
    more = len(minutes.actions) - ACTION_LINES
    if more > 0:
        body.append(text(f"and {more} more in the minutes", isSubtle=True, spacing="small"))
    card: Element = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": CARD_VERSION,
        "fallbackText": f"Minutes of {subject}, {day}",
        "body": body,
    }
    buttons: list[dict[str, Any]] = []
    if document_url:
        buttons.append({"type": "Action.OpenUrl", "title": OPEN_MINUTES, "url": document_url})
    count = len(tasks_to_create(minutes.actions))
    if task_button and count:
        title = f"Create {count} Planner task{'s' if count != 1 else ''}"
        buttons.append(submit(title, CREATE_TASKS_ACTION, project=minutes.project.key, meeting=minutes.meeting.id))
    if buttons:
        card["actions"] = buttons
    return card


def tasks_to_create(actions: tuple[ActionItem, ...]) -> list[ActionItem]:
    """The open actions a Planner task would be created for: owner resolved to someone, no task yet."""
    return [a for a in actions if a.is_open and a.owner is not None and a.owner.id and not a.planner_task_id]


def _action_line(action: ActionItem, minutes: Minutes) -> Element:
    """`owner — action — due Fri 6 Mar`; an owner that matched nobody reads `@Zed (not resolved)`."""
    if action.owner is None:
        owner = run(cut(f"@{action.owner_text}", OWNER_LIMIT) + " (not resolved)", color="attention")
    else:
        owner = run(cut(action.owner.name or action.owner.email, OWNER_LIMIT), weight="bolder")
    inlines = [owner, run(" — "), run(cut(action.text, ACTION_LIMIT))]
    if action.due:
        inlines.append(run(f" — due {day_text(action.due, minutes.day)}", isSubtle=True))
    return rich(inlines, spacing="small")
