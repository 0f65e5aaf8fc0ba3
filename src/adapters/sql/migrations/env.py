"""Alembic environment: runs migrations on the connection handed in by ``upgrade_to_head``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

from adapters.sql.engine import create_sql_engine
from adapters.sql.shared_tables import EventOutboxRow  # noqa: F401
from adapters.sql.tables import MessageRow  # noqa: F401  (registers the tables on the metadata)
from adapters.sql.voice_tables import UserVoiceRow  # noqa: F401

config = context.config
target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Migrate on the given connection, or open one from the configured URL (alembic CLI)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"
    with create_sql_engine(url).begin() as opened:
        _run(opened)


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `tts-server migrate`")
run()
