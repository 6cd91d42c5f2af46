"""Versioned key/value state with compare-and-set, for cursors and caches that several workers share.

Every write names the version it read: `None` to create, an int to replace. The check is done by the
database in the write itself (INSERT ... ON CONFLICT DO NOTHING, UPDATE ... WHERE version = :expected) and
judged by the row count, so two writers that read the same version can never both succeed. At the default
READ COMMITTED level PostgreSQL makes the second UPDATE wait for the first and re-check its WHERE clause,
so the loser sees 0 rows and gets StaleState; SQLite serialises writers outright. Each call is its own
short transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeAlias

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from assistant.storage.db import Database
from assistant.storage.errors import StaleState
from assistant.storage.models import AppState
from assistant.storage.writes import check_now, dialect_insert, rows_written

Json: TypeAlias = "Mapping[str, Json] | Sequence[Json] | str | int | float | bool | None"

NAMESPACE_MAX = 64
KEY_MAX = 255


@dataclass(frozen=True, slots=True)
class StateEntry:
    """What a reader needs to decide and to write back: the value and the version it came with."""

    value: Json
    version: int
    updated_at: datetime


def _encode(value: Json) -> str:
    # ASCII-only text survives every driver and encoding, lone surrogates included; NaN and Infinity are
    # refused because they are not JSON and other readers (PostgreSQL's json type, JavaScript) reject them.
    return json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def _check_names(namespace: str, key: str) -> None:
    """Enforce the column lengths here too: SQLite ignores VARCHAR lengths, PostgreSQL raises on them."""
    if not 0 < len(namespace) <= NAMESPACE_MAX:
        raise ValueError(f"namespace must be 1..{NAMESPACE_MAX} characters, got {len(namespace)}")
    if not 0 < len(key) <= KEY_MAX:
        raise ValueError(f"key must be 1..{KEY_MAX} characters, got {len(key)}")


class StateStore:
    """Namespaced entries (`graph.delta`, `msal.cache`, `schedule`) in the app_state table."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def get(self, namespace: str, key: str) -> StateEntry | None:
        with self._database.session() as session:
            row = session.get(AppState, (namespace, key))
            if row is None:
                return None
            return StateEntry(json.loads(row.value), row.version, row.updated_at)

    def put(
        self, namespace: str, key: str, value: Json, *, now: datetime, expected_version: int | None = None
    ) -> StateEntry:
        """Create (expected_version=None) or replace the version the caller read; raise StaleState if not.

        `now` becomes `updated_at`; the store never reads a clock. The returned entry is what a following
        `get` would return, so callers can chain writes without re-reading.
        """
        _check_names(namespace, key)
        check_now(now)
        if expected_version is not None and expected_version < 1:
            raise ValueError(f"expected_version must be >= 1 or None, got {expected_version}")
        text = _encode(value)
        with self._database.session() as session:
            if expected_version is None:
                written = self._insert_if_absent(session, namespace, key, text, now)
            else:
                written = self._update_if_version(session, namespace, key, text, now, expected_version)
            if not written:
                current = session.scalar(
                    select(AppState.version).where(AppState.namespace == namespace, AppState.key == key)
                )
                raise StaleState(namespace, key, expected_version=expected_version, current_version=current)
        version = 1 if expected_version is None else expected_version + 1
        return StateEntry(json.loads(text), version, now.astimezone(UTC))

    def delete(self, namespace: str, key: str) -> bool:
        """Remove an entry whatever its version; True if there was one. Deleting twice is not an error."""
        with self._database.session() as session:
            statement = delete(AppState).where(AppState.namespace == namespace, AppState.key == key)
            return rows_written(session, statement) > 0

    @staticmethod
    def _insert_if_absent(session: Session, namespace: str, key: str, text: str, now: datetime) -> bool:
        row = {"namespace": namespace, "key": key, "value": text, "version": 1, "updated_at": now}
        statement = dialect_insert(session)(AppState).values(row).on_conflict_do_nothing()
        return rows_written(session, statement) == 1

    @staticmethod
    def _update_if_version(session: Session, namespace: str, key: str, text: str, now: datetime, expected: int) -> bool:
        statement = (
            update(AppState)
            .where(AppState.namespace == namespace, AppState.key == key, AppState.version == expected)
            .values(value=text, version=expected + 1, updated_at=now)
            # The WHERE clause is the whole point; the ORM must not try to sync objects in the session.
            .execution_options(synchronize_session=False)
        )
        return rows_written(session, statement) == 1
