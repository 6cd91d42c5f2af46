"""`coordinator agenda`: find the meeting, load what its kind of agenda needs, and file and announce the result.

Loading: the plan (one `$batch` and its pages), then descriptions of open tasks that have one (for `Blocked by:`
lines; a stand-up reads only its attendees'), while the series' earlier occurrences come from one calendarView
over a look-back window that suits the kind of meeting — both at once, on two threads.

Posting (services/meeting_documents.py, shared with the minutes): the document is filed in the channel's Files
folder under `Meeting documents/<series>/` with a dated name (`2026-03-05 Atlas stand-up agenda.docx`); filing the
same agenda again replaces the file (same name). Then a short card linking it is posted by the project's delivery
methods, in order, until one delivers. An agenda has no delivery record: every `--post` posts a new card (a changed
agenda is worth announcing again), and a post that may or may not have landed is not retried.

Attaching (`--attach`, off by default, with or without `--post`): the same Word agenda on the meeting's Outlook
invitation in the project's calendar (services/meeting_documents.py `attach_document`; needs Calendars.ReadWrite).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote

from assistant.domain.actions import ActionItem
from assistant.domain.agenda import Agenda, attendee_tasks, build_agenda
from assistant.domain.meeting_types import MeetingType, classify
from assistant.domain.meetings import Meeting
from assistant.domain.plans import PlanSnapshot
from assistant.domain.project import Project
from assistant.domain.tasks import Status, Task
from assistant.errors import ConfigError
from assistant.graph.calendar import meetings, read_meeting, read_meetings
from assistant.graph.errors import NotFound
from assistant.graph.planner import load_plan_snapshot, with_details
from assistant.render.agenda_card import agenda_card
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
    series_folder,
)
from assistant.settings import Settings

NEXT_HORIZON = dt.timedelta(days=42)  # how far `next_meeting` looks: past the next monthly steering committee
SEARCH_STEPS = (dt.timedelta(days=2), dt.timedelta(days=14))  # … in windows this far ahead first
# How far back the series' previous occurrence is looked for: a week covers a daily stand-up over a weekend and
# a holiday; fortnightly sprint meetings get five weeks, a monthly steering committee seven.
LOOK_BACK = {
    MeetingType.STANDUP: dt.timedelta(days=7),
    MeetingType.SPRINT_REVIEW: dt.timedelta(days=35),
    MeetingType.PLANNING: dt.timedelta(days=35),
    MeetingType.RETROSPECTIVE: dt.timedelta(days=35),
    MeetingType.STEERING: dt.timedelta(days=49),
    MeetingType.GENERAL: dt.timedelta(days=35),
}


PostedAgenda = PostedDocument  # the filed agenda, the receipt of its card, and a line for the person who ran it


def meeting_id(text: str) -> str:
    """A meeting id as typed: Outlook ids hold `/`, `+` and `=`, and one copied from an Outlook on the web link
    arrives percent-encoded (`%2F`, `%3D`); Outlook ids never hold `%` themselves, so such an id is decoded."""
    value = text.strip()
    return unquote(value) if "%" in value else value


def find_meeting(graph: Connection, project: Project, meeting_id_text: str) -> Meeting:
    """The meeting with this id in the project's calendar; ConfigError when there is none."""
    try:
        return read_meeting(graph.client, project.calendar, meeting_id(meeting_id_text), project.zone)
    except NotFound:
        raise ConfigError(
            "command line", "MEETING_ID", f"no meeting with this id in project {project.key}'s calendar"
        ) from None


