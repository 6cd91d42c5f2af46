"""Filing a document in a channel's Files folder and posting a card, against the sandbox over HTTPS."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from assistant.graph.client import Exchange, GraphClient
from assistant.graph.errors import Forbidden
from assistant.graph.http import PinnedSession
from assistant.graph.retry import RetryPolicy
from assistant.graph.teams import ADAPTIVE_CARD, _check_name, card_message, file_in_channel, post_card, safe_name
from assistant.sandbox.demo_tenant import demo_projects
from tests.conftest import REFDATA, FakeTime, delegated_token

CARD = {
    "type": "AdaptiveCard",
    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
    "version": "1.5",
    "body": [{"type": "TextBlock", "text": "Apollo – status: green", "wrap": True}],
}
SERVICE_ACCOUNT = "megan.bowen@contoso.com"


@pytest.fixture
def apollo(demo_tenant):
    return demo_projects(demo_tenant)["apollo"]


@pytest.fixture
def user_client(sandbox, fake_time: FakeTime, exchanges: list[Exchange]) -> GraphClient:
    """A client that sends the service account's delegated token (ChannelMessage.Send)."""
    token = delegated_token(sandbox, SERVICE_ACCOUNT, ["ChannelMessage.Send"])
    policy = RetryPolicy(monotonic=fake_time.monotonic, sleep=fake_time.sleep)
    client = GraphClient(f"{sandbox.url}/v1.0", lambda: token, PinnedSession(sandbox.ca_bundle), policy=policy)
    client.hooks.append(exchanges.append)
    return client


def _files(http, sandbox) -> list[dict]:
    return http.get(f"{sandbox.url}/_sandbox/files").json()["value"]


def _channel_name(sandbox, project) -> str:
    return sandbox.state.channels[(project["team_id"], project["channel_id"])]["displayName"]


def test_a_document_lands_in_the_channel_folder_and_its_link_opens_it(sandbox, http, client, apollo, exchanges):
    name = "Exchange Online migration status 2026-03-04.docx"
    filed = file_in_channel(
        client, apollo["team_id"], apollo["channel_id"], name, b"PK first", subfolder="Status reports"
    )
    assert filed.name == name and not filed.replaced
    [stored] = _files(http, sandbox)
    assert stored["path"] == f"{_channel_name(sandbox, apollo)}/Status reports/{name}"
    assert stored["webUrl"] == filed.web_url
    # What a channel member gets by clicking the link (the sandbox serves the file itself).
    assert http.get(filed.web_url).content == b"PK first"
    # Ids with ':' and '@' and names with spaces travel percent-encoded (GRAPH-FACTS gotcha 9).
    put = next(e for e in exchanges if e.method == "PUT")
    assert "%3A" in exchanges[0].url and "%40" in exchanges[0].url
    assert put.url.endswith(":/Status%20reports/Exchange%20Online%20migration%20status%202026-03-04.docx:/content")


def test_a_second_upload_replaces_the_file(sandbox, http, client, apollo):
    first = file_in_channel(client, apollo["team_id"], apollo["channel_id"], "r.docx", b"one")
    second = file_in_channel(client, apollo["team_id"], apollo["channel_id"], "r.docx", b"two, longer")
    assert second.replaced and second.item_id == first.item_id and second.web_url == first.web_url
    assert [f["size"] for f in _files(http, sandbox)] == [len(b"two, longer")]


def test_names_with_unicode_and_hash_survive(sandbox, http, client, apollo):
    name = "Réunion #3 – 50% done.docx"
    filed = file_in_channel(client, apollo["team_id"], apollo["channel_id"], name, b"x")
    assert filed.name == name
    assert [f["name"] for f in _files(http, sandbox)] == [name]


@pytest.mark.parametrize("name", ["a/b.docx", "what?.docx", "", " lead.docx", "trailing."])
def test_names_sharepoint_refuses_are_refused_before_any_request(client, apollo, exchanges, name):
    with pytest.raises(ValueError, match="not a valid SharePoint"):
        file_in_channel(client, apollo["team_id"], apollo["channel_id"], name, b"x")
    assert exchanges == []


