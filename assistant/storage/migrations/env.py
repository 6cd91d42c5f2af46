"""Alembic environment, run by `assistant.storage.migrate` with a connection it already holds.

There is no alembic.ini: the caller puts an open connection in `config.attributes["connection"]` (the
normal path, so one transaction and one lock cover the whole upgrade) or a `sqlalchemy.url` option (the
`alembic` command line, for writing new revisions). Logging is left to the application.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from assistant.storage.db import make_engine
from assistant.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    # Batch mode is what lets later ALTERs work on SQLite (it recreates the table); PostgreSQL ignores it.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set config.attributes['connection'] or the sqlalchemy.url option")
    engine = make_engine(url)
    try:
        with engine.begin() as own_connection:
            _run(own_connection)
    finally:
        engine.dispose()


def _run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
else:
    _run_online()
