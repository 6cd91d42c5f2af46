"""A meeting's agenda as a Word document, from the user-editable template of its kind (templates/agenda_*.docx).

Every template receives the header (title, when in the project's zone and the organizer's when it differs,
where, join link, organizer, attendees with their answers), the project's status basics and the open action
items carried over; each kind adds its own items (templates/README.md lists every variable per template).
Texts are made for reading here, so a template only places them. Rendering is `render/word.py`'s: autoescape,
strict undefined variables, one-line TemplateErrors naming the file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from assistant.domain.actions import ActionItem
from assistant.domain.agenda import Agenda
from assistant.domain.agenda_items import (
    Blocked,
    General,
    PersonUpdate,
    Planning,
    Retrospective,
    Review,
    Standup,
    Steering,
)
from assistant.domain.meeting_types import MeetingType
from assistant.domain.meetings import Attendee, AttendeeKind, Response
from assistant.domain.status import Milestone, StatusReport, names
from assistant.domain.summary import VERDICT, spoken_list, when
from assistant.domain.tasks import Task
from assistant.render.agenda_text import (
    KIND_LABEL,
    RESPONSE_TEXT,
    hours,
    long_day,
    moment_text,
    organizer_time_text,
    responses_text,
    when_text,
)
from assistant.render.status_docx import RAG_COLOUR, milestone_state
from assistant.render.templates import template_path
from assistant.render.word import day_text, open_template, render, where

JOIN_TEXT = "Join the meeting in Teams"
LINK_COLOUR = "0563C1"  # Word's own hyperlink blue


def agenda_template(kind: MeetingType) -> str:
    """`agenda_standup.docx`, `agenda_review.docx`, … `agenda_general.docx`."""
    return f"agenda_{kind.value}.docx"


def agenda_docx(agenda: Agenda, template_dir: Path | None = None) -> bytes:
    """The .docx bytes from `template_dir` (else the shipped templates); TemplateError when it cannot be used."""
    from docxtpl import RichText

    path = template_path(agenda_template(agenda.kind), template_dir)
    document = open_template(path)
    context = agenda_context(agenda)
    link = RichText()
    if agenda.meeting.join_url:
        url_id = document.build_url_id(agenda.meeting.join_url)
        link.add(JOIN_TEXT, url_id=url_id, color=LINK_COLOUR, underline=True)
    context["join_link"] = link
    return render(document, context, path)


def agenda_context(agenda: Agenda) -> dict[str, Any]:
    """Every variable the agenda's template receives except `join_link` (a hyperlink, added while rendering)."""
    context = _header(agenda)
    context.update(_status(agenda.report))
    context["actions"] = [_action(a, agenda) for a in agenda.carried_actions]
    content = agenda.content
    if isinstance(content, Standup):
        context.update(_standup(content, agenda))
    elif isinstance(content, Review):
        context.update(_review(content, agenda))
    elif isinstance(content, Planning):
        context.update(_planning(content, agenda))
    elif isinstance(content, Retrospective):
        context.update(_retrospective(content, agenda))
    elif isinstance(content, Steering):
        context.update(_steering(content, agenda))
    elif isinstance(content, General):
        context["invitation_lines"] = [line for line in content.invitation.splitlines() if line.strip()]
    return context


# --- the header every agenda has ------------------------------------------------------------------------------


def _header(agenda: Agenda) -> dict[str, Any]:
    meeting, project = agenda.meeting, agenda.project
    location = where(meeting.location)
    attendees = [_attendee(a) for a in (*agenda.required, *agenda.optional)]
    return {
        "title": meeting.subject,
        "kind": agenda.kind.value,
        "kind_label": KIND_LABEL[agenda.kind],
        "project": project.key,
        "name": project.name,
        "plan": agenda.report.plan_title,
        "timezone": project.timezone,
        "date_text": long_day(agenda.day),
        "time_text": hours(agenda),
        "when_text": when_text(agenda),
        "organizer_time_text": organizer_time_text(agenda),
        "location": location,
        "where_text": location or ("Online" if meeting.join_url else "Not given in the invitation"),
        "rooms": [room.name for room in agenda.rooms],
        "join_url": meeting.join_url or "",
        "organizer": meeting.organizer.name or meeting.organizer.email,
        "organizer_email": meeting.organizer.email,
        "attendees": attendees,
        "required": [a for a in attendees if a["role"] == "Required"],
        "optional": [a for a in attendees if a["role"] == "Optional"],
        "responses_text": responses_text(agenda),
        "previous_text": moment_text(agenda.previous.start, agenda) if agenda.previous else "",
        "prepared_text": f"{long_day(agenda.now.astimezone(project.zone).date())}, "
        f"{agenda.now.astimezone(project.zone):%H:%M}",
    }


