"""Engines and sessions: the only place that knows how each backend must be configured.

Nothing here runs at import time; the composition root calls `make_engine(settings.database_url)` once and
passes the resulting `Database` down. Two backends are supported: SQLite for single-host installs and tests,
PostgreSQL (psycopg 3) for deployments with more than one process.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from assistant.storage.errors import StorageError

# Long enough to ride out another thread's or process's write transaction (they are all short), short
# enough that a stuck writer surfaces as an error instead of a hung web request.
SQLITE_BUSY_TIMEOUT_MS = 10_000
# libpq waits forever by default; a deployment with a wrong host should fail at startup, not hang.
PG_CONNECT_TIMEOUT_S = 10

_UNPARSEABLE = "<unparseable database URL>"


def safe_url(url: str | URL) -> str:
    """Render a URL for logs and messages with the password masked.

    An unparseable URL is replaced by a placeholder rather than echoed: without a parse there is no telling
    which part of it is the password.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return _UNPARSEABLE
    return parsed.render_as_string(hide_password=True)


def _parse(url: str | URL) -> URL:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StorageError(f"database URL is not valid: {_UNPARSEABLE}") from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend in ("postgres", "postgresql") and driver in ("", "psycopg"):
        # Only psycopg 3 is a dependency: a bare postgresql:// would otherwise look for psycopg2, and
        # postgres:// is the Heroku-style spelling SQLAlchemy no longer accepts.
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return parsed
    raise StorageError(f"unsupported database {safe_url(parsed)}: use sqlite:///path or postgresql+psycopg://...")


def _sqlite_file(url: URL) -> Path | None:
    """The database file a SQLite URL names, or None for in-memory and `file:` URI databases."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    """Per-connection settings: SQLite forgets foreign keys and the busy timeout on every new connection.

    The busy timeout is set first so that switching to WAL waits for a concurrent connection instead of
    failing with "database is locked". WAL lets the web threads read while a job writes.
    """
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_MS)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def _sqlite_engine(url: URL) -> Engine:
    path = _sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    # For file databases SQLAlchemy 2 picks QueuePool and sets check_same_thread=False itself, so each web
    # thread checks out its own connection. In-memory databases get one connection per thread (each thread
    # sees a different, empty database): use a file whenever more than one thread is involved.
    engine = create_engine(url, hide_parameters=True)
    event.listen(engine, "connect", _on_sqlite_connect)
    return engine


def _postgresql_engine(url: URL) -> Engine:
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    # pre_ping: a restarted server or a proxy closing idle connections costs one retry, not a 500.
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args)


def make_engine(url: str | URL) -> Engine:
    """Build an engine for `sqlite:///path` or `postgresql[+psycopg]://...`.

    `hide_parameters` keeps bound values (stored state may hold token caches) out of exception messages,
    which end up in logs.
    """
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return _postgresql_engine(parsed)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose loaded objects stay readable after commit; callers copy them into dataclasses."""
    return sessionmaker(bind=engine, expire_on_commit=False)


class Database:
    """An engine and its session factory, built once by the composition root and passed to stores."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = session_factory(engine)

    @classmethod
    def from_url(cls, url: str | URL) -> Database:
        return cls(make_engine(url))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits when the block ends normally, rolls back when it raises."""
        with self.sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        """Close pooled connections; tests and CLI commands call this so servers see no idle leftovers."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({safe_url(self.engine.url)})"
