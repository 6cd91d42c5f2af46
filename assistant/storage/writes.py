"""What every store's writes need: an aware clock, the dialect's INSERT with ON CONFLICT, and a true row count.

ON CONFLICT DO NOTHING rather than catching IntegrityError: a conflict then neither aborts a PostgreSQL
transaction nor gets confused with other integrity failures; counting the rows written tells who won.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, Executable
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def check_now(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime (UTC inside Coordinator)")


def dialect_insert(session: Session) -> Any:
    """`postgresql.insert` or `sqlite.insert` for the session's database: both offer `on_conflict_*`."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def rows_written(session: Session, statement: Executable) -> int:
    """Run a write and count its rows; without `preserve_rowcount` an INSERT reports -1 on psycopg."""
    result = session.execute(statement, execution_options={"preserve_rowcount": True})
    if not isinstance(result, CursorResult):
        raise TypeError(f"expected a CursorResult, got {type(result).__name__}")
    return result.rowcount
