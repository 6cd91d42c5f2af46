"""`coordinator minutes`: a past meeting's minutes from its notes, attendance and plan, and its actions.

Which project a meeting id belongs to is found from the projects' calendars (ids are per mailbox). Owners
are resolved against the meeting's invitees and the plan's people; invitees get their directory ids (for
Planner assignments) from the directory, 20 per `$batch`.

Publishing (`--post`) files the Word minutes beside the series' agendas, under `Meeting documents/<series>/`
(services/meeting_documents.py), as `2026-03-03 Atlas stand-up minutes.docx`: a re-run replaces the file and
records its next version. With `--create-tasks` too, the Planner tasks link the filed document, and the document
then shows the tasks' links: see `publish_minutes` for the order. `--attach` (off by default) puts the Word minutes
on the meeting's Outlook invitation too (`attach_minutes`; needs Calendars.ReadWrite).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.domain.actions import ActionItem
from assistant.domain.meeting_types import classify
from assistant.domain.meetings import Meeting, belongs_to
from assistant.domain.minutes import (
    Minutes,
    attendance_from_invitations,
    attendance_from_report,
    build_minutes,
    invited,
)
from assistant.domain.notes import Notes, NotesSyntaxError, parse_notes
from assistant.domain.people import Person
from assistant.domain.plans import PlanSnapshot
from assistant.domain.project import Project
from assistant.domain.transcript import parse_vtt, suggest_actions
from assistant.errors import ConfigError, DeliveryError
from assistant.graph.calendar import read_meeting, read_meetings
from assistant.graph.errors import NotFound
from assistant.graph.online_meetings import meeting_artifacts
from assistant.graph.planner import load_plan_snapshot
from assistant.graph.teams import FiledDocument
from assistant.render.minutes_card import minutes_card
from assistant.render.minutes_docx import minutes_docx
from assistant.services.actions import TaskOutcome, close_completed, create_action_tasks
from assistant.services.connect import Connection
from assistant.services.meeting_documents import (
    AttachedDocument,
    PostedDocument,
    announce,
    attach_document,
    document_name,
    file_document,
    methods_for,
    project_database,
    series_name,
)
from assistant.settings import Settings
from assistant.storage.meeting_records import MeetingRecords

SERIES_LOOKAHEAD = dt.timedelta(days=42)  # how far to look for the series' next meeting


@dataclass(frozen=True)
class MinutesRun:
    minutes: Minutes
    snapshot: PlanSnapshot
    tasks: TaskOutcome | None  # None when tasks were not asked for


@dataclass(frozen=True)
class PublishedMinutes:
    run: MinutesRun
    document: bytes  # the Word minutes as last filed
    posted: PostedDocument | None  # None when the card was not posted: see `failure`
    failure: DeliveryError | None = None  # the card was not (or may not have been) posted; the document is filed


def find_meeting(
    graph: Connection, projects: Mapping[str, Project], meeting_id: str, key: str | None
) -> tuple[Project, Meeting]:
    """The meeting and its project: `key` when given, else the project whose calendar has it and whose
    keywords or categories match it."""
    candidates = [projects[key]] if key else list(projects.values())
    if key and key not in projects:
        raise ConfigError("command line", "--project", f"no project {key!r} (projects: {', '.join(sorted(projects))})")
    found: dict[tuple[str, str], Meeting | None] = {}  # per (mailbox, zone): projects may share a calendar
    for project in candidates:
        place = (project.calendar, project.timezone)
        if place not in found:
            try:
                found[place] = read_meeting(graph.client, project.calendar, meeting_id, project.zone)
            except NotFound:
                found[place] = None
        meeting = found[place]
        if meeting is not None and (key or belongs_to(meeting, project.meetings)):
            return project, meeting
    where = f"project {key}'s calendar" if key else "any project's calendar"
    raise ConfigError("command line", "MEETING_ID", f"no meeting with this id in {where}")


def read_notes(path_text: tuple[str, str] | None, day: dt.date) -> Notes:
    """Notes from (file name, text); a malformed line is a one-line error naming the file and line."""
    if path_text is None:
        return Notes()
    name, text = path_text
    try:
        return parse_notes(text, day)
    except NotesSyntaxError as exc:
        raise ConfigError(name, f"line {exc.line}", exc.problem) from None


def stored_notes(
    records: MeetingRecords, meeting_id: str, given: tuple[str, str] | None, now: dt.datetime
) -> tuple[str, str] | None:
    """Notes given now are kept for the meeting (checked first: a malformed file is not stored); without
    `--notes` the meeting's stored notes are used, so minutes can be made again later without the file."""
    if given is None:
        text = records.notes(meeting_id)
        return ("the notes stored for this meeting", text) if text is not None else None
    read_notes(given, now.date())  # a malformed line stops here, before anything is stored
    records.save_notes(meeting_id, given[1], now)
    return given