def test_a_nested_subfolder_is_created_part_by_part(sandbox, http, client, apollo):
    folder = "Meeting documents/Apollo sprint review & demo"
    filed = file_in_channel(client, apollo["team_id"], apollo["channel_id"], "agenda.docx", b"x", subfolder=folder)
    [stored] = _files(http, sandbox)
    assert stored["path"] == f"{_channel_name(sandbox, apollo)}/{folder}/agenda.docx"
    assert http.get(filed.web_url).content == b"x"


@pytest.mark.parametrize("subfolder", ["Meeting documents//x", "Meeting documents/..", "a/what?", "/lead", "a/b "])
def test_each_part_of_a_subfolder_is_checked_before_any_request(client, apollo, exchanges, subfolder):
    with pytest.raises(ValueError, match="not a valid SharePoint"):
        file_in_channel(client, apollo["team_id"], apollo["channel_id"], "a.docx", b"x", subfolder=subfolder)
    assert exchanges == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Atlas: stand-up <daily> / ops?", "Atlas - stand-up - daily - ops"),
        ("Review 10:00 ops/security", "Review 10-00 ops-security"),
        ("  R&D   review 🚀. ", "R&D review 🚀"),
        ('"*:<>?/\\|', ""),
    ],
)
def test_safe_name_is_a_name_sharepoint_accepts(text, name):
    assert safe_name(text) == name
    if name:
        _check_name(name)


def test_card_message_has_the_shape_graph_documents():
    """Same keys as the refdata body; content a JSON string; the body references the attachment by id."""
    documented = json.loads((REFDATA / "graph/teams/post-adaptive-card.request-body.CONSTRUCTED.json").read_text())
    built = card_message(CARD, "3f1e2b7c")
    assert built.keys() == documented.keys()
    assert built["attachments"][0].keys() == documented["attachments"][0].keys()
    assert built["body"] == {"contentType": "html", "content": '<attachment id="3f1e2b7c"></attachment>'}
    assert built["attachments"][0]["contentType"] == ADAPTIVE_CARD
    assert json.loads(built["attachments"][0]["content"]) == CARD


def test_a_card_is_posted_with_the_delegated_token(sandbox, http, user_client, apollo, demo_tenant):
    posted = post_card(user_client, apollo["team_id"], apollo["channel_id"], CARD)
    [message] = http.get(f"{sandbox.url}/_sandbox/messages").json()["value"]
    assert message["id"] == posted.id
    attachment = message["attachments"][0]
    assert isinstance(attachment["content"], str) and json.loads(attachment["content"]) == CARD
    assert re.fullmatch(rf'<attachment id="{attachment["id"]}"></attachment>', message["body"]["content"])
    author = next(u for u in demo_tenant["users"] if u["userPrincipalName"] == SERVICE_ACCOUNT)
    assert message["from"]["user"]["id"] == author["id"]
    assert message["channelIdentity"] == {"teamId": apollo["team_id"], "channelId": apollo["channel_id"]}


def test_an_app_only_token_cannot_post(client: GraphClient, apollo):
    with pytest.raises(Forbidden, match="import purposes"):
        post_card(client, apollo["team_id"], apollo["channel_id"], CARD)


def test_a_throttled_post_is_sent_again_once_and_lands_once(
    sandbox, http, user_client, apollo, faults: Callable[..., None], exchanges, fake_time
):
    faults(script=[{"status": 429, "path": "/messages$", "method": "POST", "retry_after": 3}])
    post_card(user_client, apollo["team_id"], apollo["channel_id"], CARD)
    assert [e.status for e in exchanges if e.method == "POST"] == [429, 201]
    assert fake_time.sleeps == [3.0]
    assert len(http.get(f"{sandbox.url}/_sandbox/messages").json()["value"]) == 1
