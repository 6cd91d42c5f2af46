"""Minutes against the sandbox: notes in, decisions and actions stored, Planner tasks created exactly once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.domain.notes import parse_notes
from assistant.errors import ConfigError
from assistant.graph.calendar import read_meetings
from assistant.graph.http import PinnedSession
from assistant.graph.people import PeopleDirectory
from assistant.projects import parse_projects
from assistant.sandbox.demo_tenant import demo_projects
from assistant.services.connect import Connection
from assistant.services.minutes import find_meeting, minutes_for, read_notes
from assistant.storage.db import Database
from assistant.storage.meeting_records import MeetingRecords
from assistant.storage.migrate import upgrade
from tests.conftest import DEMO_NOW

NOTES = """\
## Pilot
Two docks flicker after sleep.
Decision: Roll back to firmware 1.0.14 on the flickering docks.
Action: @Tomasz Nowak roll out docking firmware 1.0.16 by Friday
Action: @Isabella ship replacement docks to Munich by 2026-03-09
Action: @Zed write the FAQ entry by tomorrow
"""


@pytest.fixture
def records(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    upgrade(url)
    database = Database.from_url(url)
    yield MeetingRecords(database)
    database.dispose()


@pytest.fixture
def graph(client) -> Connection:
    return Connection(client, PeopleDirectory(client), PinnedSession())


def projects(demo_tenant: dict):
    return parse_projects({"projects": demo_projects(demo_tenant)}, source="demo")


def yesterdays_standup(graph: Connection, demo_tenant: dict):
    atlas = projects(demo_tenant)["atlas"]
    day = read_meetings(graph.client, atlas.calendar, DEMO_NOW - dt.timedelta(days=1), DEMO_NOW, atlas.zone)
    return atlas, next(m for m in day if m.subject == "Atlas stand-up")


def clock() -> dt.datetime:
    return DEMO_NOW


def test_actions_become_planner_tasks_once(graph, records, demo_tenant, http, sandbox, token):
    atlas, standup = yesterdays_standup(graph, demo_tenant)
    notes = parse_notes(NOTES, standup.local_start(atlas.zone).date())
    run = minutes_for(
        graph, records, atlas, standup, notes, clock, create_tasks=True, minutes_url="https://x.example/m.docx"
    )
    assert run.tasks is not None and len(run.tasks.created) == 2
    assert [a.owner_text for a in run.tasks.unresolved] == ["Zed"]
    assert run.minutes.decisions == ("Roll back to firmware 1.0.14 on the flickering docks.",)

    auth = {"Authorization": f"Bearer {token}"}
    tasks = http.get(f"{sandbox.url}/v1.0/planner/plans/{atlas.plan_id}/tasks", headers=auth).json()["value"]
    buckets = http.get(f"{sandbox.url}/v1.0/planner/plans/{atlas.plan_id}/buckets", headers=auth).json()["value"]
    bucket = next(b["id"] for b in buckets if b["name"] == "Action items")
    firmware = next(t for t in tasks if t["title"] == "Roll out docking firmware 1.0.16")
    tomasz = next(u["id"] for u in demo_tenant["users"] if u["displayName"] == "Tomasz Nowak")
    assert firmware["bucketId"] == bucket and list(firmware["assignments"]) == [tomasz]
    # Due Friday 6 March for a Berlin team: midnight there, 23:00Z the day before.
    assert firmware["dueDateTime"].startswith("2026-03-05T23:00:00")
    details = http.get(f"{sandbox.url}/v1.0/planner/tasks/{firmware['id']}/details", headers=auth).json()
    assert any(ref["alias"].startswith("Minutes: Atlas stand-up") for ref in details["references"].values())

    again = minutes_for(graph, records, atlas, standup, notes, clock, create_tasks=True)
    assert again.tasks is not None and again.tasks.created == [] and len(again.tasks.already) == 2
    after = http.get(f"{sandbox.url}/v1.0/planner/plans/{atlas.plan_id}/tasks", headers=auth).json()["value"]
    assert len(after) == len(tasks)


def test_completing_the_task_closes_the_action(graph, records, demo_tenant):
    atlas, standup = yesterdays_standup(graph, demo_tenant)
    notes = parse_notes(NOTES, standup.local_start(atlas.zone).date())
    run = minutes_for(graph, records, atlas, standup, notes, clock, create_tasks=True)
    task_id = run.tasks.created[0][1] if run.tasks else ""
    current = graph.client.get(f"/planner/tasks/{task_id}")
    graph.client.request(
        "PATCH",
        f"/planner/tasks/{task_id}",
        json_body={"percentComplete": 100},
        headers={"If-Match": current["@odata.etag"]},
    )
    minutes_for(graph, records, atlas, standup, notes, clock)
    statuses = {a.planner_task_id: a.status.value for a in records.actions("atlas")}
    assert statuses[task_id] == "done" and list(statuses.values()).count("open") == 2


def test_a_meeting_id_finds_its_project(graph, demo_tenant):
    _, standup = yesterdays_standup(graph, demo_tenant)
    project, meeting = find_meeting(graph, projects(demo_tenant), standup.id, None)
    assert project.key == "atlas" and meeting.subject == "Atlas stand-up"
    with pytest.raises(ConfigError, match="no meeting with this id"):
        find_meeting(graph, projects(demo_tenant), "AAMkNOPE", None)


def test_malformed_notes_name_the_file_and_line():
    with pytest.raises(ConfigError) as caught:
        read_notes(("notes.txt", "## A\nAction: fix it\n"), dt.date(2026, 3, 3))
    assert str(caught.value).startswith("notes.txt: line 2: an action needs an owner first")


def test_minutes_use_the_attendance_report_and_suggest_actions_from_the_transcript(graph, records, demo_tenant):
    atlas, standup = yesterdays_standup(graph, demo_tenant)
    run = minutes_for(graph, records, atlas, standup, parse_notes("", standup.local_start(atlas.zone).date()), clock)
    assert run.minutes.attendance.source == "Teams attendance report"
    assert any("docking firmware" in s.text for s in run.minutes.suggestions)
    assert run.minutes.actions == ()  # suggestions are never actions until someone writes them down


def test_notes_given_once_are_used_again_and_bad_ones_are_not_stored(records):
    from assistant.services.minutes import stored_notes

    given = ("notes.txt", "Decision: keep admin rights\n")
    assert stored_notes(records, "m1", given, DEMO_NOW) == given
    assert stored_notes(records, "m1", None, DEMO_NOW) == ("the notes stored for this meeting", given[1])
    with pytest.raises(ConfigError, match="notes.txt: line 1"):
        stored_notes(records, "m1", ("notes.txt", "Action: nobody\n"), DEMO_NOW)
    assert records.notes("m1") == given[1]
    assert stored_notes(records, "other", None, DEMO_NOW) is None
