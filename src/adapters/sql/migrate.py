"""Alembic, driven from code: bring a database to the newest schema, or check that it is there."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from adapters.sql.errors import describe
from tts_core.errors import StorageError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 7_261_434_011
"""The PostgreSQL advisory lock key held while migrating: two ``tts-server migrate`` at once run one by one."""


class SchemaNotCurrent(StorageError):
    """The database's schema is not the one this code needs; ``tts-server migrate`` brings it there."""


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` that needs no alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Create or upgrade the schema of ``engine``'s database to the newest migration, in one transaction.

    Raises ``StorageError`` (one line) when the database cannot be reached or a migration fails.
    """
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as error:
        raise StorageError(describe(error)) from error


def check_at_head(engine: Engine) -> None:
    """Raise ``SchemaNotCurrent`` unless the database is at the newest migration (``StorageError`` when it
    cannot be reached)."""
    wanted = set(ScriptDirectory.from_config(alembic_config(str(engine.url))).get_heads())
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        raise StorageError(describe(error)) from error
    if current != wanted:
        found = ", ".join(sorted(current)) or "empty"
        raise SchemaNotCurrent(
            f"the database schema is at revision {found}, this server needs {', '.join(sorted(wanted))}: "
            "run `tts-server migrate` first"
        )


def prepare_schema(engine: Engine) -> None:
    """What a starting server does: on SQLite (one machine) migrate now, so one command is enough; on a server
    database only check, as several processes start and ``tts-server migrate`` runs once, before them."""
    if engine.dialect.name == "sqlite":
        upgrade_to_head(engine)
    else:
        check_at_head(engine)
