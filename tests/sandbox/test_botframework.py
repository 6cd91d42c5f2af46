"""The Bot Framework side of the sandbox: the channel's token issuer (metadata, keys, tokens checked with PyJWT the
way a bot checks them), the Bot Connector (auth, recording, card shape, proactive threads, updates) and
`coordinator sandbox say` against a small stand-in bot on loopback."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import jwt
import pytest
import requests

from assistant.cli import main
from assistant.graph.http import PinnedSession
from assistant.sandbox.demo_tenant import (
    DEMO_APP_SECRET,
    DEMO_BOT_APP_ID,
    READONLY_APP_ID,
    READONLY_APP_SECRET,
    demo_projects,
)
from assistant.sandbox.server import SandboxServer
from assistant.sandbox.tenant import TenantFileError, validate_tenant
from tests.conftest import app_token

BOT_SCOPE = "https://api.botframework.com/.default"
CARD = "application/vnd.microsoft.card.adaptive"


def bot_token(server: SandboxServer, app_id: str = DEMO_BOT_APP_ID, secret: str = DEMO_APP_SECRET) -> str:
    """What a single-tenant bot does: client credentials at its tenant's authority, for the Bot Framework scope."""
    return app_token(server, app_id, secret, scope=BOT_SCOPE)


def verify_channel_token(http: PinnedSession, metadata_url: str, token: str, app_id: str) -> dict[str, Any]:
    """A bot's checks (GRAPH-FACTS 4.3): key from the metadata's JWKS, issuer, audience, lifetime with 5 min skew."""
    metadata = http.get(metadata_url).json()
    keys = jwt.PyJWKSet.from_dict(http.get(metadata["jwks_uri"]).json())
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in keys.keys if k.key_id == kid)
    return dict(
        jwt.decode(
            token,
            key,
            algorithms=metadata["id_token_signing_alg_values_supported"],
            issuer=metadata["issuer"],
            audience=app_id,
            leeway=300,
            options={"require": ["exp", "nbf", "iss", "aud", "serviceurl"]},
        )
    )


@pytest.fixture
def real_clock(sandbox: SandboxServer, http: PinnedSession) -> SandboxServer:
    """Channel tokens are checked by PyJWT against the machine's clock, as a bot would; the fixture resets it."""
    http.put(f"{sandbox.url}/_sandbox/clock", json={"real": True}).raise_for_status()
    return sandbox


@pytest.fixture
def channel(demo_tenant: dict) -> str:
    return str(demo_projects(demo_tenant)["apollo"]["channel_id"])


def _thread(channel: str, message_id: str = "1772607600000") -> str:
    return f"{channel};messageid={message_id}"