def _attendee(attendee: Attendee) -> dict[str, Any]:
    person = attendee.person
    return {
        "name": person.name or person.email,
        "email": person.email,
        "role": "Optional" if attendee.kind is AttendeeKind.OPTIONAL else "Required",
        "response": attendee.response.value,
        "response_text": RESPONSE_TEXT[attendee.response],
    }


# --- status basics, tasks, actions ---------------------------------------------------------------------------


def _status(report: StatusReport) -> dict[str, Any]:
    rag = report.rag.value
    return {
        "summary": report.summary,
        "rag": rag,
        "rag_label": rag.capitalize(),
        "rag_verdict": VERDICT[rag],
        "rag_colour": RAG_COLOUR[rag],
        "rag_reasons": list(report.rag_reasons),
        "percent_complete": report.percent_complete,
        "counts": dataclasses.asdict(report.counts),
    }


def _task(task: Task, agenda: Agenda) -> dict[str, Any]:
    zone, day = agenda.project.zone, agenda.day
    due = task.due_date(zone)
    completed = task.completed.astimezone(zone).date() if task.completed else None
    late = task.days_late(agenda.as_of, zone)
    return {
        "id": task.id,
        "title": task.title,
        "bucket": task.bucket,
        "status": task.status.value,
        "priority": task.priority.value,
        "percent": task.percent,
        "labels": list(task.labels),
        "assignees": [p.name for p in task.assignees],
        "owners": ", ".join(p.name for p in task.assignees) or "no owner",
        "due": due.isoformat() if due else None,
        "due_text": day_text(due, day),
        "completed": completed.isoformat() if completed else None,
        "completed_text": day_text(completed, day),
        "days_late": late,
        "late_text": f"{late} day{'s' if late != 1 else ''} late" if late else "",
    }


def _milestone(milestone: Milestone, agenda: Agenda) -> dict[str, Any]:
    item = _task(milestone.task, agenda)
    state, text = milestone_state(milestone, item["completed_text"])
    return {**item, "at_risk": milestone.at_risk, "reason": milestone.reason, "state": state, "state_text": text}


def _action(action: ActionItem, agenda: Agenda) -> dict[str, Any]:
    owner = action.owner.name if action.owner else action.owner_text
    return {
        "text": action.text,
        "owner": owner or "no owner",
        "due": action.due.isoformat() if action.due else None,
        "due_text": day_text(action.due, agenda.day),
        "late": action.due is not None and action.due < agenda.as_of,
        "agreed_text": day_text(action.meeting_day, agenda.day),
        "meeting_subject": action.meeting_subject,
    }


# --- what each kind of meeting talks about -------------------------------------------------------------------


def _standup(content: Standup, agenda: Agenda) -> dict[str, Any]:
    return {
        "since_text": moment_text(content.since, agenda),
        "due_window_text": _due_window(content, agenda),
        "people": [_person(update, agenda) for update in content.people],
        "quiet": [p.name or p.email for p in content.quiet],
        "quiet_text": names(content.quiet),
        "blocked": [_blocked(b, agenda) for b in content.blocked],
        "unassigned_due": [_task(t, agenda) for t in content.unassigned_due],
    }


def _due_window(content: Standup, agenda: Agenda) -> str:
    """`today or tomorrow`, `from today to Mon 9 Mar` (a Friday), `from Wed 4 Mar to Fri 6 Mar` (made early)."""
    today = agenda.as_of == agenda.day
    start = "today" if today else day_text(agenda.as_of, agenda.day)
    following = content.next_working_day
    if today and following == agenda.day + dt.timedelta(days=1):
        return "today or tomorrow"
    return f"from {start} to {day_text(following, agenda.day)}"


