"""The Alembic migrations build the schema the table models describe (types included: on PostgreSQL a model's
type is what values are sent as), on SQLite and on PostgreSQL, and they downgrade to nothing and upgrade again."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import adapters.sql.tables
import adapters.sql.voice_tables  # noqa: F401  (the models register on SQLModel.metadata)
from adapters.sql import create_sql_engine
from adapters.sql.migrate import alembic_config


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tts.db'}"
    from tests.integration.conftest import fresh_postgres_database

    url, drop = fresh_postgres_database(request.getfixturevalue("postgres_server"), "template0")
    request.addfinalizer(drop)
    return url


def test_migrations_build_the_models_and_undo_cleanly(empty_url: str) -> None:
    """After upgrading, autogenerate finds nothing to change; after downgrading to base no table is left."""
    engine = create_sql_engine(empty_url)
    config = alembic_config(empty_url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
            command.downgrade(config, "base")
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
            command.upgrade(config, "head")
    finally:
        engine.dispose()
