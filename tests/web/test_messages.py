"""`POST /api/messages`: every request's token is checked before anything runs; valid ones are answered through
the Bot Connector (here a loopback receiver), with the bot's own token."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient

from assistant.app import create_app
from assistant.bot.activity import CARD_CONTENT_TYPE
from assistant.bot.commands import COMMAND_ACTION
from assistant.errors import ConfigError
from assistant.settings import Settings
from tests.botframework import BOT_APP_ID, BotFrameworkDouble
from tests.conftest import DEMO_NOW
from tests.web.conftest import CONNECTOR_TOKEN

Activity = Callable[..., dict[str, Any]]


def post(web: FlaskClient, body: dict[str, Any] | bytes, token: str | None) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return web.post("/api/messages", data=data, headers=headers)


def test_healthz(web: FlaskClient):
    answer = web.get("/healthz")
    assert answer.status_code == 200 and answer.get_json()["status"] == "ok"


def test_a_valid_message_is_answered_in_its_thread_with_the_bots_token(web, bf: BotFrameworkDouble, activity: Activity):
    message = activity("<at>Coordinator</at> help")
    assert post(web, message, bf.token(DEMO_NOW)).status_code == 200
    [reply] = bf.posted
    conversation = quote(message["conversation"]["id"], safe="")
    assert reply.path == f"/connector/v3/conversations/{conversation}/activities/{message['id']}"
    assert reply.headers["Authorization"] == f"Bearer {CONNECTOR_TOKEN}"
    assert reply.body["type"] == "message" and reply.body["replyToId"] == message["id"]
    assert "status" in reply.body["text"] and "in PROJECT" in reply.body["text"]
    [attachment] = reply.body["attachments"]
    assert attachment["contentType"] == CARD_CONTENT_TYPE and isinstance(attachment["content"], dict)


@pytest.mark.parametrize(
    ("case", "mint"),
    [
        ("no signature (alg none)", lambda bf: bf.token(DEMO_NOW, algorithm="none")),
        ("signed by another key", lambda bf: bf.token(DEMO_NOW, key=rsa.generate_private_key(65537, 2048))),
        ("HS256 instead of RS256", lambda bf: _hs256(bf)),
        ("expired beyond the skew", lambda bf: bf.token(DEMO_NOW - dt.timedelta(hours=2))),
        (
            "not yet valid",
            lambda bf: bf.token(
                DEMO_NOW + dt.timedelta(hours=1), nbf=int((DEMO_NOW + dt.timedelta(hours=1)).timestamp())
            ),
        ),
        ("wrong audience", lambda bf: bf.token(DEMO_NOW, aud="another-bot")),
        ("wrong issuer", lambda bf: bf.token(DEMO_NOW, iss="https://sts.windows.net/evil/")),
        ("no serviceurl claim", lambda bf: bf.token(DEMO_NOW, serviceurl=None)),
        ("serviceurl of another connector", lambda bf: bf.token(DEMO_NOW, serviceurl="https://evil.example/")),
        ("unknown key id", lambda bf: bf.token(DEMO_NOW, kid="other-kid")),
        ("not a JWT", lambda bf: "not-a-jwt"),
    ],
)
def test_bad_tokens_are_refused_with_nothing_processed(web, bf, activity: Activity, case: str, mint, caplog):
    answer = post(web, activity("help"), mint(bf))
    assert answer.status_code == 401, case
    assert answer.get_json() == {"error": "unauthorized"}
    assert bf.posted == []
    assert not any("bot command" in r.getMessage() for r in caplog.records)


def _hs256(bf: BotFrameworkDouble) -> str:
    """HS256 with a guessable secret: only RS256 is accepted, whatever key the header names."""
    import jwt

    claims = {"iss": "https://api.botframework.com", "aud": BOT_APP_ID, "serviceurl": bf.service_url}
    claims["exp"] = int((DEMO_NOW + dt.timedelta(hours=1)).timestamp())
    return jwt.encode(claims, "a-shared-secret-of-32-bytes-long!", algorithm="HS256", headers={"kid": "test-key-1"})


def test_a_missing_authorization_header_is_refused(web, bf, activity: Activity):
    assert post(web, activity("help"), None).status_code == 401 and bf.posted == []


def test_an_expired_token_within_the_five_minute_skew_is_accepted(web, bf, activity: Activity):
    token = bf.token(DEMO_NOW - dt.timedelta(hours=1, minutes=4))
    assert post(web, activity("help"), token).status_code == 200 and len(bf.posted) == 1


def test_a_replayed_activity_is_refused(web, bf, activity: Activity):
    message, token = activity("help"), bf.token(DEMO_NOW)
    assert post(web, message, token).status_code == 200
    assert post(web, message, token).status_code == 401
    assert post(web, message, bf.token(DEMO_NOW)).status_code == 401  # a fresh token does not make it new
    assert len(bf.posted) == 1


def test_a_key_not_endorsed_for_the_channel_is_refused(web, bf, activity: Activity):
    bf.endorsements = ["skype"]
    assert post(web, activity("help"), bf.token(DEMO_NOW)).status_code == 401 and bf.posted == []


def test_oversized_bodies_get_413(web, bf, activity: Activity):
    message = activity("help " + "x" * 300_000)
    assert post(web, message, bf.token(DEMO_NOW)).status_code == 413 and bf.posted == []


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"type": "message"}', b"\xff\xfe"])
def test_malformed_json_gets_400(web, bf, body: bytes):
    assert post(web, body, bf.token(DEMO_NOW)).status_code == 400 and bf.posted == []


def test_malformed_json_without_a_valid_token_is_401_not_400(web, bf):
    assert post(web, b"{not json", "bad").status_code == 401


def test_status_in_a_project_channel_replies_with_a_valid_card(web, bf, activity: Activity, atlas_channel, card_schema):
    assert (
        post(web, activity("<at>Coordinator</at>&nbsp;status", channel=atlas_channel), bf.token(DEMO_NOW)).status_code
        == 200
    )
    [reply] = bf.posted
    card = reply.body["attachments"][0]["content"]
    card_schema.validate(card)
    assert card["type"] == "AdaptiveCard" and reply.body["text"].startswith("Atlas")


def test_a_card_submit_runs_its_command(web, bf, activity: Activity, atlas_channel):
    submit = activity(None, channel=atlas_channel, value={"action": COMMAND_ACTION, "command": "risks"})
    assert post(web, submit, bf.token(DEMO_NOW)).status_code == 200
    assert "risk" in bf.posted[0].body["text"]


def test_install_greets_the_channel_and_keeps_the_conversation(app, bf, activity: Activity):
    update = activity(None, type="conversationUpdate", membersAdded=[{"id": f"28:{BOT_APP_ID}"}])
    assert post(app.test_client(), update, bf.token(DEMO_NOW)).status_code == 200
    [greeting] = bf.posted
    assert greeting.path.endswith("/activities") and "replyToId" not in greeting.body
    assert greeting.body["text"].startswith("Hello") and greeting.body["attachments"]
    [ref] = app.extensions["coordinator.bot"].conversations.all()
    assert ref.service_url == bf.service_url and ";messageid" not in ref.conversation_id


def test_every_command_is_logged_with_who_asked(web, bf, activity: Activity, caplog):
    caplog.set_level("INFO", logger="assistant.bot.router")
    post(web, activity("projects"), bf.token(DEMO_NOW))
    assert any("'projects' from Megan Bowen (fbab97d0" in r.getMessage() for r in caplog.records)


def test_the_unauthenticated_switch_is_refused_off_loopback(make_settings: Callable[..., Settings]):
    settings = make_settings(COORDINATOR_DANGEROUSLY_ALLOW_UNAUTHENTICATED_BOT="1")
    for host in (None, "0.0.0.0", "10.0.0.5"):  # noqa: S104 - refused, never bound
        with pytest.raises(ConfigError, match="DANGEROUSLY_ALLOW_UNAUTHENTICATED_BOT"):
            create_app(settings, bound_host=host)


def test_the_unauthenticated_switch_on_loopback_serves_the_emulator_without_tokens(make_settings, bf, activity):
    settings = make_settings(COORDINATOR_DANGEROUSLY_ALLOW_UNAUTHENTICATED_BOT="1")
    web = create_app(
        settings, bound_host="127.0.0.1", clock=lambda: DEMO_NOW, bot_token=lambda: CONNECTOR_TOKEN
    ).test_client()
    assert post(web, activity("help"), None).status_code == 200
    assert "Authorization" not in bf.posted[0].headers  # no bot token to an unverified serviceUrl
    assert post(web, activity("help"), "forged").status_code == 401  # a token, when sent, is still checked
    remote = web.post("/api/messages", json=activity("help"), environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert remote.status_code == 401
