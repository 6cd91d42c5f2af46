"""A meeting's minutes as a Word document, from the user-editable template templates/minutes.docx (one for every
kind of meeting).

The template receives the header (title, when in the project's zone, where, organizer), the attendance with its
source, the decisions, the discussion per agenda item in the notes' order, the action items (an owner that matched
nobody shown as `@Name — not resolved`; a link to the Planner task when there is one), the transcript's suggested
action items and the series' next meeting (templates/README.md lists every variable). Texts are made for reading
here, so the template only places them. Rendering is `render/word.py`'s: autoescape, strict undefined variables,
one-line TemplateErrors naming the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.domain.actions import ActionItem
from assistant.domain.meetings import Meeting
from assistant.domain.minutes import Minutes
from assistant.domain.people import Person
from assistant.domain.summary import spoken_list
from assistant.render.agenda_docx import LINK_COLOUR
from assistant.render.agenda_text import KIND_LABEL, long_day, meeting_when_text
from assistant.render.minutes_text import counts_text, owner_label
from assistant.render.templates import template_path
from assistant.render.word import day_text, open_template, render, where

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

MINUTES_TEMPLATE = "minutes.docx"
PLANNER_LINK_TEXT = "Open in Planner"
GENERAL_NOTES = "General notes"  # the heading of notes written before the first `## item`


def minutes_docx(minutes: Minutes, template_dir: Path | None = None, *, task_url: str = "", tenant: str = "") -> bytes:
    """The .docx bytes from `template_dir` (else the shipped template); TemplateError when it cannot be used.

    `task_url` (COORDINATOR_PLANNER_TASK_URL, with {tenant}, {plan_id} and {task_id}) links each action item that
    has a Planner task; without it the table says only that the task exists.
    """
    path = template_path(MINUTES_TEMPLATE, template_dir)
    document = open_template(path)
    context = minutes_context(minutes, task_url, tenant)
    for item in context["actions"]:
        item["planner_link"] = _hyperlink(document, item["url"], PLANNER_LINK_TEXT)
    return render(document, context, path)


def minutes_context(minutes: Minutes, task_url: str = "", tenant: str = "") -> dict[str, Any]:
    """Every variable the template receives; each action's `planner_link` (a hyperlink) is added while rendering."""
    meeting, project, attendance = minutes.meeting, minutes.project, minutes.attendance
    location = where(meeting.location)
    return {
        "title": meeting.subject,
        "kind": minutes.kind.value,
        "kind_label": KIND_LABEL[minutes.kind],
        "project": project.key,
        "name": project.name,
        "timezone": project.timezone,
        "date_text": long_day(minutes.day),
        "when_text": meeting_when_text(meeting, project),
        "location": location,
        "where_text": location or ("Online" if meeting.join_url else "Not given in the invitation"),
        "organizer": meeting.organizer.name or meeting.organizer.email,
        "organizer_email": meeting.organizer.email,
        "present": [_person(p) for p in attendance.present],
        "absent": [_person(p) for p in attendance.absent],
        "unknown": [_person(p) for p in attendance.unknown],
        "present_text": _names(attendance.present) or "Nobody recorded",
        "absent_text": _names(attendance.absent) or "Nobody",
        "unknown_text": _names(attendance.unknown),
        "attendance_source": attendance.source,
        "attendance_note": attendance.note,
        "decisions": list(minutes.decisions),
        "discussion": [
            {"item": item, "title": item or GENERAL_NOTES, "lines": list(lines)}
            for item, lines in minutes.discussion.items()
        ],
        "actions": [_action(a, minutes, task_url, tenant) for a in minutes.actions],
        "unresolved_text": _unresolved_text(minutes),
        "suggestions": [{"text": s.text, "speaker": s.speaker, "at": s.at} for s in minutes.suggestions],
        "counts_text": counts_text(minutes),
        "next_meeting": _next(minutes.next_meeting, minutes) if minutes.next_meeting else None,
    }


def _person(person: Person) -> dict[str, str]:
    return {"name": person.name or person.email, "email": person.email}


def _names(people: tuple[Person, ...]) -> str:
    return ", ".join(p.name or p.email for p in people)


def _action(action: ActionItem, minutes: Minutes, task_url: str, tenant: str) -> dict[str, Any]:
    task_id = action.planner_task_id
    url = (
        task_url.format(tenant=tenant, plan_id=minutes.project.plan_id, task_id=task_id)
        if task_id and task_url
        else None
    )
    if task_id:
        planner_text = "Task created"
    elif action.owner is None:
        planner_text = "Not created"
    else:
        planner_text = ""
    return {
        "text": action.text,
        "owner": owner_label(action),
        "owner_resolved": action.owner is not None,
        "owner_written": f"@{action.owner_text}",
        "due": action.due.isoformat() if action.due else None,
        "due_text": day_text(action.due, minutes.day),
        "status": action.status.value,
        "task_id": task_id,
        "url": url,
        "planner_text": planner_text,
    }


def _unresolved_text(minutes: Minutes) -> str:
    """`@Zed matches nobody invited or in the plan: no Planner task was created for that action.`, or ""."""
    written = sorted({f"@{a.owner_text}" for a in minutes.unresolved})
    if not written:
        return ""
    names = spoken_list(written)
    which = "that action" if len(minutes.unresolved) == 1 else "those actions"
    verb = "matches" if len(written) == 1 else "match"
    return f"{names} {verb} nobody invited or in the plan: no Planner task was created for {which}."


def _next(meeting: Meeting, minutes: Minutes) -> dict[str, Any]:
    location = where(meeting.location)
    return {
        "subject": meeting.subject,
        "when_text": meeting_when_text(meeting, minutes.project),
        "where_text": location or ("Online" if meeting.join_url else ""),
        "date_text": long_day(meeting.local_start(minutes.project.zone).date()),
    }


def _hyperlink(document: DocxTemplate, url: str | None, words: str) -> Any:
    """A RichText hyperlink for `{{r … }}`; empty without a URL."""
    from docxtpl import RichText

    link = RichText()
    if url:
        link.add(words, url_id=document.build_url_id(url), color=LINK_COLOUR, underline=True)
    return link
