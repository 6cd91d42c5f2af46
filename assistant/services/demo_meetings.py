"""The meeting half of `coordinator demo`: two agendas ahead, minutes behind, action items into Planner.

Everything goes through the same services as `coordinator agenda --post` and `coordinator minutes --post
--create-tasks`; the only demo-specific thing is the notes file, written here as a coordinator would type it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

from assistant.domain.meeting_types import MeetingType
from assistant.domain.project import Project
from assistant.graph.calendar import read_meetings
from assistant.render.agenda_docx import agenda_docx
from assistant.render.minutes_text import minutes_text
from assistant.services.agenda import agenda_document_name, agenda_for, next_meeting, post_agenda
from assistant.services.connect import Connection
from assistant.services.meeting_documents import project_database
from assistant.services.minutes import minutes_document_name, publish_minutes, read_notes
from assistant.settings import Settings
from assistant.storage.meeting_records import MeetingRecords

# Notes a coordinator took in the latest Atlas stand-up: one owner who resolves by full name, one by first
# name, and one nobody matches (reported, no task).
DEMO_NOTES = """\
## Pilot
Two docking stations in Munich still flicker after sleep.
Decision: Roll back the flickering docks to firmware 1.0.14 until 1.0.16 is signed.
Action: @Tomasz Nowak roll out docking firmware 1.0.16 by Friday
Action: @Isabella ship replacement docks to Munich by 2026-03-09
## Rollout
Action: @Omar send the rollout schedule to all staff by tomorrow
Action: @Zed update the FAQ on the intranet by Friday
"""


def meeting_documents(
    settings: Settings,
    graph: Connection,
    projects: Mapping[str, Project],
    now: dt.datetime,
    folder: Path,
    clock: Callable[[], dt.datetime],
) -> list[str]:
    """Write and post the demo's agendas and minutes; returns one line per document for the console."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    with project_database(settings) as database:
        records = MeetingRecords(database)
        for key, kind in (("atlas", MeetingType.STANDUP), ("apollo", MeetingType.STEERING)):
            project = projects[key]
            agenda = agenda_for(graph, project, next_meeting(graph, project, kind, now), now, records.actions(key))
            document = agenda_docx(agenda)
            (folder / agenda_document_name(agenda)).write_bytes(document)
            post_agenda(settings, graph, agenda, document, clock)
            lines.append(
                f"agenda of {agenda.meeting.subject}, {agenda.start:%a %d %b %H:%M}: {agenda_document_name(agenda)}"
            )
        atlas = projects["atlas"]
        recent = read_meetings(graph.client, atlas.calendar, now - dt.timedelta(days=4), now, atlas.zone)
        standup = [m for m in recent if m.subject == "Atlas stand-up" and m.end <= now][-1]  # the latest one held
        (folder / "atlas-standup-notes.txt").write_text(DEMO_NOTES, encoding="utf-8")
        notes = read_notes(("atlas-standup-notes.txt", DEMO_NOTES), standup.local_start(atlas.zone).date())
        published = publish_minutes(settings, graph, records, atlas, standup, notes, clock, create_tasks=True)
        name = minutes_document_name(published.run.minutes)
        (folder / name).write_bytes(published.document)
        (folder / name.replace(".docx", ".txt")).write_text(
            minutes_text(published.run.minutes) + "\n", encoding="utf-8"
        )
        tasks = published.run.tasks.summary() if published.run.tasks else "no tasks"
        lines.append(f"minutes of {standup.subject}, {standup.local_start(atlas.zone):%a %d %b}: {name} ({tasks})")
    return lines
