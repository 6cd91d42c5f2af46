"""Schema migrations: shipped in the package, idempotent, safe to start twice at once, matching the models."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from assistant.storage.errors import StorageError
from assistant.storage.migrate import SCRIPT_LOCATION, current_revision, head_revision, upgrade
from assistant.storage.models import Base

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_migrations_ship_inside_the_package() -> None:
    assert (SCRIPT_LOCATION / "env.py").is_file()
    assert SCRIPT_LOCATION.parent.name == "storage"
    assert head_revision() == "0006"


def test_a_new_database_has_no_revision(engine: Engine) -> None:
    assert current_revision(engine) is None
    assert "alembic_version" not in inspect(engine).get_table_names()  # looking must not create


def test_upgrade_creates_app_state_and_reports_the_head(engine: Engine) -> None:
    assert upgrade(engine) == head_revision()
    assert current_revision(engine) == head_revision()
    columns = {column["name"] for column in inspect(engine).get_columns("app_state")}
    assert columns == {"namespace", "key", "value", "version", "updated_at"}
    assert inspect(engine).get_pk_constraint("app_state")["constrained_columns"] == ["namespace", "key"]


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    head = upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO app_state VALUES ('ns', 'k', '1', 1, :at)"), {"at": "2025-01-01 00:00:00"})
    assert upgrade(engine) == head
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM app_state")).scalar() == 1


def test_upgrade_by_url_disposes_its_own_engine(db_url: str, engine: Engine) -> None:
    assert upgrade(db_url) == head_revision()
    assert current_revision(engine) == head_revision()


def test_a_failed_upgrade_leaves_the_database_as_it_was(engine: Engine) -> None:
    """Everything runs in one transaction: no half-made schema, no revision recorded, on either backend."""
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE app_state (belongs_to_someone_else INTEGER)"))
    with pytest.raises(StorageError, match="cannot upgrade .* from revision None"):
        upgrade(engine)
    assert current_revision(engine) is None
    assert inspect(engine).get_table_names() == ["app_state"]


def test_a_database_from_a_newer_release_is_refused(engine: Engine) -> None:
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StorageError, match="from revision 9999"):
        upgrade(engine)


def test_migrations_match_the_models(engine: Engine) -> None:
    """The hand-written migration and the declarative model must describe the same schema."""
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_version_must_be_positive(engine: Engine) -> None:
    upgrade(engine)
    with pytest.raises(IntegrityError, match="(?i)check"), engine.begin() as connection:
        connection.execute(text("INSERT INTO app_state VALUES ('ns', 'k', '1', 0, :at)"), {"at": "2025-01-01 00:00:00"})


def test_upgrades_from_threads_of_one_process_take_turns(engine: Engine) -> None:
    workers = 4
    start = threading.Barrier(workers)

    def run() -> str:
        start.wait()
        return upgrade(engine)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = [future.result(timeout=60) for future in [pool.submit(run) for _ in range(workers)]]
    assert results == [head_revision()] * workers


# Each child connects, says "ready", waits for the go line on stdin, upgrades and prints the revision.
_UPGRADER = """
import sys
from assistant.storage.db import make_engine
from assistant.storage.errors import StorageError
from assistant.storage.migrate import upgrade
engine = make_engine(sys.argv[1])
engine.connect().close()
print("ready", flush=True)
sys.stdin.readline()
print(upgrade(engine), flush=True)
"""


def test_upgrades_from_separate_processes_queue_instead_of_colliding(db_url: str) -> None:
    """Web and worker processes both upgrade at startup; starting them together must not fail either."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _UPGRADER, db_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(4)
    ]
    try:
        for child in children:  # a barrier: nobody starts before everybody has imported and connected
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        outcomes = [child.communicate(timeout=60) for child in children]
    finally:
        for child in children:
            child.kill()
    assert [(child.returncode, out.strip()) for child, (out, _) in zip(children, outcomes, strict=True)] == [
        (0, head_revision())
    ] * 4, [err for _, err in outcomes]


def test_alembic_commands_also_work_from_a_url_for_writing_new_revisions(
    db_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    """The path `alembic` itself takes (no connection handed in), kept working for maintainers."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.set_main_option("sqlalchemy.url", db_url.replace("%", "%%"))
    command.upgrade(config, "head", sql=True)  # offline: prints the DDL, touches nothing
    assert "CREATE TABLE app_state" in capsys.readouterr().out
    assert current_revision(engine) is None
    command.upgrade(config, "head")
    assert current_revision(engine) == head_revision()


def test_action_items_recorded_before_numbering_get_numbers_per_project_in_listing_order(engine: Engine) -> None:
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(SCRIPT_LOCATION))
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
        insert = text(
            "INSERT INTO action_items (id, project, meeting_id, meeting_subject, meeting_day, text, owner_text, "
            "status, created_at, updated_at) VALUES (:id, :project, 'm', 'Stand-up', :day, 't', 'o', 'open', :at, :at)"
        )
        for item, project, day, at in [
            ("late-recorded", "atlas", "2026-03-02", "2026-03-09 09:00:00"),
            ("second", "atlas", "2026-03-03", "2026-03-03 10:00:00"),
            ("first", "atlas", "2026-03-02", "2026-03-02 10:00:00"),
            ("other", "apollo", "2026-03-05", "2026-03-05 10:00:00"),
        ]:
            connection.execute(insert, {"id": item, "project": project, "day": day, "at": at})
    assert upgrade(engine) == head_revision()
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT project, number, id FROM action_items ORDER BY project, number"))
        assert [tuple(r) for r in rows] == [
            ("apollo", 1, "other"),
            ("atlas", 1, "first"),
            ("atlas", 2, "late-recorded"),
            ("atlas", 3, "second"),
        ]
    with pytest.raises(IntegrityError), engine.begin() as connection:  # a number is never given twice
        connection.execute(text("UPDATE action_items SET number = 1 WHERE id = 'second'"))
