"""Delivering a status report: document filed, card posted by the first method that can, once per period.

Against the sandbox over HTTPS (Graph) and a loopback Workflows stand-in; the database is SQLite here (the
table itself is tested on both backends in tests/storage/test_deliveries.py).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.domain.project import Project
from assistant.errors import DeliveryError
from assistant.graph.client import Exchange, GraphClient
from assistant.graph.http import PinnedSession
from assistant.graph.retry import RetryPolicy
from assistant.projects import parse_projects
from assistant.sandbox.demo_tenant import demo_projects
from assistant.services.delivery import (
    DeliveryResult,
    ReportDocument,
    channel_filer,
    deliver_status,
    delivery_key,
    status_document_name,
    status_period,
)
from assistant.services.delivery_methods import delivery_methods
from assistant.storage.db import Database
from assistant.storage.deliveries import DeliveryStore
from assistant.storage.migrate import upgrade
from tests.conftest import DEMO_NOW, FakeTime, delegated_token
from tests.workflows_receiver import DROP, WorkflowsReceiver, refused_url, running_receiver

SERVICE_ACCOUNT = "megan.bowen@contoso.com"
PERIOD = "2026-02-26..2026-03-04"
KEY = delivery_key("apollo", "status", PERIOD)
DOCX = b"PK\x03\x04 a small stand-in for the Word report"
NAME = "Exchange Online migration status 2026-03-04.docx"
SECRET = "TOPSECRETsignature42"
CARD_URL = "https://contoso.sharepoint.com/sites/IT/Shared%20Documents/r.docx"


def make_card(report_url: str) -> dict[str, Any]:
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": "Apollo – status green", "wrap": True}],
        "actions": [{"type": "Action.OpenUrl", "title": "Open the report", "url": report_url}],
    }


@pytest.fixture
def workflows() -> Iterator[WorkflowsReceiver]:
    yield from running_receiver()


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'coordinator.db'}"
    upgrade(url)
    database = Database.from_url(url)
    yield database
    database.dispose()


@pytest.fixture
def store(database: Database) -> DeliveryStore:
    return DeliveryStore(database)


@pytest.fixture
def policy(fake_time: FakeTime) -> RetryPolicy:
    return RetryPolicy(monotonic=fake_time.monotonic, sleep=fake_time.sleep)


@pytest.fixture
def user_client(sandbox, policy: RetryPolicy, exchanges: list[Exchange]) -> GraphClient:
    token = delegated_token(sandbox, SERVICE_ACCOUNT, ["ChannelMessage.Send"])
    client = GraphClient(f"{sandbox.url}/v1.0", lambda: token, PinnedSession(sandbox.ca_bundle), policy=policy)
    client.hooks.append(exchanges.append)
    return client


def project_with(demo_tenant: dict, **delivery: Any) -> Project:
    """Apollo from the demo tenant, with delivery settings as they would be written in the projects file."""
    table = {**demo_projects(demo_tenant)["apollo"], **delivery}
    return parse_projects({"projects": {"apollo": table}}, source="test")["apollo"]


@pytest.fixture
def deliver(store, client, user_client, demo_tenant, policy) -> Callable[..., DeliveryResult]:
    """`deliver(workflows_url=..., delivery=[...], force=..., graph=client)`: one run of `deliver_status`."""

    def run(
        *, force: bool = False, graph: GraphClient | None = None, card=make_card, **delivery: Any
    ) -> DeliveryResult:
        project = project_with(demo_tenant, **delivery)
        methods = delivery_methods(
            project, session=PinnedSession(), graph_client=lambda: graph or user_client, policy=policy
        )
        return deliver_status(
            store,
            project,
            period=PERIOD,
            document=ReportDocument(NAME, DOCX),
            make_card=card,
            file_document=channel_filer(client, project),
            methods=methods,
            clock=lambda: DEMO_NOW,
            force=force,
        )

    return run


def _messages(http, sandbox) -> list[dict]:
    return http.get(f"{sandbox.url}/_sandbox/messages").json()["value"]


def _files(http, sandbox) -> list[dict]:
    return http.get(f"{sandbox.url}/_sandbox/files").json()["value"]


def _card_of(message: dict) -> dict:
    attachment = message["attachments"][0]
    assert isinstance(attachment["content"], str)  # Graph wants the card as a JSON string
    assert f'<attachment id="{attachment["id"]}"></attachment>' in message["body"]["content"]
    return dict(json.loads(attachment["content"]))


def test_graph_posts_the_card_that_links_the_filed_document(sandbox, http, deliver, store):
    result = deliver()
    assert result.posted
    [message] = _messages(http, sandbox)
    [filed] = _files(http, sandbox)
    assert filed["path"].endswith(f"/Status reports/{NAME}")
    link = _card_of(message)["actions"][0]["url"]
    assert link == filed["webUrl"]
    assert http.get(link).content == DOCX  # the link opens the report
    record = store.get(KEY)
    assert record is not None
    assert (record.status, record.method, record.message_id, record.document_url) == (
        "delivered", "graph", message["id"], link,
    )  # fmt: skip
    assert [(a["step"], a["method"], a["outcome"]) for a in record.attempts] == [
        ("document", None, "filed"),
        ("card", "graph", "delivered"),
    ]
    assert message["id"] in result.summary and link in result.summary


def test_running_twice_posts_once(sandbox, http, deliver, exchanges):
    deliver()
    posts_before = len([e for e in exchanges if e.method == "POST"])
    again = deliver()
    assert not again.posted and "already delivered" in again.summary and "--force" in again.summary
    assert len(_messages(http, sandbox)) == 1 and len(_files(http, sandbox)) == 1
    assert len([e for e in exchanges if e.method == "POST"]) == posts_before


def test_force_posts_again_and_replaces_the_document(sandbox, http, deliver, store):
    deliver()
    forced = deliver(force=True)
    assert forced.posted and forced.record.run == 2
    assert len(_messages(http, sandbox)) == 2 and len(_files(http, sandbox)) == 1
    assert [a["run"] for a in forced.record.attempts] == [1, 1, 2, 2]
    assert "replaced" in forced.record.attempts[2]["detail"]


def test_workflows_alone_delivers_the_envelope_with_the_linked_card(sandbox, http, deliver, workflows, store):
    result = deliver(workflows_url=workflows.url, delivery=["workflows"])
    [request] = workflows.received
    envelope = json.loads(request["body"])
    [filed] = _files(http, sandbox)
    assert envelope == {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": make_card(filed["webUrl"]),  # an object here, not a string
            }
        ],
    }
    assert _messages(http, sandbox) == []
    assert (result.record.status, result.record.method, result.record.message_id) == ("delivered", "workflows", None)
    assert "202" in result.summary


@pytest.mark.parametrize("failure", ["500", "refused"])
def test_workflows_first_then_graph_when_workflows_fails(sandbox, http, deliver, workflows, failure):
    if failure == "500":
        workflows.answer(500)
        url = workflows.url
    else:
        url = refused_url()
    result = deliver(workflows_url=url)  # default order with a URL: workflows, then graph
    assert result.posted and result.record.method == "graph"
    assert len(_messages(http, sandbox)) == 1
    outcomes = [(a["method"], a["outcome"]) for a in result.record.attempts if a["step"] == "card"]
    assert outcomes == [("workflows", "failed"), ("graph", "delivered")]


def test_no_fallback_when_workflows_may_have_posted(sandbox, http, deliver, workflows, store):
    workflows.answer(DROP)
    with pytest.raises(DeliveryError, match="MAY OR MAY NOT have been posted") as caught:
        deliver(workflows_url=workflows.url)
    assert caught.value.status == "unknown"
    assert _messages(http, sandbox) == []  # graph was not tried: it could have doubled the card
    assert len(workflows.received) == 1
    assert store.get(KEY).status == "unknown"  # type: ignore[union-attr]


def test_a_throttled_graph_post_is_retried_once_and_posts_once(sandbox, http, deliver, faults, exchanges, fake_time):
    faults(script=[{"status": 429, "path": "/messages$", "method": "POST", "retry_after": 2}])
    result = deliver()
    assert result.posted
    assert [e.status for e in exchanges if e.method == "POST"] == [429, 201]
    assert fake_time.sleeps == [2.0] and len(_messages(http, sandbox)) == 1


def test_a_dropped_post_is_not_replayed_and_the_record_says_unknown(sandbox, http, deliver, faults, exchanges, store):
    faults(script=[{"status": "drop", "path": "/messages$", "method": "POST"}])
    with pytest.raises(DeliveryError, match="MAY OR MAY NOT have been posted") as caught:
        deliver()
    assert caught.value.status == "unknown" and "--force" in str(caught.value)
    assert [e.status for e in exchanges if e.method == "POST"] == [None]  # sent once, never again
    record = store.get(KEY)
    assert record is not None and record.status == "unknown" and record.document_url
    assert record.attempts[-1]["outcome"] == "unknown" and record.attempts[-1]["method"] == "graph"
    # A plain re-run does not guess: it refuses and posts nothing; --force posts.
    with pytest.raises(DeliveryError, match="may have posted the card"):
        deliver()
    assert _messages(http, sandbox) == []
    assert deliver(force=True).posted and len(_messages(http, sandbox)) == 1


def test_an_app_only_token_gets_a_clear_message_and_the_record_says_partial(sandbox, http, deliver, client, store):
    with pytest.raises(DeliveryError) as caught:
        deliver(graph=client)  # the app-only client in place of the service account's
    message = str(caught.value)
    assert "403" in message and "coordinator login" in message and "card NOT posted" in message
    record = store.get(KEY)
    assert record is not None and record.status == "partial"
    assert record.document_url and record.document_url in message  # the document did arrive
    assert [a["outcome"] for a in record.attempts] == ["filed", "failed"]
    # Nothing was posted, so a plain re-run tries again (and here succeeds with the right token).
    assert deliver().posted and store.get(KEY).run == 2  # type: ignore[union-attr]


def test_a_failed_upload_posts_nothing_and_says_so(sandbox, http, deliver, faults, store, workflows):
    faults(script=[{"status": 500, "path": "/content$", "method": "PUT"}])
    with pytest.raises(DeliveryError, match="document was not filed.*card not posted") as caught:
        deliver(workflows_url=workflows.url)
    assert caught.value.status == "failed"
    assert workflows.received == [] and _messages(http, sandbox) == []
    record = store.get(KEY)
    assert record is not None and record.status == "failed" and record.document_url is None
    assert deliver(workflows_url=workflows.url).posted  # the next run retries without --force


def test_a_run_in_progress_blocks_a_second_one_until_forced(sandbox, http, deliver, store):
    store.claim(KEY, project="apollo", report="status", period=PERIOD, now=DEMO_NOW)  # another run holds it
    with pytest.raises(DeliveryError, match="another run .* since 2026-03-04 07:00 UTC") as caught:
        deliver()
    assert caught.value.status == "pending" and _messages(http, sandbox) == [] and _files(http, sandbox) == []
    assert deliver(force=True).posted


def test_an_interrupted_run_still_finishes_its_record(sandbox, http, deliver, store):
    def broken_card(report_url: str) -> dict[str, Any]:
        raise RuntimeError("card template bug")

    with pytest.raises(RuntimeError, match="card template bug"):
        deliver(card=broken_card)
    record = store.get(KEY)
    assert record is not None and record.status == "partial"
    assert record.error == "interrupted by RuntimeError while preparing the card; document filed, card not posted"
    assert deliver().posted  # partial: the next run may try again


def test_the_workflows_url_is_in_no_record_log_or_repr(sandbox, deliver, workflows, store, demo_tenant, caplog):
    caplog.set_level(logging.DEBUG)
    workflows.answer(500)
    deliver(workflows_url=workflows.url)
    record = store.get(KEY)
    stored = json.dumps(dataclasses.asdict(record), default=str)  # type: ignore[arg-type]
    shown = repr(project_with(demo_tenant, workflows_url=workflows.url))
    assert "sig=<hidden>" in caplog.text  # urllib3's DEBUG request line, masked
    for text in (stored, caplog.text, shown):
        assert SECRET not in text and not re.search(r"sig=(?!<hidden>)", text)
    assert "127.0.0.1" in stored  # the host is named, so a person knows which webhook failed


def test_a_status_reports_key_and_file_name(demo_report):
    report = demo_report("apollo")
    assert status_period(report) == f"{report.period_start.isoformat()}..{report.period_end.isoformat()}"
    assert status_document_name(report) == f"{report.project.name} status {report.period_end.isoformat()}.docx"
    odd = dataclasses.replace(report, project=dataclasses.replace(report.project, name='R&D: "EMEA/APAC"?'))
    assert status_document_name(odd) == f"R&D- -EMEA-APAC- status {report.period_end.isoformat()}.docx"
