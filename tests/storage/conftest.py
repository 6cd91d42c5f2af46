"""Fresh databases for storage tests, on SQLite and on PostgreSQL.

`db_url` is parametrized over both backends. The PostgreSQL case creates a uniquely named database
(`coord_test_<hex>`) through an AUTOCOMMIT admin connection and drops it afterwards, so tests can run in
parallel and never see each other's rows. The admin URL defaults to the local server and can be moved with
COORDINATOR_TEST_PG_ADMIN_URL. If the server is unreachable the PostgreSQL cases are skipped locally and
fail under CI (env var CI set), so a broken CI database cannot pass silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from assistant.storage.db import Database, make_engine, safe_url
from assistant.storage.migrate import upgrade

DEFAULT_PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """An AUTOCOMMIT connection pool to the server (CREATE/DROP DATABASE cannot run in a transaction)."""
    url = os.environ.get("COORDINATOR_TEST_PG_ADMIN_URL", DEFAULT_PG_ADMIN_URL)
    base = make_engine(url)
    engine = base.execution_options(isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        base.dispose()
        reason = f"PostgreSQL unreachable at {safe_url(url)}: {exc.orig}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so PostgreSQL tests must run)", pytrace=False)
        pytest.skip(reason)
    yield engine
    base.dispose()


@pytest.fixture
def pg_url(pg_admin: Engine) -> Iterator[str]:
    """The URL of a new, empty database that is dropped (connections and all) after the test."""
    name = f"coord_test_{uuid.uuid4().hex[:12]}"
    with pg_admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield pg_admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with pg_admin.connect() as connection:
            # FORCE (PostgreSQL 13+) ends sessions a failed test may have left open.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'coordinator.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database on each backend; the PostgreSQL server is only contacted for that case."""
    fixture = "pg_url" if request.param == "postgresql" else "sqlite_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def database(engine: Engine) -> Database:
    """A database at the head revision, as the application sees it after startup."""
    upgrade(engine)
    return Database(engine)
