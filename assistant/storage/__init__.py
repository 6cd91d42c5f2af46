"""The database layer: engines, schema migrations and the stores built on them.

Nothing is created on import. The composition root builds one `Database` from settings, runs `upgrade`, and
hands the `Database` to the stores that need it.
"""

from assistant.storage.db import Database, make_engine, safe_url, session_factory
from assistant.storage.errors import StaleState, StorageError
from assistant.storage.migrate import current_revision, head_revision, upgrade
from assistant.storage.state import StateEntry, StateStore

__all__ = [
    "Database",
    "StaleState",
    "StateEntry",
    "StateStore",
    "StorageError",
    "current_revision",
    "head_revision",
    "make_engine",
    "safe_url",
    "session_factory",
    "upgrade",
]
