"""EncryptedTokenCache: what reaches the database is a Fernet token, and a changed key is a clear error."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from assistant.storage.db import Database
from assistant.storage.errors import StorageError
from assistant.storage.state import StateStore
from assistant.storage.token_cache import NAMESPACE, EncryptedTokenCache

NOW = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
NAME = "delegated/1d49ac92-8904-54a2-9b99-9f493c1e0341"
CACHE = json.dumps({"RefreshToken": {"k": {"secret": "0.AXoA-refresh-token-value", "credential_type": "RefreshToken"}}})


def _key() -> SecretStr:
    return SecretStr(Fernet.generate_key().decode())


@pytest.fixture
def store(database: Database) -> StateStore:
    return StateStore(database)


def _cache(store: StateStore, key: SecretStr, now: datetime = NOW) -> EncryptedTokenCache:
    return EncryptedTokenCache(store, key, NAME, clock=lambda: now)


def test_nothing_saved_loads_as_none(store):
    assert _cache(store, _key()).load() is None


def test_round_trip_stores_only_ciphertext(store):
    key = _key()
    _cache(store, key).save(CACHE)
    assert _cache(store, key).load() == CACHE
    entry = store.get(NAMESPACE, NAME)
    assert entry is not None and isinstance(entry.value, str)
    assert "refresh" not in entry.value.lower() and "secret" not in entry.value
    assert Fernet(key.get_secret_value()).decrypt(entry.value.encode()).decode() == CACHE


def test_the_token_timestamp_comes_from_the_injected_clock(store):
    key = _key()
    _cache(store, key).save(CACHE)
    entry = store.get(NAMESPACE, NAME)
    assert entry is not None and entry.updated_at == NOW
    assert Fernet(key.get_secret_value()).extract_timestamp(str(entry.value).encode()) == int(NOW.timestamp())


def test_a_changed_key_says_to_log_in_again(store):
    _cache(store, _key()).save(CACHE)
    with pytest.raises(StorageError) as error:
        _cache(store, _key()).load()
    message = str(error.value)
    assert "COORDINATOR_TOKEN_KEY" in message and "coordinator login" in message
    assert "refresh-token-value" not in message


def test_a_save_replaces_what_another_writer_saved(store):
    key = _key()
    first, second = _cache(store, key), _cache(store, key, NOW + timedelta(minutes=1))
    first.save(CACHE)
    second.save('{"AccessToken": {}}')
    first.save('{"Account": {}}')  # last writer wins, whatever version it read before
    assert second.load() == '{"Account": {}}'
    entry = store.get(NAMESPACE, NAME)
    assert entry is not None and entry.version == 3


def test_a_foreign_entry_is_reported_not_decrypted(store):
    store.put(NAMESPACE, NAME, {"not": "a token"}, now=NOW)
    with pytest.raises(StorageError, match="not an encrypted token cache"):
        _cache(store, _key()).load()