def _post(http: PinnedSession, url: str, body: dict[str, Any], token: str | None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return http.post(url, json=body, headers=headers)


def _activities(http: PinnedSession, sandbox: SandboxServer) -> list[dict[str, Any]]:
    return list(http.get(f"{sandbox.url}/_sandbox/bot/activities").json()["value"])


# ------------------------------------------------------------------------------------------ issuer


def test_openid_metadata_and_keys_have_the_shape_of_login_botframework_com(sandbox, http) -> None:
    metadata = http.get(sandbox.bot_openid_metadata_url).json()
    assert metadata["issuer"] == "https://api.botframework.com"
    assert metadata["jwks_uri"] == f"{sandbox.url}/botframework/v1/.well-known/keys"
    assert metadata["id_token_signing_alg_values_supported"] == ["RS256"]
    keys = http.get(metadata["jwks_uri"]).json()["keys"]
    assert len(keys) == 1
    key = keys[0]
    assert {"kty": key["kty"], "use": key["use"], "e": key["e"]} == {"kty": "RSA", "use": "sig", "e": "AQAB"}
    assert key["endorsements"] == ["msteams"] and key["kid"] == key["x5t"] and len(key["x5c"]) == 1
    entra_keys = http.get(f"{sandbox.url}/{sandbox.state.tenant_id}/discovery/v2.0/keys").json()["keys"]
    assert key["n"] not in {k["n"] for k in entra_keys}  # the channel signs with a key of its own


def test_a_minted_channel_token_verifies_against_the_published_keys(real_clock, http) -> None:
    minted = http.post(f"{real_clock.url}/_sandbox/bot/token", json={}).json()
    claims = verify_channel_token(http, real_clock.bot_openid_metadata_url, minted["token"], DEMO_BOT_APP_ID)
    assert claims["aud"] == DEMO_BOT_APP_ID == minted["appId"]
    assert claims["serviceurl"] == real_clock.connector_url == minted["serviceUrl"]
    assert claims["exp"] - claims["nbf"] == 3600


@pytest.mark.parametrize(
    ("problem", "error"),
    [
        ("expired", jwt.ExpiredSignatureError),
        ("not-yet-valid", jwt.ImmatureSignatureError),
        ("wrong-audience", jwt.InvalidAudienceError),
        ("wrong-issuer", jwt.InvalidIssuerError),
        ("wrong-key", jwt.InvalidSignatureError),
        ("no-serviceurl", jwt.MissingRequiredClaimError),
    ],
)
def test_bad_channel_tokens_fail_for_their_reason(real_clock, http, problem: str, error: type[Exception]) -> None:
    token = http.post(f"{real_clock.url}/_sandbox/bot/token", json={"problem": problem}).json()["token"]
    with pytest.raises(error):
        verify_channel_token(http, real_clock.bot_openid_metadata_url, token, DEMO_BOT_APP_ID)


def test_an_unknown_token_problem_is_refused(sandbox, http) -> None:
    response = http.post(f"{sandbox.url}/_sandbox/bot/token", json={"problem": "slightly-off"})
    assert response.status_code == 400 and "expired" in response.json()["error"]


# ------------------------------------------------------------------------------------------ connector auth


def test_the_connector_wants_a_bot_framework_token_of_a_registered_bot(sandbox, http, channel) -> None:
    url = f"{sandbox.url}/botconnector/v3/conversations/{quote(_thread(channel))}/activities"
    hello = {"type": "message", "text": "hello"}
    denied = {"message": "Authorization has been denied for this request."}
    assert _post(http, url, hello, None).json() == denied
    assert _post(http, url, hello, app_token(sandbox)).status_code == 401  # a Graph token: wrong audience
    readonly = bot_token(sandbox, READONLY_APP_ID, READONLY_APP_SECRET)
    assert _post(http, url, hello, readonly).status_code == 401  # right audience, but that app is no bot
    assert _post(http, url, hello, bot_token(sandbox)).status_code == 201
    assert _activities(http, sandbox)[0]["appId"] == DEMO_BOT_APP_ID


def test_graph_refuses_a_bot_framework_token(sandbox, http) -> None:
    response = http.get(f"{sandbox.url}/v1.0/users", headers={"Authorization": f"Bearer {bot_token(sandbox)}"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "InvalidAuthenticationToken"


def test_bot_framework_tokens_carry_no_graph_roles(sandbox) -> None:
    claims = jwt.decode(bot_token(sandbox), options={"verify_signature": False})
    assert claims["aud"] == "https://api.botframework.com" and "roles" not in claims


def test_unknown_channel_is_not_found(sandbox, http) -> None:
    url = f"{sandbox.url}/botconnector/v3/conversations/{quote('19:nope@thread.tacv2')}/activities"
    response = _post(http, url, {"type": "message", "text": "hi"}, bot_token(sandbox))
    assert response.status_code == 404 and response.json()["error"]["code"] == "ConversationNotFound"


# ------------------------------------------------------------------------------------------ recording


def test_a_reply_is_recorded_and_reset_clears_it(sandbox, http, channel) -> None:
    thread = _thread(channel)
    url = f"{sandbox.url}/botconnector/v3/conversations/{quote(thread)}/activities/1772607600000"
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Apollo: green"}]}
    reply = {"type": "message", "text": "Here you go", "attachments": [{"contentType": CARD, "content": card}]}
    response = _post(http, url, reply, bot_token(sandbox))
    assert response.status_code == 201 and response.json()["id"].isdigit()
    [recorded] = _activities(http, sandbox)
    assert recorded["conversationId"] == thread and recorded["replyToId"] == "1772607600000"
    assert recorded["operation"] == "reply" and recorded["text"] == "Here you go"
    assert recorded["attachments"][0]["content"] == card
    assert http.get(f"{sandbox.url}/_sandbox/bot/activities", params={"conversationId": channel}).json()["value"]
    http.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()
    assert _activities(http, sandbox) == []


def test_an_adaptive_card_given_as_a_string_is_refused(sandbox, http, channel) -> None:
    url = f"{sandbox.url}/botconnector/v3/conversations/{quote(_thread(channel))}/activities"
    card = json.dumps({"type": "AdaptiveCard", "version": "1.5", "body": []})  # Graph's shape, not the connector's
    response = _post(http, url, {"type": "message", "attachments": [{"contentType": CARD, "content": card}]},
                     bot_token(sandbox))  # fmt: skip
    assert response.status_code == 400 and response.json()["error"]["code"] == "BadSyntax"
    assert _activities(http, sandbox) == []


def test_create_a_channel_thread_then_update_its_card(sandbox, http, channel) -> None:
    token = bot_token(sandbox)
    first = {"type": "message", "attachments": [{"contentType": CARD, "content": {"type": "AdaptiveCard", "version": "1.5", "body": []}}]}  # fmt: skip
    body = {"isGroup": True, "channelData": {"channel": {"id": channel}}, "activity": first}
    created = _post(http, f"{sandbox.url}/botconnector/v3/conversations", body, token)
    assert created.status_code == 201
    thread, activity_id = created.json()["id"], created.json()["activityId"]
    assert thread == _thread(channel, activity_id)
    url = f"{sandbox.url}/botconnector/v3/conversations/{quote(thread)}/activities/{activity_id}"
    updated = http.put(url, json={**first, "id": activity_id}, headers={"Authorization": f"Bearer {token}"})
    assert updated.status_code == 200 and updated.json() == {"id": activity_id}
    assert [a["operation"] for a in _activities(http, sandbox)] == ["createConversation", "update"]
    missing = http.put(url[: -len(activity_id)] + "1", json=first, headers={"Authorization": f"Bearer {token}"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "ActivityNotFoundInConversation"


def test_create_conversation_needs_a_channel(sandbox, http) -> None:
    response = _post(http, f"{sandbox.url}/botconnector/v3/conversations", {"isGroup": True}, bot_token(sandbox))
    assert response.status_code == 400 and response.json()["error"]["code"] == "BadArgument"


def test_a_bot_must_reference_an_application_and_teams(demo_tenant: dict) -> None:
    tenant = {**demo_tenant, "bots": [{"appId": "no-such-app", "name": "X", "teams": []}]}
    with pytest.raises(TenantFileError, match=r"\$\.bots\[0\]\.appId"):
        validate_tenant(tenant)
    tenant = {**demo_tenant, "bots": [{"appId": DEMO_BOT_APP_ID, "name": "X", "teams": ["no-such-team"]}]}
    with pytest.raises(TenantFileError, match=r"\$\.bots\[0\]\.teams"):
        validate_tenant(tenant)


# ------------------------------------------------------------------------------------------ say


class StandInBot:
    """A bot on 127.0.0.1 that checks the channel token like a real one and replies through the Bot Connector."""

    def __init__(self, sandbox: SandboxServer) -> None:
        self.sandbox = sandbox
        self.http = PinnedSession(sandbox.ca_bundle)
        self.received: list[dict[str, Any]] = []
        bot = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                activity = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status = bot.handle(activity, self.headers.get("Authorization", ""))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/messages"

    def handle(self, activity: dict[str, Any], authorization: str) -> int:
        self.received.append(activity)
        try:
            claims = verify_channel_token(
                self.http, self.sandbox.bot_openid_metadata_url, authorization.removeprefix("Bearer "), DEMO_BOT_APP_ID
            )
        except jwt.PyJWTError:
            return 401
        if claims["serviceurl"] != activity["serviceUrl"]:
            return 401
        command = activity["text"].removeprefix("<at>Coordinator</at>").strip()
        card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Apollo: GREEN"}],
                "actions": [{"type": "Action.OpenUrl", "title": "Report", "url": "https://example.com"}]}  # fmt: skip
        reply = {"type": "message", "text": f"{command} for Apollo",
                 "attachments": [{"contentType": CARD, "content": card}]}  # fmt: skip
        conversation = quote(activity["conversation"]["id"])
        url = f"{activity['serviceUrl'].rstrip('/')}/v3/conversations/{conversation}/activities/{activity['id']}"
        headers = {"Authorization": f"Bearer {bot_token(self.sandbox)}"}
        if command == "agenda":  # slow work: "on it" at once, the result a moment later, as the real bot does
            self.http.post(url, json={"type": "message", "text": "On it"}, headers=headers)
            threading.Timer(0.3, lambda: self.http.post(url, json=reply, headers=headers)).start()
            return 200
        self.http.post(url, json=reply, headers=headers)
        return 200

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stand_in_bot(real_clock: SandboxServer) -> Iterator[StandInBot]:
    bot = StandInBot(real_clock)
    yield bot
    bot.close()


def test_say_posts_a_teams_channel_message_and_prints_the_reply(stand_in_bot, sandbox, channel, capsys, monkeypatch):
    monkeypatch.setenv("COORDINATOR_CA_BUNDLE", str(sandbox.ca_bundle))
    argv = ["sandbox", "say", "--channel", channel, "--app-url", stand_in_bot.url, "--sandbox", sandbox.url, "status"]
    assert main(argv) == 0
    assert capsys.readouterr().out.splitlines() == [
        "status for Apollo",
        '[Adaptive Card 1.5: 1 elements, 1 actions — "Apollo: GREEN"]',
    ]
    [sent] = stand_in_bot.received
    first_user = sandbox.state.users[0]
    assert sent["text"] == "<at>Coordinator</at> status" and sent["channelId"] == "msteams"
    assert sent["conversation"] == {"isGroup": True, "conversationType": "channel",
                                    "tenantId": sandbox.state.tenant_id, "id": _thread(channel, sent["id"])}  # fmt: skip
    assert sent["from"]["aadObjectId"] == first_user["id"] and sent["recipient"]["id"] == f"28:{DEMO_BOT_APP_ID}"
    assert sent["channelData"]["channel"] == {"id": channel} and sent["serviceUrl"] == sandbox.connector_url
    assert sent["entities"][0] == {"mentioned": sent["recipient"], "text": "<at>Coordinator</at>", "type": "mention"}


def test_say_waits_for_as_many_replies_as_asked(stand_in_bot, sandbox, channel, capsys, monkeypatch):
    monkeypatch.setenv("COORDINATOR_CA_BUNDLE", str(sandbox.ca_bundle))
    argv = ["sandbox", "say", "--channel", channel, "--app-url", stand_in_bot.url, "--sandbox", sandbox.url, "agenda"]
    assert main(argv) == 0
    assert capsys.readouterr().out.splitlines() == ["On it"]
    assert main([*argv, "--replies", "2"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == ["On it", "agenda for Apollo"]


def test_say_reports_a_bot_that_refuses_the_activity(stand_in_bot, sandbox, channel, capsys, monkeypatch) -> None:
    monkeypatch.setattr(stand_in_bot, "handle", lambda activity, authorization: 401)
    monkeypatch.setenv("COORDINATOR_CA_BUNDLE", str(sandbox.ca_bundle))
    argv = ["sandbox", "say", "--channel", channel, "--app-url", stand_in_bot.url, "--sandbox", sandbox.url, "hi"]
    assert main(argv) == 1
    assert "HTTP 401" in capsys.readouterr().out


def test_say_names_an_unknown_channel(sandbox, http) -> None:
    body = {"channel": "19:nope@thread.tacv2", "appUrl": "http://127.0.0.1:9/api/messages", "text": "status"}
    response = http.post(f"{sandbox.url}/_sandbox/bot/say", json=body)
    assert response.status_code == 400 and "no channel" in response.json()["error"]
