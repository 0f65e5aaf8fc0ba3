"""Whether a database's schema is at Alembic's head (a process that does not migrate checks it at start-up)."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from adapters.sql.migrate import alembic_config
from tts_core.errors import StorageError


def require_current_schema(engine: Engine) -> None:
    """Raise :class:`StorageError` (saying to run ``tts-server migrate``) unless the schema is at head."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    heads = set(ScriptDirectory.from_config(config).get_heads())
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        raise StorageError(f"cannot reach the database: {error.__class__.__name__}: {error}") from error
    if current != heads:
        shown = ", ".join(sorted(current)) or "none"
        raise StorageError(
            f"the database schema is at revision {shown}, not {', '.join(sorted(heads))}: run `tts-server migrate`"
        )
