"""Who the bot answers, and how often, at both endpoints: the tenant allow-list (403, nothing run or stored) and
the per-conversation rate limit (the command not run, the user told once how long to wait)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Any

import flask
import pytest
from flask.testing import FlaskClient

from assistant.app import create_app
from assistant.bot.hmac import signature
from assistant.errors import ConfigError
from assistant.sandbox.demo_context import DEMO_TENANT_ID
from assistant.settings import Settings
from tests.botframework import BOT_APP_ID
from tests.conftest import DEMO_NOW, SettableClock
from tests.web.conftest import CONNECTOR_TOKEN, VECTOR, WEBHOOK_BODY, WEBHOOK_TENANT

Activity = Callable[..., dict[str, Any]]
OTHER_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
WEBHOOK = "/api/teams/outgoing-webhook"
FORBIDDEN = {"error": "forbidden", "message": "tenant not allowed"}


def build(settings: Settings, clock: Callable[[], dt.datetime] = lambda: DEMO_NOW) -> flask.Flask:
    return create_app(settings, clock=clock, bot_token=lambda: CONNECTOR_TOKEN)


def post(web: FlaskClient, body: dict[str, Any], token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return web.post("/api/messages", data=json.dumps(body), headers={"Content-Type": "application/json", **headers})


def hook(web: FlaskClient, body: dict[str, Any] | bytes) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", "Authorization": signature(VECTOR["security_token_base64"], raw)}
    return web.post(WEBHOOK, data=raw, headers=headers)


def from_tenant(message: dict[str, Any], tenant: str | None) -> dict[str, Any]:
    """`message` as sent from `tenant` (None: naming no tenant at all)."""
    message["conversation"].pop("tenantId", None)
    message["channelData"].pop("tenant", None)
    if tenant is not None:
        message["conversation"]["tenantId"] = tenant
        message["channelData"]["tenant"] = {"id": tenant}
    return message


# --- tenants ---


@pytest.mark.parametrize(
    ("case", "shape"),
    [
        ("another tenant", lambda m: from_tenant(m, OTHER_TENANT)),
        ("another tenant, in channelData only", lambda m: _channel_data_only(m, OTHER_TENANT)),
        ("no tenant named", lambda m: from_tenant(m, None)),
    ],
)
def test_a_tenant_not_allowed_gets_403_and_nothing_is_run_or_kept(app, bf, activity: Activity, case, shape, caplog):
    caplog.set_level("INFO")
    answer = post(app.test_client(), shape(activity("projects")), bf.token(DEMO_NOW))
    assert answer.status_code == 403, case
    assert answer.get_json() == FORBIDDEN
    assert bf.posted == []
    assert app.extensions["coordinator.bot"].conversations.all() == []  # no reference to post to later
    assert not any("'projects' from" in r.getMessage() for r in caplog.records)  # the router never saw it
    assert any("ALLOWED_TENANTS" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def _channel_data_only(message: dict[str, Any], tenant: str) -> dict[str, Any]:
    from_tenant(message, None)
    message["channelData"]["tenant"] = {"id": tenant}
    return message


def test_an_allowed_tenant_named_only_in_channel_data_is_answered(web, bf, activity: Activity):
    message = _channel_data_only(activity("help"), DEMO_TENANT_ID.upper())
    assert post(web, message, bf.token(DEMO_NOW)).status_code == 200 and len(bf.posted) == 1


def test_the_tenant_is_checked_after_the_token(web, bf, activity: Activity):
    """A stranger learns nothing: a bad token from another tenant is a 401 like any other."""
    assert post(web, from_tenant(activity("help"), OTHER_TENANT), "forged").status_code == 401


def test_by_default_only_the_graph_tenant_is_answered(make_settings, bf, activity: Activity):
    web = build(make_settings(COORDINATOR_BOT_ALLOWED_TENANTS="")).test_client()
    assert post(web, activity("help"), bf.token(DEMO_NOW)).status_code == 200
    assert post(web, from_tenant(activity("help"), OTHER_TENANT), bf.token(DEMO_NOW)).status_code == 403
    # The refdata webhook sample comes from another tenant than the sandbox's.
    assert WEBHOOK_TENANT != DEMO_TENANT_ID
    answer = hook(web, WEBHOOK_BODY)
    assert answer.status_code == 403 and answer.get_json() == FORBIDDEN
    assert len(bf.posted) == 1


def test_a_star_answers_any_tenant(make_settings, bf, activity: Activity):
    web = build(make_settings(COORDINATOR_BOT_ALLOWED_TENANTS="*")).test_client()
    assert post(web, from_tenant(activity("help"), OTHER_TENANT), bf.token(DEMO_NOW)).status_code == 200
    assert post(web, from_tenant(activity("help"), None), bf.token(DEMO_NOW)).status_code == 200
    assert len(bf.posted) == 2


def test_without_a_graph_tenant_or_a_list_any_tenant_is_answered(make_settings, bf, activity: Activity):
    settings = make_settings(COORDINATOR_BOT_ALLOWED_TENANTS="")
    web = build(settings.model_copy(update={"tenant_id": None})).test_client()
    assert post(web, from_tenant(activity("help"), OTHER_TENANT), bf.token(DEMO_NOW)).status_code == 200


def test_a_graph_tenant_given_as_a_domain_needs_the_list(make_settings):
    settings = make_settings(COORDINATOR_BOT_ALLOWED_TENANTS="", COORDINATOR_TENANT_ID="contoso.onmicrosoft.com")
    with pytest.raises(ConfigError, match="COORDINATOR_BOT_ALLOWED_TENANTS: not set, and COORDINATOR_TENANT_ID"):
        build(settings)


def test_the_outgoing_webhook_applies_the_same_list(web: FlaskClient):
    body = json.loads(WEBHOOK_BODY)
    body["id"] = "1485983408999"
    body["conversation"]["tenantId"] = OTHER_TENANT
    body["channelData"]["tenant"]["id"] = OTHER_TENANT
    answer = hook(web, body)
    assert answer.status_code == 403 and answer.get_json() == FORBIDDEN
    assert hook(web, WEBHOOK_BODY).status_code == 200  # the allowed sample, same secret


def test_the_emulator_switch_does_not_check_the_tenant_it_cannot_verify(make_settings, bf, activity: Activity):
    settings = make_settings(COORDINATOR_DANGEROUSLY_ALLOW_UNAUTHENTICATED_BOT="1")
    web = create_app(
        settings, bound_host="127.0.0.1", clock=lambda: DEMO_NOW, bot_token=lambda: CONNECTOR_TOKEN
    ).test_client()
    assert post(web, from_tenant(activity("help"), OTHER_TENANT), None).status_code == 200
    assert post(web, from_tenant(activity("help"), OTHER_TENANT), bf.token(DEMO_NOW)).status_code == 403


# --- rate ---


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest.fixture
def limited(make_settings, clock: SettableClock) -> FlaskClient:
    """Two commands per minute per conversation, on a clock the test moves."""
    return build(make_settings(COORDINATOR_BOT_RATE_LIMIT="2/60"), clock).test_client()


def test_over_the_limit_the_command_is_not_run_and_the_user_is_told_once(limited, bf, activity, clock, caplog):
    caplog.set_level("INFO")
    for _ in range(2):
        assert post(limited, activity("projects"), bf.token(clock.now)).status_code == 200
        clock.advance(10)
    third, fourth = activity("projects"), activity("projects")
    assert post(limited, third, bf.token(clock.now)).status_code == 200
    assert post(limited, fourth, bf.token(clock.now)).status_code == 200
    assert len(bf.posted) == 3  # two answers and one refusal; the fourth dropped in silence
    refusal = bf.posted[2].body
    assert refusal["text"] == "I answer at most 2 commands every 60 seconds in a conversation. Try again in 40 seconds."
    assert refusal["replyToId"] == third["id"]
    commands = [r for r in caplog.records if "'projects' from" in r.getMessage()]
    assert len(commands) == 2  # the router ran two commands only

    clock.advance(40)  # the first command has left the window
    assert post(limited, activity("projects"), bf.token(clock.now)).status_code == 200
    assert "Try again" not in bf.posted[3].body["text"]


def test_each_refusal_is_logged_once_with_the_conversation_but_not_the_text(limited, bf, activity, clock, caplog):
    caplog.set_level("INFO", logger="assistant.web")
    for n in range(5):
        post(limited, activity(f"projects secret-{n}", channel="19:busy@thread.tacv2"), bf.token(clock.now))
    refusals = [r for r in caplog.records if "refused a command" in r.getMessage()]
    assert len(refusals) == 3
    assert all("19:busy@thread.tacv2" in r.getMessage() and "secret" not in r.getMessage() for r in refusals)
    assert [r.levelno for r in refusals] == [logging.WARNING, logging.INFO, logging.INFO]


def test_conversations_are_limited_apart_and_a_channels_threads_together(limited, bf, activity, clock):
    for _ in range(2):  # each activity of the fixture is a new thread of the same channel
        post(limited, activity("help", channel="19:one@thread.tacv2"), bf.token(clock.now))
    post(limited, activity("help", channel="19:one@thread.tacv2"), bf.token(clock.now))
    assert "Try again" in bf.posted[-1].body["text"]
    post(limited, activity("help", channel="19:two@thread.tacv2"), bf.token(clock.now))
    assert "Try again" not in bf.posted[-1].body["text"] and len(bf.posted) == 4


def test_only_messages_count(limited, bf, activity, clock):
    install = {"type": "conversationUpdate", "membersAdded": [{"id": f"28:{BOT_APP_ID}"}]}
    for _ in range(3):  # installs and typing are not commands: each install is greeted, the budget stays whole
        post(limited, activity(None, **install), bf.token(clock.now))
        post(limited, activity(None, type="typing"), bf.token(clock.now))
    assert [p.body["text"].startswith("Hello") for p in bf.posted] == [True, True, True]
    for _ in range(2):
        assert post(limited, activity("help"), bf.token(clock.now)).status_code == 200
        assert "Try again" not in bf.posted[-1].body["text"]


def test_the_outgoing_webhook_answers_every_refusal_at_once(make_settings, clock):
    web = build(make_settings(COORDINATOR_BOT_RATE_LIMIT="1/60"), clock).test_client()
    body = json.loads(WEBHOOK_BODY)
    answers = []
    for n in range(3):
        body["id"] = f"14859834086{n:02d}"
        answer = hook(web, body)
        assert answer.status_code == 200
        answers.append(answer.get_json()["text"])
    assert "Try again" not in answers[0]
    assert (
        answers[1]
        == answers[2]
        == "I answer at most 1 command every 60 seconds in a conversation. Try again in 60 seconds."
    )
