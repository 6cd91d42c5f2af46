"""MSAL's token cache in the database, Fernet-encrypted, for the delegated sign-in of a service account.

The cache holds a refresh token that works for up to 90 days without anyone present, so it is a credential:
a copy of the database (a backup, a support dump) must not be enough to post as the service account. The
key comes from settings (`COORDINATOR_TOKEN_KEY`), never from the database.

Writes are last-writer-wins: every write is a cache that worked a moment ago, and Entra keeps a redeemed
refresh token valid, so the cache that loses still held a working one — and a new login always lands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr

from assistant.storage.errors import StaleState, StorageError
from assistant.storage.state import StateStore

log = logging.getLogger(__name__)

NAMESPACE = "msal"
_SAVE_ATTEMPTS = 5


class EncryptedTokenCache:
    """Load and save one serialized MSAL cache (`name`, e.g. `delegated/<client id>`) through a StateStore."""

    def __init__(self, store: StateStore, key: SecretStr, name: str, *, clock: Callable[[], datetime]) -> None:
        try:
            self._fernet = Fernet(key.get_secret_value())
        except ValueError:
            raise StorageError("COORDINATOR_TOKEN_KEY is not a Fernet key: 32 url-safe base64 bytes") from None
        self._store = store
        self._name = name
        self._clock = clock

    def load(self) -> str | None:
        entry = self._store.get(NAMESPACE, self._name)
        if entry is None:
            return None
        if not isinstance(entry.value, str):
            raise StorageError(f"state {NAMESPACE}/{self._name} is not an encrypted token cache")
        try:
            return self._fernet.decrypt(entry.value.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise StorageError(
                "the token cache cannot be decrypted with COORDINATOR_TOKEN_KEY: the key changed since the "
                "last sign-in; run `coordinator login` again"
            ) from None

    def save(self, text: str) -> None:
        now = self._clock()
        # encrypt_at_time: the token's timestamp comes from the injected clock, not the machine's.
        sealed = self._fernet.encrypt_at_time(text.encode("utf-8"), int(now.timestamp())).decode("ascii")
        for _ in range(_SAVE_ATTEMPTS):
            current = self._store.get(NAMESPACE, self._name)
            try:
                entry = self._store.put(
                    NAMESPACE, self._name, sealed, now=now, expected_version=current.version if current else None
                )
            except StaleState:
                continue  # someone wrote in between: read the new version and overwrite it
            log.debug("token cache %s/%s saved (version %d)", NAMESPACE, self._name, entry.version)
            return
        raise StorageError(f"could not save {NAMESPACE}/{self._name}: it kept changing under concurrent writers")