def minutes_for(
    graph: Connection,
    records: MeetingRecords,
    project: Project,
    meeting: Meeting,
    notes: Notes,
    clock: Callable[[], dt.datetime],
    *,
    create_tasks: bool = False,
    minutes_url: str | None = None,
) -> MinutesRun:
    snapshot = load_plan_snapshot(graph.client, project.plan_id, graph.people)
    close_completed(records, project, snapshot, clock)
    people = _people(graph, meeting, snapshot)
    artifacts = meeting_artifacts(graph.client, meeting.organizer.email or project.calendar, meeting)
    if artifacts.attendees is not None:
        attendance = attendance_from_report(meeting, artifacts.attendees)
    else:
        note = f"Attendance is from the invitation answers: {artifacts.attendance_note}."
        attendance = attendance_from_invitations(meeting, note=note)
    suggestions = suggest_actions(parse_vtt(artifacts.transcript)) if artifacts.transcript else []
    kind = classify(meeting, project.meeting_rules)
    following = _next(graph, project, meeting)
    minutes = build_minutes(meeting, project, kind, notes, people, attendance, following, suggestions)
    now = clock()
    records.remember(meeting, project.key, minutes.kind.value, now)
    records.replace_decisions(meeting.id, minutes.decisions, now)
    stored = records.save_actions(project.key, minutes.actions, now)
    minutes = _with_actions(minutes, stored)
    outcome = None
    if create_tasks:
        outcome = create_action_tasks(graph.client, records, project, snapshot, stored, minutes_url, clock)
        minutes = _with_actions(minutes, records.actions(project.key))
    return MinutesRun(minutes, snapshot, outcome)


def _with_actions(minutes: Minutes, stored: Sequence[ActionItem]) -> Minutes:
    """The minutes' actions as stored: with the Planner task ids and status the database knows."""
    by_id = {a.id: a for a in stored}
    return dataclasses.replace(minutes, actions=tuple(by_id.get(a.id, a) for a in minutes.actions))


def people_for(graph: Connection, project: Project, meeting: Meeting) -> list[Person]:
    """Whom an `@Name` in the meeting's notes may mean (the minutes resolve owners against the same people)."""
    return _people(graph, meeting, load_plan_snapshot(graph.client, project.plan_id, graph.people))


def _people(graph: Connection, meeting: Meeting, snapshot: PlanSnapshot) -> list[Person]:
    """Invitees with their directory ids, then the plan's people: whom an `@Name` may mean."""
    known = {p.email.casefold(): p for p in snapshot.people.values() if p.email}
    lookups = [p.email for p in invited(meeting) if p.email and p.email.casefold() not in known]
    directory = graph.people.resolve(lookups) if lookups else {}
    people = []
    for person in invited(meeting):
        match = known.get(person.email.casefold()) or directory.get(person.email)
        people.append(match if match is not None and match.id and not match.name.startswith("unknown user") else person)
    return people + [p for p in snapshot.people.values() if p not in people]


def _next(graph: Connection, project: Project, meeting: Meeting) -> Meeting | None:
    if meeting.series_id is None:
        return None
    later = read_meetings(graph.client, project.calendar, meeting.end, meeting.end + SERIES_LOOKAHEAD, project.zone)
    following = [m for m in later if m.series_id == meeting.series_id and m.start > meeting.start and not m.cancelled]
    return following[0] if following else None


