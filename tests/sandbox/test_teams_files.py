"""Channel messages (delegated only), card attachments, the channel's files folder, uploads and links."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from assistant.sandbox.demo_tenant import demo_projects
from tests.conftest import delegated_token

CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Status: green"}]}


@pytest.fixture
def apollo(demo_tenant):
    return demo_projects(demo_tenant)["apollo"]


@pytest.fixture
def user_token(sandbox):
    return delegated_token(sandbox, "megan.bowen@contoso.com", ["ChannelMessage.Send"])


def _messages_url(graph, project):
    return f"{graph}/teams/{project['team_id']}/channels/{quote(project['channel_id'], safe='')}/messages"


def test_app_only_token_cannot_post_to_a_channel(http, graph, token, apollo):
    response = http.post(
        _messages_url(graph, apollo), json={"body": {"content": "hi"}}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403
    assert "application-only context only for import purposes" in response.json()["error"]["message"]


def test_delegated_post_with_an_adaptive_card(sandbox, http, graph, user_token, apollo):
    payload = {
        "body": {"contentType": "html", "content": '<attachment id="card1"></attachment>'},
        "attachments": [
            {"id": "card1", "contentType": "application/vnd.microsoft.card.adaptive", "content": json.dumps(CARD)}
        ],
    }
    response = http.post(_messages_url(graph, apollo), json=payload, headers={"Authorization": f"Bearer {user_token}"})
    assert response.status_code == 201
    message = response.json()
    assert message["from"]["user"]["displayName"] == "Megan Bowen"
    assert isinstance(message["attachments"][0]["content"], str)
    assert message["channelIdentity"]["channelId"] == apollo["channel_id"]
    posted = http.get(f"{sandbox.url}/_sandbox/messages").json()["value"]
    assert [m["id"] for m in posted] == [message["id"]]


@pytest.mark.parametrize(
    "payload",
    [
        {"body": {"contentType": "html", "content": '<attachment id="x"></attachment>'},
         "attachments": [{"id": "x", "contentType": "application/vnd.microsoft.card.adaptive", "content": CARD}]},
        {"body": {"contentType": "html", "content": "no reference"},
         "attachments": [{"id": "x", "contentType": "application/vnd.microsoft.card.adaptive", "content": "{}"}]},
        {"body": {"content": "x" * 30_000}},
        {"subject": "no body"},
    ],
    ids=["card-content-as-object", "unreferenced-attachment", "over-28KB", "missing-body"],
)  # fmt: skip
def test_malformed_messages_are_refused(http, graph, user_token, apollo, payload):
    response = http.post(_messages_url(graph, apollo), json=payload, headers={"Authorization": f"Bearer {user_token}"})
    assert response.status_code in (400, 413)
    assert response.json()["error"]["message"]


def test_upload_to_channel_folder_then_share_and_download(sandbox, http, graph, token, apollo):
    auth = {"Authorization": f"Bearer {token}"}
    folder = http.get(
        f"{graph}/teams/{apollo['team_id']}/channels/{quote(apollo['channel_id'], safe='')}/filesFolder", headers=auth
    ).json()
    drive = folder["parentReference"]["driveId"]
    assert folder["folder"]["childCount"] == 0
    name = quote("Meeting documents/Stand-up/2026-03-04 Agenda.docx")
    url = f"{graph}/drives/{drive}/items/{folder['id']}:/{name}:/content"
    created = http.put(url, data=b"first", headers=auth)
    assert created.status_code == 201
    replaced = http.put(url, data=b"second version", headers=auth)
    assert replaced.status_code == 200 and replaced.json()["id"] == created.json()["id"]
    assert replaced.json()["size"] == len(b"second version")
    link = http.post(
        f"{graph}/drives/{drive}/items/{created.json()['id']}/createLink",
        json={"type": "view", "scope": "organization"},
        headers=auth,
    )
    assert link.status_code == 201 and link.json()["link"]["type"] == "view"
    download = http.get(
        f"{graph}/drives/{drive}/items/{created.json()['id']}/content", headers=auth, allow_redirects=False
    )
    assert download.status_code == 302
    assert http.get(download.headers["Location"]).content == b"second version"
    assert http.get(link.json()["link"]["webUrl"]).content == b"second version"
    files = http.get(f"{sandbox.url}/_sandbox/files").json()["value"]
    assert [f["path"] for f in files] == [
        f"{apollo_channel_name(sandbox, apollo)}/Meeting documents/Stand-up/2026-03-04 Agenda.docx"
    ]


def apollo_channel_name(sandbox, apollo):
    return sandbox.state.channels[(apollo["team_id"], apollo["channel_id"])]["displayName"]


def test_conflict_behavior_fail(http, graph, token, apollo):
    auth = {"Authorization": f"Bearer {token}"}
    folder = http.get(
        f"{graph}/teams/{apollo['team_id']}/channels/{quote(apollo['channel_id'], safe='')}/filesFolder", headers=auth
    ).json()
    url = f"{graph}/drives/{folder['parentReference']['driveId']}/items/{folder['id']}:/a.txt:/content"
    assert http.put(url, data=b"1", headers=auth).status_code == 201
    again = http.put(url + "?@microsoft.graph.conflictBehavior=fail", data=b"2", headers=auth)
    assert again.status_code == 409
