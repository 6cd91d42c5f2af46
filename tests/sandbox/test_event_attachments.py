"""File attachments on Outlook events as Graph serves them: add (under 3 MB), list, get, delete, permissions."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

import pytest

from assistant.sandbox.demo_tenant import READONLY_APP_ID, READONLY_APP_SECRET, demo_projects
from tests.conftest import app_token

WEEK = {"startDateTime": "2026-03-02T00:00:00Z", "endDateTime": "2026-03-09T00:00:00Z", "$top": "200"}
MENU = base64.b64encode(b"mac and cheese today").decode()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def mailbox(demo_tenant: dict) -> str:
    return str(demo_projects(demo_tenant)["atlas"]["calendar"])


def _events(http, graph, token, mailbox) -> list[dict[str, Any]]:
    response = http.get(f"{graph}/users/{mailbox}/calendarView", params=WEEK, headers=_auth(token))
    assert response.status_code == 200
    return list(response.json()["value"])


def _url(graph: str, mailbox: str, event_id: str, *rest: str) -> str:
    return "/".join([f"{graph}/users/{mailbox}/events/{quote(event_id, safe='')}/attachments", *rest])


def _add(http, graph, token, mailbox, event_id, **body):
    payload = {"@odata.type": "#microsoft.graph.fileAttachment", "name": "menu.txt", "contentBytes": MENU, **body}
    return http.post(_url(graph, mailbox, event_id), json=payload, headers=_auth(token))


def test_add_returns_201_and_the_attachment_as_graph_does(http, graph, token, mailbox):
    event = next(e for e in _events(http, graph, token, mailbox) if e["type"] == "singleInstance")
    assert event["hasAttachments"] is False

    created = _add(http, graph, token, mailbox, event["id"])
    assert created.status_code == 201
    body = created.json()
    assert body["@odata.context"].endswith("/attachments/$entity")
    assert body["@odata.type"] == "#microsoft.graph.fileAttachment"
    assert {k: body[k] for k in ("name", "contentType", "size", "isInline", "contentId", "contentLocation")} == {
        "name": "menu.txt",
        "contentType": "text/plain",  # not sent: inferred from the name, as in the docs' example
        "size": 20,
        "isInline": False,
        "contentId": None,
        "contentLocation": None,
    }
    assert body["contentBytes"] == MENU and body["id"] and body["lastModifiedDateTime"].endswith("Z")

    again = http.get(f"{graph}/users/{mailbox}/events/{quote(event['id'], safe='')}", headers=_auth(token)).json()
    assert again["hasAttachments"] is True and again["@odata.etag"] != event["@odata.etag"]


def test_list_get_and_delete(http, graph, token, mailbox, sandbox):
    event = next(e for e in _events(http, graph, token, mailbox) if e["type"] == "singleInstance")
    first = _add(http, graph, token, mailbox, event["id"]).json()
    second = _add(http, graph, token, mailbox, event["id"], name="notes.docx", contentType="application/x-docx").json()

    listed = http.get(_url(graph, mailbox, event["id"]), headers=_auth(token)).json()
    assert [a["name"] for a in listed["value"]] == ["menu.txt", "notes.docx"]
    assert listed["value"][0]["contentBytes"] == MENU  # file attachments are listed with their bytes
    slim = http.get(_url(graph, mailbox, event["id"]), params={"$select": "name"}, headers=_auth(token)).json()
    assert slim["value"][0] == {"@odata.type": "#microsoft.graph.fileAttachment", "id": first["id"], "name": "menu.txt"}

    one = http.get(_url(graph, mailbox, event["id"], quote(second["id"], safe="")), headers=_auth(token))
    assert one.status_code == 200 and one.json()["contentType"] == "application/x-docx"
    recorded = http.get(f"{sandbox.url}/_sandbox/attachments").json()["value"]
    assert [(a["mailbox"], a["eventId"], a["name"]) for a in recorded] == [
        (mailbox, event["id"], "menu.txt"),
        (mailbox, event["id"], "notes.docx"),
    ]

    for attachment in (first, second):
        gone = http.delete(_url(graph, mailbox, event["id"], quote(attachment["id"], safe="")), headers=_auth(token))
        assert gone.status_code == 204 and gone.content == b""
    missing = http.get(_url(graph, mailbox, event["id"], quote(first["id"], safe="")), headers=_auth(token))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "ErrorItemNotFound"
    assert http.get(_url(graph, mailbox, event["id"]), headers=_auth(token)).json()["value"] == []
    after = http.get(f"{graph}/users/{mailbox}/events/{quote(event['id'], safe='')}", headers=_auth(token)).json()
    assert after["hasAttachments"] is False


def test_attaching_to_an_occurrence_makes_it_an_exception_of_its_series(http, graph, token, mailbox):
    events = _events(http, graph, token, mailbox)
    occurrence = next(e for e in events if e["type"] == "occurrence")
    siblings = [e["id"] for e in events if e.get("seriesMasterId") == occurrence["seriesMasterId"]]

    assert _add(http, graph, token, mailbox, occurrence["id"]).status_code == 201

    after = {e["id"]: e for e in _events(http, graph, token, mailbox)}
    assert after[occurrence["id"]]["type"] == "exception" and after[occurrence["id"]]["hasAttachments"] is True
    assert after[occurrence["id"]]["start"] == occurrence["start"]  # same time, same id
    assert all(not after[i]["hasAttachments"] for i in siblings if i != occurrence["id"])
    others = [i for i in siblings if i != occurrence["id"]]
    assert http.get(_url(graph, mailbox, others[0]), headers=_auth(token)).json()["value"] == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"@odata.type": None}, "@odata.type"),
        ({"contentBytes": None}, "contentBytes"),
        ({"contentBytes": "not base64!"}, "base64"),
        ({"name": ""}, "name"),
        ({"@odata.type": "#microsoft.graph.referenceAttachment"}, "fileAttachment"),
    ],
)
def test_malformed_attachments_are_400(http, graph, token, mailbox, body, problem):
    event = _events(http, graph, token, mailbox)[0]
    payload = {k: v for k, v in body.items() if v is not None}
    dropped = {k: v for k, v in {"@odata.type": "#microsoft.graph.fileAttachment", "name": "a.txt",
                                  "contentBytes": MENU}.items() if k not in body}  # fmt: skip
    response = http.post(_url(graph, mailbox, event["id"]), json={**dropped, **payload}, headers=_auth(token))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "BadRequest" and problem in error["message"] and error["innerError"]["request-id"]


def test_three_megabytes_or_more_needs_an_upload_session(http, graph, token, mailbox):
    event = _events(http, graph, token, mailbox)[0]
    big = base64.b64encode(b"x" * (3 * 1024 * 1024)).decode()
    response = _add(http, graph, token, mailbox, event["id"], contentBytes=big)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Maximum request length exceeded."
    just_under = base64.b64encode(b"x" * (3 * 1024 * 1024 - 1)).decode()
    assert _add(http, graph, token, mailbox, event["id"], contentBytes=just_under).status_code == 201


def test_writing_needs_calendars_readwrite_reading_calendars_read(http, graph, token, mailbox, sandbox):
    event = _events(http, graph, token, mailbox)[0]
    created = _add(http, graph, token, mailbox, event["id"]).json()
    readonly = app_token(sandbox, READONLY_APP_ID, READONLY_APP_SECRET)  # Calendars.Read, User.Read.All

    refused = _add(http, graph, readonly, mailbox, event["id"])
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "ErrorAccessDenied"
    url = _url(graph, mailbox, event["id"], quote(created["id"], safe=""))
    assert http.delete(url, headers=_auth(readonly)).status_code == 403
    assert http.get(url, headers=_auth(readonly)).status_code == 200
    assert len(http.get(_url(graph, mailbox, event["id"]), headers=_auth(readonly)).json()["value"]) == 1


def test_an_unknown_event_is_404(http, graph, token, mailbox):
    response = _add(http, graph, token, mailbox, "AAMkNoSuchEvent")
    assert response.status_code == 404 and response.json()["error"]["code"] == "ErrorItemNotFound"
