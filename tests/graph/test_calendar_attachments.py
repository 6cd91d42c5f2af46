"""Documents attached to Outlook events: one per name (a re-run replaces it), 403 without write, 3 MB refused."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from assistant.graph.calendar import read_meetings
from assistant.graph.calendar_attachments import MAX_SIMPLE_ATTACHMENT, attach_to_event, list_attachments
from assistant.graph.client import GraphClient
from assistant.graph.errors import Forbidden, TooLarge
from assistant.graph.http import PinnedSession
from assistant.sandbox.demo_tenant import READONLY_APP_ID, READONLY_APP_SECRET, demo_projects
from tests.conftest import DEMO_NOW, app_token

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def standup(client, demo_tenant) -> tuple[str, str]:
    """(mailbox, id) of the next Atlas stand-up: an occurrence of a series."""
    mailbox = demo_projects(demo_tenant)["atlas"]["calendar"]
    found = read_meetings(client, mailbox, DEMO_NOW, DEMO_NOW + dt.timedelta(days=2))
    meeting = next(m for m in found if m.subject == "Atlas stand-up")
    assert meeting.series_id is not None
    return mailbox, meeting.id


def _stored(http, sandbox) -> list[dict]:
    return list(http.get(f"{sandbox.url}/_sandbox/attachments").json()["value"])


def test_attach_then_replace_on_a_rerun(client, standup, http, sandbox):
    mailbox, event_id = standup
    first = attach_to_event(client, mailbox, event_id, "2026-03-05 Atlas stand-up agenda.docx", b"PK first", DOCX)
    assert (first.name, first.size, first.replaced) == ("2026-03-05 Atlas stand-up agenda.docx", 8, 0)
    other = attach_to_event(client, mailbox, event_id, "slides.pptx", b"PK slides", "application/octet-stream")

    again = attach_to_event(client, mailbox, event_id, "2026-03-05 ATLAS stand-up agenda.docx", b"PK second!", DOCX)
    assert again.replaced == 1 and again.id != first.id

    attached = list_attachments(client, mailbox, event_id)
    assert sorted((a.name, a.size) for a in attached) == [
        ("2026-03-05 ATLAS stand-up agenda.docx", 10),
        ("slides.pptx", 9),
    ]
    assert {a.id for a in attached} == {again.id, other.id}
    stored = {a["name"]: a for a in _stored(http, sandbox)}
    assert stored["2026-03-05 ATLAS stand-up agenda.docx"]["contentType"] == DOCX
    assert all(a["eventId"] == event_id and a["mailbox"] == mailbox for a in stored.values())
    content = http.get(
        f"{sandbox.url}/v1.0/users/{mailbox}/events/{event_id}/attachments/{again.id}",
        headers={"Authorization": f"Bearer {app_token(sandbox)}"},
    ).json()["contentBytes"]
    assert base64.b64decode(content) == b"PK second!"


def test_without_calendars_readwrite_it_is_forbidden(sandbox, standup, http):
    mailbox, event_id = standup
    token = app_token(sandbox, READONLY_APP_ID, READONLY_APP_SECRET)
    readonly = GraphClient(f"{sandbox.url}/v1.0", lambda: token, PinnedSession(sandbox.ca_bundle))
    with pytest.raises(Forbidden) as caught:
        attach_to_event(readonly, mailbox, event_id, "agenda.docx", b"PK", DOCX)
    assert caught.value.status == 403 and caught.value.code == "ErrorAccessDenied"
    assert _stored(http, sandbox) == []


def test_three_megabytes_are_refused_before_sending(client, standup, exchanges):
    mailbox, event_id = standup
    before = len(exchanges)
    with pytest.raises(TooLarge, match=r"3\.0 MB: .*upload session, which Coordinator does not implement"):
        attach_to_event(client, mailbox, event_id, "huge.docx", b"x" * MAX_SIMPLE_ATTACHMENT, DOCX)
    assert len(exchanges) == before  # nothing was sent
