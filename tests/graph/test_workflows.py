"""Posting a card through a Workflows webhook: the exact envelope, retries only after 429, no secret leaks."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator

import pytest

from assistant.graph.http import PinnedSession
from assistant.graph.retry import RetryPolicy
from assistant.graph.workflows import WorkflowError, post_to_workflow, url_problem, workflow_envelope
from tests.conftest import REFDATA, FakeTime
from tests.workflows_receiver import WorkflowsReceiver, refused_url, running_receiver

CARD = {
    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [{"type": "TextBlock", "text": "Apollo – green", "wrap": True}],
    "actions": [{"type": "Action.OpenUrl", "title": "Report", "url": "https://contoso.sharepoint.com/r.docx"}],
}
SECRET = "TOPSECRETsignature42"


@pytest.fixture
def workflows() -> Iterator[WorkflowsReceiver]:
    yield from running_receiver()


@pytest.fixture
def policy(fake_time: FakeTime) -> RetryPolicy:
    return RetryPolicy(monotonic=fake_time.monotonic, sleep=fake_time.sleep)


def test_the_envelope_is_the_one_workflows_expects(workflows: WorkflowsReceiver, policy):
    answer = post_to_workflow(PinnedSession(), workflows.url, CARD, policy=policy)
    assert answer.status == 202 and answer.host == "127.0.0.1"
    [request] = workflows.received
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["path"].endswith(f"&sig={SECRET}")  # the URL is used exactly as given
    assert json.loads(request["body"]) == {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": CARD}
        ],
    }


def test_the_envelope_matches_the_refdata_example():
    example = (REFDATA / "teams-webhooks/workflows-webhook.request.CONSTRUCTED.txt").read_text()
    start = example.index("\n{")  # the body follows the headers; the first line has braces of its own
    body = json.loads(example[start : example.rindex("}") + 1])
    card = body["attachments"][0]["content"]
    assert workflow_envelope(card) == body


def test_a_429_is_retried_after_retry_after_and_posts_once(workflows: WorkflowsReceiver, policy, fake_time):
    workflows.answer(429, retry_after=2)
    answer = post_to_workflow(PinnedSession(), workflows.url, CARD, policy=policy)
    assert answer.attempts == 2 and len(workflows.received) == 2
    assert fake_time.sleeps == [2.0]


@pytest.mark.parametrize("status", [500, 502, 503, 400, 404])
def test_other_errors_are_not_replayed(workflows: WorkflowsReceiver, policy, status):
    workflows.answer(status)
    with pytest.raises(WorkflowError, match=f"answered {status}") as caught:
        post_to_workflow(PinnedSession(), workflows.url, CARD, policy=policy)
    assert caught.value.status == status and not caught.value.maybe_posted
    assert len(workflows.received) == 1


def test_connection_refused_means_nothing_was_sent(policy):
    with pytest.raises(WorkflowError, match="nothing was sent") as caught:
        post_to_workflow(PinnedSession(), refused_url(), CARD, policy=policy)
    assert not caught.value.maybe_posted


def test_the_signed_url_appears_in_no_message_and_no_log(workflows: WorkflowsReceiver, policy, caplog):
    caplog.set_level(logging.DEBUG, logger="assistant")
    workflows.answer(429, 500)
    with pytest.raises(WorkflowError) as refused:
        post_to_workflow(PinnedSession(), workflows.url, CARD, policy=policy)
    with pytest.raises(WorkflowError) as unreachable:
        post_to_workflow(PinnedSession(), refused_url(), CARD, policy=policy)
    text = " ".join([str(refused.value), str(unreachable.value), caplog.text])
    assert "127.0.0.1" in text
    assert SECRET not in text and "sig=" not in text and "/workflows/" not in text


def test_a_card_over_28_kb_is_refused_before_sending(workflows: WorkflowsReceiver, policy):
    big = {**CARD, "body": [{"type": "TextBlock", "text": "x" * 30_000}]}
    with pytest.raises(WorkflowError, match="at most 28672"):
        post_to_workflow(PinnedSession(), workflows.url, big, policy=policy)
    assert workflows.received == []


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x", True),
        ("https://default0a1b.2c.environment.api.powerplatform.com/powerautomate/automations/direct/x?sig=y", True),
        ("http://127.0.0.1:8080/hook", True),
        ("http://example.com/hook?sig=x", False),
        ("ftp://example.com/x", False),
        ("not a url", False),
    ],
)
def test_url_rules(url, ok):
    problem = url_problem(url)
    assert (problem is None) == ok
    if problem:
        assert not re.search(r"sig=|example\.com", problem)
