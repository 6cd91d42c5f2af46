"""Settings are the public interface: every one is documented, secrets stay secret."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from assistant.errors import ConfigError
from assistant.settings import ENV_PREFIX, Settings, load_settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_every_setting_is_documented_and_nothing_else():
    documented = set(re.findall(r"`(COORDINATOR_[A-Z_]+)`", DOCS.read_text()))
    declared = {f"{ENV_PREFIX}{name.upper()}" for name in Settings.model_fields}
    assert documented == declared


def test_secret_is_not_in_repr(monkeypatch):
    monkeypatch.setenv("COORDINATOR_CLIENT_SECRET", "top-secret-value")
    settings = load_settings()
    assert "top-secret-value" not in repr(settings) and "top-secret-value" not in str(settings)
    assert settings.client_secret is not None
    assert settings.client_secret.get_secret_value() == "top-secret-value"


def test_default_database_is_sqlite_in_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("COORDINATOR_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("COORDINATOR_DATABASE_URL", raising=False)
    assert load_settings().database == f"sqlite:///{tmp_path.resolve()}/coordinator.db"


def test_missing_graph_settings_are_named(monkeypatch):
    for name in ("TENANT_ID", "CLIENT_ID", "CLIENT_SECRET", "CLIENT_CERTIFICATE"):
        monkeypatch.delenv(f"COORDINATOR_{name}", raising=False)
    missing = load_settings().missing_for_graph()
    assert missing[0] == "COORDINATOR_TENANT_ID" and "COORDINATOR_CLIENT_SECRET" in missing[2]


def test_token_key_must_be_a_fernet_key_and_is_never_echoed(monkeypatch):
    good = Fernet.generate_key().decode()
    monkeypatch.setenv("COORDINATOR_TOKEN_KEY", good)
    settings = load_settings()
    assert settings.token_key is not None and settings.token_key.get_secret_value() == good
    assert good not in repr(settings)
    for bad in ("s3cret-but-not-a-key", good[:-2] + "==", good.replace("=", "")):
        monkeypatch.setenv("COORDINATOR_TOKEN_KEY", bad)
        with pytest.raises(ConfigError, match="COORDINATOR_TOKEN_KEY: must be a Fernet key") as error:
            load_settings()
        assert bad not in str(error.value) and "coordinator login --new-key" in str(error.value)


def test_bot_settings_are_checked_without_echoing_secrets(monkeypatch):
    monkeypatch.setenv("COORDINATOR_OUTGOING_WEBHOOK_SECRET", "not base64 at all!")
    with pytest.raises(ConfigError, match="COORDINATOR_OUTGOING_WEBHOOK_SECRET: must be the base64") as error:
        load_settings()
    assert "not base64 at all!" not in str(error.value)
    monkeypatch.delenv("COORDINATOR_OUTGOING_WEBHOOK_SECRET")
    monkeypatch.setenv("COORDINATOR_BOT_OPENID_METADATA", "http://login.example.com/openid")
    with pytest.raises(ConfigError, match="COORDINATOR_BOT_OPENID_METADATA: must be an https:// URL"):
        load_settings()
    monkeypatch.setenv("COORDINATOR_BOT_OPENID_METADATA", "http://127.0.0.1:8080/openid")
    monkeypatch.setenv("COORDINATOR_BOT_APP_SECRET", "bot-secret-value")
    settings = load_settings()
    assert "bot-secret-value" not in repr(settings) and not settings.dangerously_allow_unauthenticated_bot


def test_the_bot_rate_limit_is_count_per_seconds(monkeypatch):
    monkeypatch.delenv("COORDINATOR_BOT_RATE_LIMIT", raising=False)
    assert load_settings().bot_rate == (20, dt.timedelta(seconds=60))
    monkeypatch.setenv("COORDINATOR_BOT_RATE_LIMIT", " 5 / 3600 ")
    assert load_settings().bot_rate == (5, dt.timedelta(hours=1))
    for bad in ("20", "20/0", "0/60", "twenty/60", "20/60s", "20/1.5", "-1/60", ""):
        monkeypatch.setenv("COORDINATOR_BOT_RATE_LIMIT", bad)
        with pytest.raises(ConfigError, match="COORDINATOR_BOT_RATE_LIMIT: must be COUNT/SECONDS"):
            load_settings()


TENANT = "0fd2c1be-9acb-5747-84a3-7bb460b10e62"
OTHER = "2432b57b-0abd-43db-aa7b-16eadd115d34"


def test_the_bot_answers_the_graph_tenant_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("COORDINATOR_BOT_ALLOWED_TENANTS", raising=False)
    monkeypatch.setenv("COORDINATOR_TENANT_ID", TENANT.upper())
    assert load_settings().bot_tenants() == {TENANT}
    monkeypatch.setenv("COORDINATOR_BOT_ALLOWED_TENANTS", f" {OTHER.upper()} , {TENANT},")
    assert load_settings().bot_tenants() == {TENANT, OTHER}
    monkeypatch.setenv("COORDINATOR_BOT_ALLOWED_TENANTS", "*")
    assert load_settings().bot_tenants() is None
    monkeypatch.delenv("COORDINATOR_BOT_ALLOWED_TENANTS")
    monkeypatch.delenv("COORDINATOR_TENANT_ID")
    assert load_settings().bot_tenants() is None  # nothing to go by: any tenant (docs/configuration.md)


def test_bot_tenants_must_be_ids(monkeypatch):
    for bad in ("contoso.onmicrosoft.com", f"*,{TENANT}", f"{TENANT};{OTHER}", TENANT[:-1]):
        monkeypatch.setenv("COORDINATOR_BOT_ALLOWED_TENANTS", bad)
        with pytest.raises(ConfigError, match="COORDINATOR_BOT_ALLOWED_TENANTS: must be Entra tenant ids"):
            load_settings()
    monkeypatch.delenv("COORDINATOR_BOT_ALLOWED_TENANTS")
    monkeypatch.setenv("COORDINATOR_TENANT_ID", "contoso.onmicrosoft.com")
    settings = load_settings()  # fine for Graph and the CLI; only the bot needs an id to compare
    with pytest.raises(ConfigError, match="COORDINATOR_BOT_ALLOWED_TENANTS: not set"):
        settings.bot_tenants()
