"""Engines and sessions: what each backend is configured with, and that URLs never leak passwords."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from assistant.storage.db import SQLITE_BUSY_TIMEOUT_MS, Database, make_engine, safe_url
from assistant.storage.errors import StorageError


def test_sqlite_file_is_created_in_a_nested_directory_that_did_not_exist(tmp_path: Path) -> None:
    path = tmp_path / "var" / "lib" / "coordinator" / "state.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()
    assert path.is_file()


def test_every_pooled_sqlite_connection_gets_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    seen: list[tuple[object, ...]] = []

    def inspect() -> None:
        # A second thread gets its own connection from the pool: the settings must not depend on which.
        with engine.connect() as connection:
            seen.append(
                (
                    connection.exec_driver_sql("PRAGMA journal_mode").scalar(),
                    connection.exec_driver_sql("PRAGMA foreign_keys").scalar(),
                    connection.exec_driver_sql("PRAGMA busy_timeout").scalar(),
                )
            )

    try:
        with engine.connect():  # hold one connection so the thread must open another
            thread = threading.Thread(target=inspect)
            thread.start()
            thread.join()
        inspect()
    finally:
        engine.dispose()
    assert seen == [("wal", 1, SQLITE_BUSY_TIMEOUT_MS)] * 2


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://app:s3cr%40t@db.example:5432/coordinator",
        "postgresql+psycopg://app:s3cr%40t@db.example/coordinator?sslmode=require",
    ],
)
def test_safe_url_masks_the_password(url: str) -> None:
    shown = safe_url(url)
    assert "s3cr" not in shown
    assert "app:***@db.example" in shown


def test_safe_url_does_not_echo_an_unparseable_url() -> None:
    assert "hunter2" not in safe_url("this is not :hunter2@ a url")


def test_a_bare_postgresql_url_uses_psycopg_3_without_connecting() -> None:
    engine = make_engine("postgres://app:pw@db.example/coordinator")
    assert engine.dialect.driver == "psycopg"
    assert engine.pool._pre_ping
    assert "pw" not in repr(engine)


@pytest.mark.parametrize("url", ["mysql://app:hunter2@db.example/c", "sqlite+aiosqlite:///x.db", "not a url :hunter2@"])
def test_unsupported_or_broken_urls_are_refused_without_the_password(url: str) -> None:
    with pytest.raises(StorageError) as caught:
        make_engine(url)
    assert "hunter2" not in str(caught.value)


def _make_table(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, secret VARCHAR(20))"))


def test_session_commits_when_the_block_succeeds(engine: Engine) -> None:
    _make_table(engine)
    database = Database(engine)
    with database.session() as session:
        session.execute(text("INSERT INTO t VALUES (1, 'a')"))
    with database.session() as session:
        assert session.execute(text("SELECT count(*) FROM t")).scalar() == 1


def test_session_rolls_back_when_the_block_raises(engine: Engine) -> None:
    _make_table(engine)
    database = Database(engine)
    with pytest.raises(RuntimeError), database.session() as session:
        session.execute(text("INSERT INTO t VALUES (1, 'a')"))
        raise RuntimeError("handler failed")
    with database.session() as session:
        assert session.execute(text("SELECT count(*) FROM t")).scalar() == 0


def test_bound_values_stay_out_of_error_messages(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    """Stored state can be a token cache; a constraint error must not copy it into a log line."""
    _make_table(engine)
    database = Database(engine)
    with database.session() as session:
        session.execute(text("INSERT INTO t VALUES (1, 'a')"))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(IntegrityError) as caught, database.session() as session:
        session.execute(text("INSERT INTO t VALUES (:id, :secret)"), {"id": 1, "secret": "token-abc123"})
    assert "token-abc123" not in str(caught.value)
    assert "token-abc123" not in caplog.text


def test_database_repr_hides_the_password() -> None:
    database = Database.from_url("postgresql://app:hunter2@db.example/coordinator")
    assert "hunter2" not in repr(database)
    database.dispose()
