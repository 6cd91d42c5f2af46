"""The bot's meeting commands: agendas, minutes, notes typed in the chat, action items, and the status schedule;
and the card buttons that act (render/card_actions.py): "Create N Planner tasks", "Mark done", "Refresh".

Thin handlers over services/agenda.py, services/minutes.py, services/meeting_notes.py and services/actions.py,
registered by `register(router, deps)` from bot/commands.py. Every button is safe to click twice: Planner tasks
are created once per action item (its id and recorded task id), an item already done is answered as such, and a
refresh only reads.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assistant.bot import texts
from assistant.bot.activity import Reply
from assistant.bot.router import Command, Context, Request, Router
from assistant.domain.actions import ActionItem
from assistant.domain.meeting_types import MeetingType
from assistant.domain.meetings import Meeting
from assistant.domain.notes import Notes, NotesSyntaxError
from assistant.domain.people import Person
from assistant.domain.project import Project
from assistant.domain.schedules import is_cron
from assistant.errors import CommandError, ConfigError
from assistant.render.actions_card import actions_card
from assistant.render.agenda_card import agenda_card
from assistant.render.agenda_docx import agenda_docx
from assistant.render.agenda_text import meeting_when_text
from assistant.render.card_actions import CREATE_TASKS_ACTION, MARK_DONE_ACTION, REFRESH_STATUS_ACTION
from assistant.render.minutes_card import minutes_card
from assistant.render.minutes_docx import minutes_docx
from assistant.render.minutes_text import counts_text
from assistant.services import meeting_notes
from assistant.services.actions import mark_done
from assistant.services.agenda import (
    NEXT_HORIZON,
    agenda_document_name,
    agenda_folder,
    agenda_for,
    find_meeting,
    next_meeting,
)
from assistant.services.meeting_documents import file_document, series_folder, series_name
from assistant.services.minutes import MinutesRun, file_and_record_minutes, minutes_for, people_for, read_notes
from assistant.storage.errors import StaleState
from assistant.storage.meeting_records import MeetingRecords
from assistant.storage.state import StateStore

if TYPE_CHECKING:  # bot/commands.py imports this module
    from assistant.bot.commands import Deps

SCHEDULE_NAMESPACE = "schedule"  # app_state: key = project key, value {"status": "0 9 * * MON" | None, …}
KIND_WORDS = {kind.value: kind for kind in MeetingType} | {"stand-up": MeetingType.STANDUP}
NOTE_WORDS = {"note": "", "decision": "Decision: ", "action": "Action: "}
EXAMPLES = {
    "note": "the docks flicker after sleep",
    "decision": "roll back to firmware 1.0.14",
    "action": "ship the replacement docks @Isabella by Friday",
}


def register(router: Router, deps: Deps, status: Callable[[Context], Reply]) -> None:
    """`status` is the status command's handler, which the card's "Refresh" button runs again."""

    def records() -> MeetingRecords:
        return MeetingRecords(deps.database())

    def agenda(context: Context) -> Reply:
        project = context.the_project()
        kind = _kind(context.args)
        now = deps.clock()
        try:
            meeting = next_meeting(deps.graph(), project, kind, now)
        except ConfigError:
            what = f"{kind.value} meeting" if kind else "meeting"
            raise CommandError(
                texts.NO_NEXT_MEETING.format(project=project.name, what=what, days=NEXT_HORIZON.days)
            ) from None
        when = meeting_when_text(meeting, project)

        def draft() -> Reply:
            """The agenda drafted, rendered to Word and filed in the channel (replacing an earlier filing)."""
            found = agenda_for(deps.graph(), project, meeting, now, open_actions(project), kind=kind)
            filed = file_document(deps.graph(), project, found.series, agenda_document_name(found), agenda_docx(found))
            text = texts.AGENDA_FILED.format(
                subject=meeting.subject, when=when, verb=filed.verb, folder=agenda_folder(found)
            )
            return Reply(text=text, card=agenda_card(found, filed.web_url))

        return Reply(text=texts.ON_IT_AGENDA.format(subject=meeting.subject, when=when), later=draft)

    def minutes(context: Context) -> Reply:
        project = context.the_project()
        if context.args and (len(context.args) > 1 or context.args[0].lower() != "last"):
            raise CommandError(texts.BAD_MINUTES_ARG.format(word=" ".join(context.args)))
        now = deps.clock()
        meeting = meeting_notes.last_meeting(deps.graph().client, project, now)
        if meeting is None:
            raise CommandError(
                texts.NO_PAST_MEETING.format(project=project.name, days=meeting_notes.LAST_LOOK_BACK.days)
            )
        day = meeting.local_start(project.zone).date()

        def write() -> Reply:
            """The minutes from the stored notes, rendered to Word, filed in the channel and recorded."""
            run, stored = _minutes(project, meeting)
            document = minutes_docx(run.minutes, task_url=deps.task_url, tenant=deps.tenant)
            filed, _ = file_and_record_minutes(deps.graph(), records(), run.minutes, document, deps.clock())
            lines = [
                texts.MINUTES_FILED.format(
                    subject=meeting.subject,
                    day=day,
                    counts=counts_text(run.minutes),
                    verb=filed.verb,
                    folder=series_folder(project, series_name(meeting)),
                )
            ]
            if not stored:
                lines.append(texts.NO_NOTES_YET)
            return Reply(text="\n".join(lines), card=minutes_card(run.minutes, filed.web_url, task_button=True))

        return Reply(text=texts.ON_IT_MINUTES.format(subject=meeting.subject, day=day), later=write)

    def _minutes(project: Project, meeting: Meeting, *, create_tasks: bool = False) -> tuple[MinutesRun, bool]:
        book = records()
        text = book.notes(meeting.id)
        source = (meeting_notes.STORED_NOTES, text) if text is not None else None
        notes = read_notes(source, meeting.local_start(project.zone).date()) if source else Notes()
        run = minutes_for(deps.graph(), book, project, meeting, notes, deps.clock, create_tasks=create_tasks)
        return run, text is not None

    def create_tasks(context: Context, data: Mapping[str, Any]) -> Reply:
        project = context.the_project()
        meeting = find_meeting(deps.graph(), project, _text(data, "meeting"))
        run, _ = _minutes(project, meeting, create_tasks=True)
        assert run.tasks is not None  # asked for
        summary = run.tasks.summary()
        if not run.tasks.created and not run.tasks.failed and run.tasks.already:
            return Reply(text=texts.TASKS_ALREADY.format(summary=summary))
        return Reply(text=f"{meeting.subject}, {run.minutes.day:%a %d %b}: {summary}.")

    def noting(word: str) -> Callable[[Context], Reply]:
        def handler(context: Context) -> Reply:
            project = context.the_project()
            if not context.args:
                raise CommandError(texts.NOTHING_TO_NOTE.format(command=word, example=EXAMPLES[word]))
            now = deps.clock()
            meeting = meeting_notes.meeting_for_notes(deps.graph().client, project, now)
            if meeting is None:
                raise CommandError(texts.NO_CURRENT_MEETING.format(project=project.name))
            day = meeting.local_start(project.zone).date()
            people: list[Person] | None = None
            words = context.args
            mine = word == "action" and _owner_at(words) is None
            if mine:  # the asker owns it: found by Entra id, written as their address, which reads back the same
                people = people_for(deps.graph(), project, meeting)
                asker = _asker(context.request, people, meeting.subject)
                words = (f"@{asker.email or asker.name}", *words)
            line = NOTE_WORDS[word] + (_action_line(words) if word == "action" else " ".join(words))
            try:
                notes = meeting_notes.check_line(line, day)
            except NotesSyntaxError as exc:
                raise CommandError(texts.BAD_NOTE.format(problem=exc.problem)) from None
            answer = [texts.NOTED.format(meeting=meeting.subject, day=day, line=line)]
            if notes.actions:
                noted = notes.actions[0]
                owner = meeting_notes.owner_of(noted, people or people_for(deps.graph(), project, meeting))
                if owner is None:
                    raise CommandError(texts.UNKNOWN_OWNER.format(owner=noted.owner_text, meeting=meeting.subject))
                due = f", due {noted.due:%a %d %b}" if noted.due else ""
                said = texts.NOTED_ASKER if mine else texts.NOTED_OWNER
                answer.append(said.format(owner=owner.name or owner.email, due=due))
            meeting_notes.append_line(records(), meeting, line, now)
            return Reply(text="\n".join(answer))

        return handler

    def open_actions(project: Project) -> list[ActionItem]:
        return records().actions(project.key, open_only=True)

    def actions(context: Context) -> Reply:
        context.no_args("actions")
        project = context.the_project()
        found = open_actions(project)
        if not found:
            return Reply(text=texts.NO_OPEN_ACTIONS.format(project=project.name))
        lines = [f"{project.name}: {len(found)} open action item{'s' if len(found) != 1 else ''}"]
        lines += [_action_text(a) for a in found[: texts.SHOWN]]
        if len(found) > texts.SHOWN:
            lines.append(f"… and {len(found) - texts.SHOWN} more")
        return Reply(text="\n".join(lines), card=actions_card(project.key, project.name, found))

    def close(project: Project, action_id: str) -> Reply:
        done = mark_done(deps.graph().client, records(), project, action_id, deps.clock)
        if done is None:
            raise CommandError(texts.UNKNOWN_ACTION_ITEM.format(project=project.name))
        if not done.closed:
            return Reply(text=texts.ALREADY_DONE.format(text=done.action.text))
        lines = [texts.DONE.format(text=done.action.text)]
        if done.task:
            lines.append(texts.TASK_STATES[done.task])
        return Reply(text=" ".join(lines))

    def done(context: Context) -> Reply:
        """`done N`: N is the item's number for good (`actions` shows it), not its place in today's list."""
        project = context.the_project()
        written = context.args[0].removeprefix("#") if len(context.args) == 1 else ""
        every = records().actions(project.key)
        item = next((a for a in every if written.isdigit() and a.number == int(written)), None)
        if item is None:
            numbers = ", ".join(str(a.number) for a in every if a.is_open)
            if not numbers:
                raise CommandError(texts.NO_OPEN_ACTIONS.format(project=project.name))
            raise CommandError(texts.BAD_NUMBER.format(numbers=numbers))
        return close(project, item.id)

    def mark_done_clicked(context: Context, data: Mapping[str, Any]) -> Reply:
        return close(context.the_project(), _text(data, "item"))

    def refresh(context: Context, data: Mapping[str, Any]) -> Reply:
        return status(dataclasses.replace(context, args=()))

    def schedule(context: Context) -> Reply:
        project = context.the_project()
        args = context.args
        written = " ".join(args[1:])
        if len(args) < 2 or args[0].lower() != "status" or not (written.lower() == "off" or is_cron(written)):
            raise CommandError(texts.BAD_SCHEDULE)
        cron = None if written.lower() == "off" else written
        _store_schedule(StateStore(deps.database()), project.key, cron, context.request.asked_by, deps.clock())
        said = (
            texts.SCHEDULE_STORED.format(project=project.name, cron=cron)
            if cron
            else texts.SCHEDULE_OFF.format(project=project.name)
        )
        return Reply(text=f"{said} {texts.SCHEDULE_LATER}")

    kinds = "|".join(k.value for k in MeetingType)
    router.add(Command("agenda", "agenda [next|TYPE]", f"the next meeting's agenda (TYPE: {kinds})", agenda))
    router.add(Command("minutes", "minutes [last]", "minutes of the latest meeting, from its stored notes", minutes))
    router.add(Command("note", "note TEXT", "add a line to the current meeting's notes", noting("note")))
    router.add(Command("decision", "decision TEXT", "record a decision in the current meeting", noting("decision")))
    router.add(
        Command(
            "action",
            "action TEXT [@owner] [by DATE]",
            "record an action item in the current meeting (yours without @owner)",
            noting("action"),
        )
    )
    router.add(Command("actions", "actions", "the open action items, numbered", actions))
    router.add(
        Command("done", "done N", "close action item number N (as `actions` shows it) and its Planner task", done)
    )
    router.add(
        Command("schedule", "schedule status CRON|off", "when to post the status report (stored per project)", schedule)
    )
    router.add_action(CREATE_TASKS_ACTION, "minutes", create_tasks)
    router.add_action(MARK_DONE_ACTION, "done", mark_done_clicked)
    router.add_action(REFRESH_STATUS_ACTION, "status", refresh)


def _store_schedule(store: StateStore, key: str, cron: str | None, by: str, now: dt.datetime) -> None:
    """Merge `{"status": cron}` into the project's schedule entry; a concurrent write is read again, once."""
    for attempt in (1, 2):
        entry = store.get(SCHEDULE_NAMESPACE, key)
        value = dict(entry.value) if entry is not None and isinstance(entry.value, dict) else {}
        value.update(status=cron, set_by=by)
        try:
            store.put(SCHEDULE_NAMESPACE, key, value, now=now, expected_version=entry.version if entry else None)
            return
        except StaleState:
            if attempt == 2:
                raise


