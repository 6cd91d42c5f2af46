"""Schema upgrades, run by the application itself at startup or by `coordinator db upgrade`.

Alembic is configured in code with the migration scripts shipped inside the package, so an installed wheel
can upgrade its database without an alembic.ini or a source checkout.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from assistant.storage.db import make_engine, safe_url
from assistant.storage.errors import StorageError

log = logging.getLogger(__name__)

SCRIPT_LOCATION = Path(__file__).resolve().with_name("migrations")
# Any fixed 64-bit number; it only has to differ from other advisory locks taken on the same server.
_PG_MIGRATION_LOCK_ID = 0x436F6F7264_0001
# The one module-level object here, guarding one that is not ours: Alembic keeps the running migration's
# context in module globals (`alembic.context`, `alembic.op`), so two threads upgrading at once would run
# each other's statements on each other's connections and deadlock. Taken before any database lock.
_ALEMBIC_IN_USE = threading.Lock()


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    # Config values go through ConfigParser interpolation: a '%' in the install path must be doubled.
    config.set_main_option("script_location", str(SCRIPT_LOCATION).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The revision this version of Coordinator expects, for health checks and `upgrade`'s answer."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise StorageError(f"no migrations found in {SCRIPT_LOCATION}")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a database never upgraded; changes nothing."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _serialize_upgraders(connection: Connection) -> None:
    """Make concurrent upgrades (web and worker starting together) queue instead of colliding.

    The lock is held until the upgrade's transaction ends; the second upgrader then finds the schema at head
    and does nothing. On SQLite, BEGIN IMMEDIATE takes the write lock up front, which also makes the DDL
    part of the transaction instead of autocommitting statement by statement.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_MIGRATION_LOCK_ID})
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(target: str | Engine) -> str:
    """Bring the database to the head revision and return it; a database already at head is left alone.

    Takes a URL (an engine is made and disposed here) or the application's engine. All migrations run in
    one transaction, so a failure leaves the previous revision in place on both backends.
    """
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        with _ALEMBIC_IN_USE, engine.begin() as connection:
            _serialize_upgraders(connection)
            before = MigrationContext.configure(connection).get_current_revision()
            try:
                command.upgrade(_config(connection), "head")
            except (CommandError, SQLAlchemyError) as exc:
                # Typically a database written by a newer release, whose revision these scripts lack, or a
                # table of the same name that some other application created first.
                raise StorageError(f"cannot upgrade {safe_url(engine.url)} from revision {before}: {exc}") from exc
            after = MigrationContext.configure(connection).get_current_revision()
    finally:
        if engine is not target:
            engine.dispose()
    if after is None:
        raise StorageError(f"upgrade of {safe_url(engine.url)} recorded no revision")
    if before != after:
        log.info(
            "database upgraded",
            extra={"database": safe_url(engine.url), "from_revision": before, "to_revision": after},
        )
    return after
