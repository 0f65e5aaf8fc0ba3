"""A migrated database that several processes (or several storages in one test) share: SQLite or PostgreSQL.

Use the ``shared_database_url`` fixture (import it into the test module); it runs each test on both.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.sql import create_sql_engine, upgrade_to_head
from tests.support.pg_server import PostgresServer, PostgresUnavailable

_numbers = itertools.count(1)
_server: PostgresServer | None = None


def _postgres() -> PostgresServer:
    global _server  # noqa: PLW0603 - one server for the whole session, started on first use
    if _server is None:
        try:
            _server = PostgresServer.start()
        except PostgresUnavailable as missing:
            pytest.skip(str(missing))
    return _server


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh database at the newest schema (dropped afterwards on PostgreSQL)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'shared.db'}"
        drop = None
    else:
        server = _postgres()
        name = f"tts_shared_{os.getpid()}_{next(_numbers)}"
        url = server.create_database(name)
        drop = name
    engine = create_sql_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    yield url
    if drop is not None:
        _postgres().drop_database(drop)