def _person(update: PersonUpdate, agenda: Agenda) -> dict[str, Any]:
    response = Response(update.response)
    closed = [_task(t, agenda) for t in update.closed]
    due = [_task(t, agenda) for t in update.due]
    late = [_task(t, agenda) for t in update.late]
    blocked = [_blocked(b, agenda) for b in update.blocked]
    rows = []
    for label, group, detail in (
        ("Closed", closed, lambda t: f"done {_relative(t['completed'], agenda)}"),
        ("Due", due, lambda t: f"due {_relative(t['due'], agenda)}"),
        ("Late", late, lambda t: t["late_text"]),
        ("Blocked", blocked, lambda t: f"due {_relative(t['due'], agenda)}" if t["due"] else "no due date"),
    ):
        for n, task in enumerate(group):
            title = task["title"] + (f" — waits for {task['waiting_for_text']}" if task.get("waiting_for_text") else "")
            rows.append({"label": "" if n else label, "kind": label.lower(), "title": title, "detail": detail(task)})
    quiet_answers = (Response.ACCEPTED, Response.ORGANIZER)
    return {
        "name": update.person.name or update.person.email,
        "email": update.person.email,
        "response": response.value,
        "response_text": RESPONSE_TEXT[response],
        "response_note": "" if response in quiet_answers else RESPONSE_TEXT[response].lower(),
        "closed": closed,
        "due": due,
        "late": late,
        "blocked": blocked,
        "rows": rows,
    }


def _blocked(blocked: Blocked, agenda: Agenda) -> dict[str, Any]:
    waiting = [f"“{title}”" for title in blocked.waiting_for]
    text = spoken_list(waiting)
    return {**_task(blocked.task, agenda), "waiting_for": list(blocked.waiting_for), "waiting_for_text": text}


def _relative(iso: str | None, agenda: Agenda) -> str:
    return when(dt.date.fromisoformat(iso), agenda.day) if iso else ""


def _review(content: Review, agenda: Agenda) -> dict[str, Any]:
    return {
        "since_text": moment_text(content.since, agenda),
        "achievements": [_task(t, agenda) for t in content.achievements],
        "in_progress": [_task(t, agenda) for t in content.in_progress],
        "next_milestone": _milestone(content.next_milestone, agenda) if content.next_milestone else None,
        "late_milestones": [_milestone(m, agenda) for m in content.late_milestones],
    }


def _planning(content: Planning, agenda: Agenda) -> dict[str, Any]:
    return {
        "sprint_end_text": day_text(content.sprint_end, agenda.day),
        "not_started": [_task(t, agenda) for t in content.not_started],
        "unassigned": [_task(t, agenda) for t in content.unassigned],
        "workload": [
            {"name": w.person.name, "open": w.open, "late": w.late, "due_soon": w.due_soon,
             "overloaded": w.overloaded, "overloaded_text": "Yes" if w.overloaded else ""}
            for w in content.workload
        ],
    }  # fmt: skip


def _retrospective(content: Retrospective, agenda: Agenda) -> dict[str, Any]:
    slipped = []
    for slip in content.slipped:
        days = f"{slip.days} day{'s' if slip.days != 1 else ''} late"
        slipped.append({**_task(slip.task, agenda), "slip_days": slip.days,
                        "slip_text": f"done {days}" if slip.done else f"open, {days}"})  # fmt: skip
    return {
        "since_text": moment_text(content.since, agenda),
        "period_text": f"{day_text(content.period_start, agenda.day)} – {day_text(content.period_end, agenda.day)}",
        "numbers_text": _numbers(content),
        "completed": [_task(t, agenda) for t in content.completed],
        "planned": content.planned,
        "on_time": content.on_time,
        "slipped": slipped,
        "pending": content.pending,
    }


def _numbers(content: Retrospective) -> str:
    """`14 tasks were due: 2 done on time, 12 slipped; 5 tasks were completed in all.` (`1 not due yet` added
    when the agenda is made before the sprint's last day)."""

    def tasks(n: int) -> str:
        return f"{n} task was" if n == 1 else f"{n} tasks were"

    on_time = f"{content.on_time} done on time" if content.on_time else "none done on time"
    pending = f", {content.pending} not due yet" if content.pending else ""
    return (
        f"{tasks(content.planned)} due: {on_time}, {len(content.slipped)} slipped{pending}; "
        f"{tasks(len(content.completed))} completed in all."
    )


def _steering(content: Steering, agenda: Agenda) -> dict[str, Any]:
    return {
        "milestones": [_milestone(m, agenda) for m in content.milestones],
        "risks": [{"kind": r.kind.value, "summary": r.summary} for r in content.risks],
        "decisions": [_task(t, agenda) for t in content.decisions],
    }