def next_meeting(
    graph: Connection,
    project: Project,
    kind: MeetingType | None,
    now: dt.datetime,
    horizon: dt.timedelta = NEXT_HORIZON,
) -> Meeting:
    """The project's first meeting starting at or after `now` (of `kind`, when given), cancelled ones left out.

    The calendar is read in widening windows (two days, two weeks, then the horizon): the next stand-up costs one
    page of calendarView, not the six weeks a monthly steering committee needs.
    """
    start = now
    for reach in (*SEARCH_STEPS, horizon):
        end = now + min(reach, horizon)
        if end <= start:
            continue
        for meeting in meetings(graph.client, project, start, end):
            if meeting.start < start or meeting.cancelled:  # under way at `now`, or seen in the last window
                continue
            if kind is None or classify(meeting, project.meeting_rules) is kind:
                return meeting
        start = end
    what = f"{kind.value} meeting" if kind else "meeting"
    raise ConfigError("command line", "--next", f"no {what} of project {project.key} in the next {horizon.days} days")


def agenda_for(
    graph: Connection,
    project: Project,
    meeting: Meeting,
    now: dt.datetime,
    actions: Sequence[ActionItem] = (),
    *,
    kind: MeetingType | None = None,
) -> Agenda:
    """The agenda of `meeting`; `actions` are the project's stored action items (open ones are carried over)."""
    chosen = kind or classify(meeting, project.meeting_rules)
    window_start = meeting.start - LOOK_BACK[chosen]
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="agenda") as pool:
        earlier = pool.submit(read_meetings, graph.client, project.calendar, window_start, meeting.start, project.zone)
        snapshot = _snapshot(graph, project, meeting, chosen)
        previous = earlier.result()
    return build_agenda(meeting, project, snapshot, previous, actions, now, kind=chosen)


def _snapshot(graph: Connection, project: Project, meeting: Meeting, kind: MeetingType) -> PlanSnapshot:
    """The plan, with descriptions of the open tasks whose `Blocked by:` lines the agenda reads."""
    snapshot = load_plan_snapshot(graph.client, project.plan_id, graph.people)
    candidates: Iterable[Task] = (
        attendee_tasks(meeting, snapshot.tasks) if kind is MeetingType.STANDUP else snapshot.tasks
    )
    wanted = [t for t in candidates if t.has_description and t.status is not Status.COMPLETED]
    if not wanted:
        return snapshot
    detailed = {t.id: t for t in with_details(graph.client, wanted)}
    return dataclasses.replace(snapshot, tasks=tuple(detailed.get(t.id, t) for t in snapshot.tasks))


def agenda_document_name(agenda: Agenda) -> str:
    """`2026-03-05 Atlas stand-up agenda.docx`: dated and readable, a name SharePoint accepts, the same for every
    run for one meeting (so filing it again replaces the file)."""
    return document_name(agenda.project, agenda.series, agenda.day, "agenda")


def agenda_folder(agenda: Agenda) -> str:
    """`Meeting documents/Atlas stand-up`: one folder per series, in the channel's Files folder."""
    return series_folder(agenda.project, agenda.series)


def post_agenda(
    settings: Settings, graph: Connection, agenda: Agenda, document_bytes: bytes, clock: Callable[[], dt.datetime]
) -> PostedAgenda:
    """File the agenda in the project's channel and post the card that links it (see the module's docstring).

    Raises DeliveryError when the card was not posted (`partial`: the document is filed) or may have been
    (`unknown`); GraphError when the document could not be filed (nothing was posted).
    """
    project = agenda.project
    name = agenda_document_name(agenda)
    filed = file_document(graph, project, agenda.series, name, document_bytes)
    card = agenda_card(agenda, filed.web_url)
    with project_database(settings) as database:
        methods = methods_for(settings, graph, project, database, clock)
        return announce(f"{project.key}/agenda/{name}", "agenda", filed, card, methods)


def attach_agenda(graph: Connection, agenda: Agenda, document_bytes: bytes) -> AttachedDocument:
    """`--attach`: the Word agenda on the meeting's invitation, replacing the one attached before (same name)."""
    name = agenda_document_name(agenda)
    return attach_document(graph, agenda.project, agenda.meeting, "agenda", name, document_bytes)
