"""The Flask app built by `create_app` against the shared sandbox (Graph), a loopback Bot Framework double
(keys and Bot Connector), the refdata HMAC secret, and the clock pinned at DEMO_NOW.

The bot answers two tenants here: the sandbox's (its activities) and the refdata webhook sample's, whose signed
body names its own tenant."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import flask
import jsonschema
import pytest
from flask.testing import FlaskClient

from assistant.app import create_app
from assistant.projects import load_projects
from assistant.sandbox.demo_context import DEMO_TENANT_ID
from assistant.settings import Settings, load_settings
from tests.botframework import BOT_APP_ID, BotFrameworkDouble, bot_framework_double
from tests.conftest import DEMO_NOW, REFDATA

VECTOR = json.loads((REFDATA / "teams-webhooks" / "outgoing-webhook.hmac-test-vector.json").read_text())
WEBHOOK_BODY = (REFDATA / "teams-webhooks" / VECTOR["body_file"]).read_bytes()
WEBHOOK_TENANT = json.loads(WEBHOOK_BODY)["conversation"]["tenantId"]
CONNECTOR_TOKEN = "connector-token-for-tests"
_ids = itertools.count(1)


@pytest.fixture(scope="session")
def card_schema() -> jsonschema.Draft6Validator:
    return jsonschema.Draft6Validator(
        json.loads((REFDATA / "adaptivecards" / "adaptive-card-1.5.0.schema.json").read_text())
    )


@pytest.fixture(scope="session")
def running_bf() -> Iterator[BotFrameworkDouble]:
    with bot_framework_double() as double:
        yield double


@pytest.fixture
def bf(running_bf: BotFrameworkDouble) -> Iterator[BotFrameworkDouble]:
    running_bf.posted.clear()
    running_bf.endorsements = None
    yield running_bf
    running_bf.posted.clear()


@pytest.fixture
def bot_env(configured: dict[str, str], bf: BotFrameworkDouble, tmp_path: Path) -> dict[str, str]:
    return {
        **configured,
        "COORDINATOR_DATA_DIR": str(tmp_path / "data"),  # the database: conversation references, replay guard
        "COORDINATOR_BOT_APP_ID": BOT_APP_ID,
        "COORDINATOR_BOT_OPENID_METADATA": bf.metadata_url,
        "COORDINATOR_OUTGOING_WEBHOOK_SECRET": VECTOR["security_token_base64"],
        "COORDINATOR_BOT_ALLOWED_TENANTS": f"{DEMO_TENANT_ID},{WEBHOOK_TENANT}",
    }


@pytest.fixture
def make_settings(bot_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Settings]:
    def make(**extra: str) -> Settings:
        for name, value in {**bot_env, **extra}.items():
            monkeypatch.setenv(name, value)
        return load_settings()

    return make


@pytest.fixture
def app(make_settings: Callable[..., Settings]) -> flask.Flask:
    return create_app(make_settings(), clock=lambda: DEMO_NOW, bot_token=lambda: CONNECTOR_TOKEN)


@pytest.fixture
def web(app: flask.Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def atlas_channel(make_settings: Callable[..., Settings]) -> str:
    return load_projects(make_settings().projects)["atlas"].channel_id


@pytest.fixture
def activity(bf: BotFrameworkDouble) -> Callable[..., dict[str, Any]]:
    """A Teams channel message activity as the Bot Connector sends it (fields as in the refdata sample)."""

    def make(text: str | None = "help", channel: str = "19:unknown@thread.tacv2", **fields: Any) -> dict[str, Any]:
        number = next(_ids)
        body: dict[str, Any] = {
            "type": "message",
            "id": f"1700000000{number:03d}",
            "serviceUrl": bf.service_url,
            "channelId": "msteams",
            "from": {"id": "29:megan", "name": "Megan Bowen", "aadObjectId": "fbab97d0-4932-4511-b675-204639209557"},
            "recipient": {"id": f"28:{BOT_APP_ID}", "name": "Coordinator"},
            "conversation": {
                "id": f"{channel};messageid=1700000000{number:03d}",
                "conversationType": "channel",
                "tenantId": DEMO_TENANT_ID,
            },
            "text": text,
            "channelData": {"teamsChannelId": channel, "channel": {"id": channel}, "tenant": {"id": DEMO_TENANT_ID}},
        }
        body.update(fields)
        return body

    return make