# --- the Word minutes in the channel ---------------------------------------------------------------------------


def minutes_document(settings: Settings, minutes: Minutes) -> bytes:
    """The Word minutes, each Planner task linked by the configured COORDINATOR_PLANNER_TASK_URL."""
    return minutes_docx(minutes, task_url=settings.planner_task_url, tenant=settings.tenant_id or "")


def minutes_document_name(minutes: Minutes) -> str:
    """`2026-03-03 Atlas stand-up minutes.docx`: dated and readable, a name SharePoint accepts, the same for every
    run for one meeting (so filing it again replaces the file)."""
    return document_name(minutes.project, series_name(minutes.meeting), minutes.day, "minutes")


def file_minutes(graph: Connection, minutes: Minutes, document: bytes) -> FiledDocument:
    """File the minutes under `Meeting documents/<series>/`, replacing an earlier filing for this meeting."""
    name = minutes_document_name(minutes)
    return file_document(graph, minutes.project, series_name(minutes.meeting), name, document)


def attach_minutes(graph: Connection, minutes: Minutes, document: bytes) -> AttachedDocument:
    """`--attach`: the Word minutes on the meeting's invitation, replacing the ones attached before (same name)."""
    name = minutes_document_name(minutes)
    return attach_document(graph, minutes.project, minutes.meeting, "minutes", name, document)


def file_and_record_minutes(
    graph: Connection, records: MeetingRecords, minutes: Minutes, document: bytes, now: dt.datetime
) -> tuple[FiledDocument, int]:
    """File the minutes and record the document for the meeting; returns the filing and its version (1, 2, …)."""
    filed = file_minutes(graph, minutes, document)
    version = records.add_document(minutes.meeting.id, "minutes", filed.name, filed.web_url, now)
    return filed, version


def post_minutes(
    settings: Settings, graph: Connection, minutes: Minutes, document: bytes, clock: Callable[[], dt.datetime]
) -> PostedDocument:
    """File the minutes, record the document's version for the meeting, and post the card that links it.

    Raises DeliveryError when the card was not posted (`partial`: the document is filed and recorded) or may have
    been (`unknown`); GraphError when the document could not be filed (nothing was posted).
    """
    project = minutes.project
    with project_database(settings) as database:
        filed, version = file_and_record_minutes(graph, MeetingRecords(database), minutes, document, clock())
        methods = methods_for(settings, graph, project, database, clock)
        key = f"{project.key}/minutes/{minutes_document_name(minutes)}"
        posted = announce(key, f"minutes (version {version})", filed, minutes_card(minutes, filed.web_url), methods)
    return dataclasses.replace(posted, version=version)


def publish_minutes(
    settings: Settings,
    graph: Connection,
    records: MeetingRecords,
    project: Project,
    meeting: Meeting,
    notes: Notes,
    clock: Callable[[], dt.datetime],
    *,
    create_tasks: bool = False,
) -> PublishedMinutes:
    """`--post`: the minutes filed in the channel and announced, their Planner tasks (when asked for) linking them.

    A task links the filed document's address, which exists only once the document is filed, while the document
    shows the tasks' links. So: the minutes (no tasks yet) → the document filed → the tasks created with its
    address → the document rendered again with the tasks and filed again, replacing the first (one extra PUT) →
    the card posted. Without `create_tasks` the document is filed once. A card that was not posted is returned as
    `failure` rather than raised, so the caller can still report the tasks this run created.
    """
    run = minutes_for(graph, records, project, meeting, notes, clock)
    document = minutes_document(settings, run.minutes)
    if create_tasks:
        filed = file_minutes(graph, run.minutes, document)
        actions = run.minutes.actions
        outcome = create_action_tasks(graph.client, records, project, run.snapshot, actions, filed.web_url, clock)
        run = MinutesRun(_with_actions(run.minutes, records.actions(project.key)), run.snapshot, outcome)
        document = minutes_document(settings, run.minutes)
    try:
        posted = post_minutes(settings, graph, run.minutes, document, clock)
    except DeliveryError as exc:
        return PublishedMinutes(run, document, None, exc)
    return PublishedMinutes(run, document, posted)
