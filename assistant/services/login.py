"""`coordinator login`: sign in the service account that posts to channels, and keep its token cache encrypted.

Graph accepts channel posts only with a delegated token (GRAPH-FACTS §3.1), so one person signs in once as
the service account; from then on jobs renew the token silently from the cache in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from cryptography.fernet import Fernet

from assistant.errors import ConfigError
from assistant.graph.delegated import DelegatedTokenProvider
from assistant.graph.http import PinnedSession
from assistant.settings import Settings
from assistant.storage.db import Database, safe_url
from assistant.storage.migrate import upgrade
from assistant.storage.state import StateStore
from assistant.storage.token_cache import EncryptedTokenCache


def new_token_key() -> str:
    """A fresh value for COORDINATOR_TOKEN_KEY."""
    return Fernet.generate_key().decode("ascii")


def delegated_tokens(
    settings: Settings, session: PinnedSession, database: Database, clock: Callable[[], dt.datetime]
) -> DelegatedTokenProvider:
    """The delegated token provider over the encrypted cache in `database` (for login and for posting)."""
    _require_login_settings(settings)
    assert settings.token_key is not None
    cache = EncryptedTokenCache(
        StateStore(database), settings.token_key, f"delegated/{settings.client_id}", clock=clock
    )
    return DelegatedTokenProvider(settings, session, cache)


def login(
    settings: Settings,
    clock: Callable[[], dt.datetime],
    echo: Callable[[str], None] = print,
    on_code: Callable[[str], None] | None = None,
) -> str:
    """Run the device-code flow and store the encrypted cache; returns the signed-in username."""
    _require_login_settings(settings)  # before touching the database
    upgrade(settings.database)
    database = Database.from_url(settings.database)
    try:
        provider = delegated_tokens(settings, PinnedSession(settings.ca_bundle), database, clock)
        username = provider.login(echo, on_code)
    finally:
        database.dispose()
    echo(f"Signed in as {username}; token cache saved (encrypted) in {safe_url(settings.database)}")
    return username


def _require_login_settings(settings: Settings) -> None:
    missing = settings.missing_for_login()
    if missing:
        hint = "; make a token key with `coordinator login --new-key`" if settings.token_key is None else ""
        raise ConfigError(
            "environment",
            ", ".join(missing),
            f"not set: delegated sign-in needs {'them' if len(missing) > 1 else 'it'}{hint}",
        )