def _kind(args: tuple[str, ...]) -> MeetingType | None:
    if not args or (len(args) == 1 and args[0].lower() == "next"):
        return None
    word = args[0].lower() if len(args) == 1 else " ".join(args).lower()
    if word not in KIND_WORDS:
        raise CommandError(
            texts.BAD_AGENDA_ARG.format(word=" ".join(args), kinds=", ".join(k.value for k in MeetingType))
        )
    return KIND_WORDS[word]


def _owner_at(args: tuple[str, ...]) -> int | None:
    """Where the `@owner` is among the words, if anywhere."""
    return next((i for i, w in enumerate(args) if w.startswith("@") and len(w) > 1), None)


def _asker(request: Request, people: Sequence[Person], meeting: str) -> Person:
    """Who typed the command, among the people an owner may be: by Entra object id, never by display name
    (a name could match someone else's first name)."""
    if not request.asker_id:
        raise CommandError(texts.NO_OWNER)
    found = next((p for p in people if p.id and p.id.casefold() == request.asker_id.casefold()), None)
    if found is None:
        raise CommandError(texts.ASKER_NOT_FOUND.format(name=request.asker_name or "?", meeting=meeting))
    return found


def _action_line(args: tuple[str, ...]) -> str:
    """`ship docks @Isabella by Friday` → `@Isabella ship docks by Friday`, the notes' order (owner first)."""
    at = _owner_at(args)
    assert at is not None  # the handler puts the asker first when no owner is named
    words = list(args)
    if at == 0:
        return " ".join(words)
    by = next((i for i in range(at + 1, len(words)) if words[i].lower() == "by"), len(words))
    owner, task, rest = words[at:by], words[:at], words[by:]
    return " ".join([*owner, *task, *rest])


def _action_text(action: ActionItem) -> str:
    owner = action.owner.name if action.owner else f"@{action.owner_text} (not resolved)"
    due = f"; due {action.due:%a %d %b}" if action.due else ""
    return f"{action.number}. {action.text} ({owner}{due}; {action.meeting_subject}, {action.meeting_day:%a %d %b})"


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise CommandError(texts.UNKNOWN_ACTION_ITEM.format(project="this project"))
    return value
