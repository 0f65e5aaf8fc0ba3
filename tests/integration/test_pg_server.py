"""The throwaway PostgreSQL server of the tests: loopback only, cheap migrated copies, nothing left behind."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import inspect

from adapters.sql import create_sql_engine
from tests.support.pg_server import PostgresServer

pytestmark = pytest.mark.postgres


def test_copied_database_has_the_migrated_schema(postgres_url: str) -> None:
    """A per-test database already has the tables and the Alembic head revision."""
    engine = create_sql_engine(postgres_url)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            assert {"message", "queue_counter", "server_state", "alembic_version"} <= tables
    finally:
        engine.dispose()


def test_server_listens_on_loopback_only(postgres_server: PostgresServer) -> None:
    """The server is reachable on 127.0.0.1 and listens on no other address."""
    with psycopg.connect(postgres_server.dsn(), autocommit=True) as connection:
        row = connection.execute("SHOW listen_addresses").fetchone()
    assert row == ("127.0.0.1",)


def test_stop_removes_the_cluster(postgres_server: PostgresServer) -> None:
    """A second server starts on another port, and stopping it removes its directory; the first keeps running."""
    server = PostgresServer.start()
    try:
        assert server.port != postgres_server.port
        with psycopg.connect(server.dsn(), autocommit=True) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
    finally:
        server.stop()
    assert not server.root.exists()
    with psycopg.connect(postgres_server.dsn(), autocommit=True) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)
