"""`POST /api/teams/outgoing-webhook`, end to end with the refdata HMAC vector's secret and exact body."""

from __future__ import annotations

import json
import time
from typing import Any

from flask.testing import FlaskClient

from assistant.bot import texts
from assistant.bot.hmac import signature
from assistant.web import outgoing_webhook
from tests.services.test_agenda import files
from tests.web.conftest import VECTOR, WEBHOOK_BODY

BODY = WEBHOOK_BODY
URL = "/api/teams/outgoing-webhook"


def call(web: FlaskClient, body: bytes, authorization: str | None) -> Any:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    return web.post(URL, data=body, headers=headers)


def signed(body: dict[str, Any]) -> tuple[bytes, str]:
    raw = json.dumps(body, separators=(",", ":")).encode()
    return raw, signature(VECTOR["security_token_base64"], raw)


def test_the_refdata_request_is_answered_synchronously(web: FlaskClient, caplog):
    caplog.set_level("INFO", logger="assistant.bot.router")
    answer = call(web, BODY, VECTOR["expected_authorization_header"])
    assert answer.status_code == 200
    reply = answer.get_json()
    # "status plan-42" from a channel no project owns: the answer says how to name the project.
    assert reply["type"] == "message" and "in PROJECT" in reply["text"] and "atlas" in reply["text"]
    assert any("'status' from Megan Bowen" in r.getMessage() for r in caplog.records)


def test_a_tampered_body_or_a_wrong_signature_is_refused(web: FlaskClient):
    tampered = BODY.replace(b"status plan-42", b"status plan-43")
    assert call(web, tampered, VECTOR["expected_authorization_header"]).status_code == 401
    for header in VECTOR["negative_cases"].values():
        assert call(web, BODY, header).status_code == 401
    assert call(web, BODY, None).status_code == 401
    assert call(web, BODY, "Bearer " + VECTOR["expected_authorization_header"][5:]).status_code == 401


def test_a_replayed_request_is_refused(web: FlaskClient):
    assert call(web, BODY, VECTOR["expected_authorization_header"]).status_code == 200
    assert call(web, BODY, VECTOR["expected_authorization_header"]).status_code == 401


def test_status_in_a_project_answers_with_a_card_with_only_open_url_actions(web: FlaskClient, card_schema):
    body = json.loads(BODY)
    body.update(id="1485983408599", text="<at>StatusBot</at> status in atlas")
    raw, header = signed(body)
    reply = call(web, raw, header).get_json()
    [attachment] = reply["attachments"]
    card = attachment["content"]
    card_schema.validate(card)
    assert all(action["type"] == "Action.OpenUrl" for action in card.get("actions", []))


def test_help_drops_submit_buttons_that_cannot_work_here(web: FlaskClient):
    body = json.loads(BODY)
    body.update(id="1485983408600", text="<at>StatusBot</at> help")
    reply = call(web, *signed(body)).get_json()
    assert "actions" not in reply["attachments"][0]["content"]


def test_unknown_command_suggests_the_closest(web: FlaskClient):
    body = json.loads(BODY)
    body.update(id="1485983408601", text="<at>StatusBot</at> stauts")
    text = call(web, *signed(body)).get_json()["text"]
    assert "stauts" in text and "Did you mean “status”?" in text


def test_oversized_and_malformed_bodies(web: FlaskClient):
    big = b'{"text": "' + b"x" * 300_000 + b'"}'
    assert call(web, big, signature(VECTOR["security_token_base64"], big)).status_code == 413
    broken = b'{"type": "message",'
    assert call(web, broken, signature(VECTOR["security_token_base64"], broken)).status_code == 400


def test_agenda_answers_with_the_filed_document_when_it_is_ready_in_time(web: FlaskClient, card_schema):
    body = json.loads(BODY)
    body.update(id="1485983408602", text="<at>StatusBot</at> agenda standup in atlas")
    reply = call(web, *signed(body)).get_json()
    assert reply["text"].endswith(": filed in the channel's files, Meeting documents/Atlas stand-up.")
    card = reply["attachments"][0]["content"]
    card_schema.validate(card)
    assert [a["type"] for a in card["actions"]] == ["Action.OpenUrl", "Action.OpenUrl"]  # the document, the join


def test_a_document_past_the_deadline_is_still_filed_and_the_answer_says_so(
    web: FlaskClient, faults, monkeypatch, http, sandbox
):
    monkeypatch.setattr(outgoing_webhook, "DEADLINE_SECONDS", 1.0)
    faults(latency_ms=300)  # the agenda's first read fits in the deadline, its ~10 round trips of drafting do not
    body = json.loads(BODY)
    body.update(id="1485983408603", text="<at>StatusBot</at> agenda standup in atlas")
    reply = call(web, *signed(body)).get_json()
    assert reply["text"] == texts.WEBHOOK_STILL_FILING
    give_up = time.monotonic() + 30
    while not (filed := files(http, sandbox)) and time.monotonic() < give_up:
        time.sleep(0.1)
    assert [f["path"].rsplit("/", 1)[1] for f in filed] == ["2026-03-04 Atlas stand-up agenda.docx"]
