"""`--attach` end to end against the sandbox: the Word agenda or minutes on the Outlook invitation, once per name."""

from __future__ import annotations

import base64
import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document

from assistant.graph.calendar import read_meetings
from assistant.graph.client import GraphClient
from assistant.graph.errors import GraphError
from assistant.graph.http import PinnedSession
from assistant.graph.people import PeopleDirectory
from assistant.projects import parse_projects
from assistant.sandbox.demo_tenant import READONLY_APP_ID, READONLY_APP_SECRET, demo_projects
from assistant.services.connect import Connection
from assistant.services.meeting_documents import attach_document
from tests.conftest import DEMO_NOW, app_token
from tests.test_cli import run


@pytest.fixture
def atlas(demo_tenant):
    return parse_projects({"projects": demo_projects(demo_tenant)}, source="demo")["atlas"]


def _attachments(http, sandbox) -> list[dict]:
    return list(http.get(f"{sandbox.url}/_sandbox/attachments").json()["value"])


def _content(http, sandbox, attachment: dict) -> bytes:
    url = f"{sandbox.url}/v1.0/users/{attachment['mailbox']}/events/{attachment['eventId']}/attachments"
    listed = http.get(url, headers={"Authorization": f"Bearer {app_token(sandbox)}"}).json()["value"]
    return base64.b64decode(next(a for a in listed if a["id"] == attachment["id"])["contentBytes"])


def test_agenda_attach_puts_the_word_agenda_on_the_next_standup(configured, tmp_path, http, sandbox, client, atlas):
    args = ("agenda", "--next", "atlas", "--type", "standup", "--as-of", "2026-03-04", "--attach")
    result = run(*args, cwd=tmp_path, env=configured)
    assert result.returncode == 0, result.stderr
    name = "2026-03-04 Atlas stand-up agenda.docx"
    assert result.stdout.splitlines() == [
        f"atlas: agenda attached to the invitation in {atlas.calendar} ({name}); attendees get it only when the "
        "organizer sends an update"
    ]
    day = read_meetings(client, atlas.calendar, DEMO_NOW - dt.timedelta(hours=7), DEMO_NOW + dt.timedelta(days=1))
    standup = next(m for m in day if m.subject == "Atlas stand-up" and m.start.date() == dt.date(2026, 3, 4))
    (attached,) = _attachments(http, sandbox)
    assert (attached["mailbox"], attached["eventId"], attached["name"]) == (atlas.calendar, standup.id, name)
    document = Document(io.BytesIO(_content(http, sandbox, attached)))
    assert document.paragraphs[0].text.startswith("Atlas stand-up")
    assert not http.get(f"{sandbox.url}/_sandbox/files").json()["value"]  # not filed in the channel without --post

    again = run(*args, cwd=tmp_path, env=configured)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"atlas: agenda replaced on the invitation in {atlas.calendar} ({name})")
    assert [a["name"] for a in _attachments(http, sandbox)] == [name]  # replaced, not piled up


def test_minutes_attach_puts_the_word_minutes_on_the_past_meeting(configured, tmp_path, http, sandbox, client, atlas):
    mailbox = atlas.calendar
    day = read_meetings(client, mailbox, DEMO_NOW - dt.timedelta(days=1), DEMO_NOW)
    standup = next(m for m in day if m.subject == "Atlas stand-up")
    result = run("minutes", standup.id, "--attach", cwd=tmp_path, env=configured)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith(
        f"atlas: minutes attached to the invitation in {mailbox} (2026-03-03 Atlas stand-up minutes.docx)"
    )
    (attached,) = _attachments(http, sandbox)
    assert attached["eventId"] == standup.id and attached["name"] == "2026-03-03 Atlas stand-up minutes.docx"
    assert Document(io.BytesIO(_content(http, sandbox, attached))).paragraphs[0].text == "Atlas stand-up"


def test_a_missing_calendars_readwrite_is_one_line_naming_it(sandbox, atlas, http):
    token = app_token(sandbox, READONLY_APP_ID, READONLY_APP_SECRET)
    readonly = GraphClient(f"{sandbox.url}/v1.0", lambda: token, PinnedSession(sandbox.ca_bundle))
    meeting = read_meetings(readonly, atlas.calendar, DEMO_NOW, DEMO_NOW + dt.timedelta(days=1), atlas.zone)[0]
    graph = Connection(readonly, PeopleDirectory(readonly), PinnedSession(sandbox.ca_bundle))
    with pytest.raises(GraphError) as caught:
        attach_document(graph, atlas, meeting, "agenda", "agenda.docx", b"PK")
    assert type(caught.value) is GraphError  # not the raw 403 with its request ids
    message = str(caught.value)
    assert "\n" not in message
    assert "application permission Calendars.ReadWrite" in message and "off by default" in message
    assert message.startswith(
        f"atlas: --attach: Graph refused to attach the agenda to the invitation in {atlas.calendar}"
    )
    assert _attachments(http, sandbox) == []


def test_help_documents_attach(tmp_path: Path):
    for command in ("agenda", "minutes"):
        result = run(command, "--help", cwd=tmp_path)
        assert "--attach" in result.stdout and "Calendars.ReadWrite" in result.stdout
