"""The short Adaptive Card 1.5 that announces an agenda in the project's channel: what, when, and two buttons.

    Agenda for <subject>, <day and time>
    Stand-up · Berlin time (the organizer's, when it differs) · who is invited · carried-over actions
    [Open the agenda]  [Join in Teams]

The rules of render/card_elements.py hold: the subject, the only text from outside, is in
a TextRun, which no client reads as markdown; TextBlocks carry only our own words, numbers and dates. The card is
a few hundred bytes, far below Teams' 28 KB; the subject is cut at 200 characters all the same.
"""

from __future__ import annotations

from typing import Any

from assistant.domain.agenda import Agenda
from assistant.render.agenda_text import KIND_LABEL, organizer_time_text, responses_text, when_text
from assistant.render.card_elements import CARD_VERSION, SCHEMA, Element, cut, rich, run, text

OPEN_AGENDA = "Open the agenda"
JOIN = "Join in Teams"
SUBJECT_LIMIT = 200


def agenda_card(agenda: Agenda, document_url: str | None = None) -> Element:
    """The card; `document_url` is the filed agenda's link (its button is left out without one)."""
    subject = cut(agenda.meeting.subject, SUBJECT_LIMIT) or "(no subject)"
    when = when_text(agenda)
    details = [KIND_LABEL[agenda.kind], organizer_time_text(agenda), responses_text(agenda)]
    actions = len(agenda.carried_actions)
    if actions:
        details.append(f"{actions} open action item{'s' if actions != 1 else ''} carried over")
    body: list[Element] = [
        rich([run("Agenda for "), run(subject, weight="bolder"), run(f", {when}")]),
        text(" · ".join(d for d in details if d), isSubtle=True, spacing="small"),
    ]
    buttons: list[dict[str, Any]] = []
    if document_url:
        buttons.append({"type": "Action.OpenUrl", "title": OPEN_AGENDA, "url": document_url})
    if agenda.meeting.join_url:
        buttons.append({"type": "Action.OpenUrl", "title": JOIN, "url": agenda.meeting.join_url})
    card: Element = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": CARD_VERSION,
        "fallbackText": f"Agenda for {subject}, {when}",
        "body": body,
    }
    if buttons:
        card["actions"] = buttons
    return card
