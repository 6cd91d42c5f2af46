"""Publishing minutes against the sandbox: the Word minutes filed under `Meeting documents/<series>/` beside the
series' agendas, replaced (not duplicated) by a second run, the Planner tasks linking the filed document, the
document linking the tasks, and the card posted by the project's delivery methods."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.domain.meeting_types import MeetingType
from assistant.domain.notes import parse_notes
from assistant.errors import DeliveryError
from assistant.graph.calendar import read_meetings
from assistant.graph.http import PinnedSession
from assistant.graph.people import PeopleDirectory
from assistant.graph.planner_write import reference_key
from assistant.render.agenda_docx import agenda_docx
from assistant.render.minutes_card import OPEN_MINUTES
from assistant.render.minutes_docx import PLANNER_LINK_TEXT
from assistant.services.agenda import agenda_for, next_meeting, post_agenda
from assistant.services.connect import Connection
from assistant.services.minutes import minutes_document_name, publish_minutes
from assistant.storage.db import Database
from assistant.storage.meeting_records import MeetingRecords
from assistant.storage.migrate import upgrade
from tests.conftest import DEMO_NOW
from tests.graph.conftest import sandbox_settings
from tests.render.test_minutes_docx import minutes as hand_built_minutes
from tests.render.test_status_docx import open_docx, table_with
from tests.services.test_agenda import files, messages, project
from tests.services.test_minutes import NOTES
from tests.workflows_receiver import WorkflowsReceiver, running_receiver

NAME = "2026-03-03 Atlas stand-up minutes.docx"
FOLDER = "/Meeting documents/Atlas stand-up/"


@pytest.fixture
def graph(client, sandbox) -> Connection:
    return Connection(client, PeopleDirectory(client), PinnedSession(sandbox.ca_bundle))


@pytest.fixture
def workflows() -> Iterator[WorkflowsReceiver]:
    yield from running_receiver()


@pytest.fixture
def settings(sandbox, tmp_path: Path):
    return sandbox_settings(sandbox, tmp_path)


@pytest.fixture
def records(settings) -> Iterator[MeetingRecords]:
    upgrade(settings.database)
    database = Database.from_url(settings.database)
    yield MeetingRecords(database)
    database.dispose()


def clock() -> dt.datetime:
    return DEMO_NOW


def yesterdays_standup(graph, demo_tenant, **table: object):
    atlas = project(demo_tenant, "atlas", **table)
    day = read_meetings(graph.client, atlas.calendar, DEMO_NOW - dt.timedelta(days=1), DEMO_NOW, atlas.zone)
    standup = next(m for m in day if m.subject == "Atlas stand-up")
    return atlas, standup, parse_notes(NOTES, standup.local_start(atlas.zone).date())


def tasks_of(http, sandbox, token, plan_id: str) -> list[dict]:
    auth = {"Authorization": f"Bearer {token}"}
    return http.get(f"{sandbox.url}/v1.0/planner/plans/{plan_id}/tasks", headers=auth).json()["value"]


def test_minutes_are_filed_tasks_link_them_and_a_second_run_replaces_the_file(
    sandbox, http, token, graph, demo_tenant, workflows, settings, records
):
    atlas, standup, notes = yesterdays_standup(graph, demo_tenant, workflows_url=workflows.url, delivery=["workflows"])
    before = len(tasks_of(http, sandbox, token, atlas.plan_id))
    result = publish_minutes(settings, graph, records, atlas, standup, notes, clock, create_tasks=True)

    assert result.failure is None and result.posted is not None and result.posted.version == 1
    [stored] = files(http, sandbox)
    assert stored["path"].endswith(FOLDER + NAME) and minutes_document_name(result.run.minutes) == NAME
    assert http.get(stored["webUrl"]).content == result.document  # the file holds the final document
    assert result.run.tasks is not None and len(result.run.tasks.created) == 2
    assert [a.owner_text for a in result.run.tasks.unresolved] == ["Zed"]

    # Each new Planner task links the filed document …
    auth = {"Authorization": f"Bearer {token}"}
    for _, task_id in result.run.tasks.created:
        details = http.get(f"{sandbox.url}/v1.0/planner/tasks/{task_id}/details", headers=auth).json()
        assert reference_key(stored["webUrl"]) in details["references"]
    # … and the filed document links each task.
    doc = open_docx(result.document)
    rows = table_with(doc, ["Action", "Owner", "Due", "Planner"])
    assert [r[1:] for r in rows] == [
        ["Tomasz Nowak", "Fri 6 Mar", PLANNER_LINK_TEXT],
        ["Isabella Rossi", "Mon 9 Mar", PLANNER_LINK_TEXT],
        ["@Zed — not resolved", "Wed 4 Mar", "Not created"],
    ]
    links = {rel.target_ref for rel in doc.part.rels.values() if rel.reltype.endswith("/hyperlink")}
    assert links == {settings.planner_task_url.format(tenant=settings.tenant_id, task_id=t, plan_id=atlas.plan_id)
                     for _, t in result.run.tasks.created}  # fmt: skip

    [request] = workflows.received
    card = json.loads(request["body"])["attachments"][0]["content"]
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": OPEN_MINUTES, "url": stored["webUrl"]}]
    assert stored["webUrl"] in result.posted.summary and "minutes (version 1)" in result.posted.summary
    assert messages(http, sandbox) == []

    again = publish_minutes(settings, graph, records, atlas, standup, notes, clock, create_tasks=True)
    assert len(files(http, sandbox)) == 1 and files(http, sandbox)[0]["name"] == NAME
    assert again.posted is not None and again.posted.document.replaced and again.posted.version == 2
    assert again.run.tasks is not None and again.run.tasks.created == [] and len(again.run.tasks.already) == 2
    assert len(tasks_of(http, sandbox, token, atlas.plan_id)) == before + 2
    assert len(workflows.received) == 2


def test_without_tasks_the_document_is_filed_once_and_without_a_sign_in_the_error_says_so(
    sandbox, http, graph, demo_tenant, settings, records
):
    atlas, standup, notes = yesterdays_standup(graph, demo_tenant)  # delivery by Graph, nobody signed in
    result = publish_minutes(settings, graph, records, atlas, standup, notes, clock)
    assert result.posted is None and isinstance(result.failure, DeliveryError)
    assert result.failure.status == "partial" and "coordinator login" in str(result.failure)
    [stored] = files(http, sandbox)
    assert stored["webUrl"] in str(result.failure) and stored["name"] == NAME
    assert result.run.tasks is None and messages(http, sandbox) == []
    rows = table_with(open_docx(result.document), ["Action", "Owner", "Due", "Planner"])
    assert [r[3] for r in rows] == ["", "", "Not created"]


def test_the_minutes_go_beside_the_series_agenda(sandbox, http, graph, demo_tenant, workflows, settings, records):
    atlas, standup, notes = yesterdays_standup(graph, demo_tenant, workflows_url=workflows.url, delivery=["workflows"])
    agenda = agenda_for(graph, atlas, next_meeting(graph, atlas, MeetingType.STANDUP, DEMO_NOW), DEMO_NOW)
    post_agenda(settings, graph, agenda, agenda_docx(agenda), clock)
    publish_minutes(settings, graph, records, atlas, standup, notes, clock)
    paths = sorted(f["path"].split(FOLDER, 1)[1] for f in files(http, sandbox))
    assert paths == ["2026-03-03 Atlas stand-up minutes.docx", "2026-03-04 Atlas stand-up agenda.docx"]


def test_minutes_names_are_dated_readable_and_sharepoint_safe():
    odd = hand_built_minutes()
    odd = dataclasses.replace(odd, meeting=dataclasses.replace(odd.meeting, subject='Atlas: R&D <ops> "daily" 🚀?'))
    assert minutes_document_name(odd) == "2026-03-04 Atlas - R&D - ops - daily - 🚀 minutes.docx"
