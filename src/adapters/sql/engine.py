"""Engine creation: SQLite in WAL mode with a busy timeout, writers that take the lock up front, readers that don't;
PostgreSQL with a sized pool, READ COMMITTED and bounded waits (read-only units: REPEATABLE READ READ ONLY)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

SQLITE_BUSY_TIMEOUT_MS = 10_000
POSTGRES_POOL_SIZE = 10
"""Connections kept open per process: the HTTP handler threads, the worker and the autoplay loop share them."""
POSTGRES_MAX_OVERFLOW = 10
POSTGRES_POOL_TIMEOUT_S = 10
POSTGRES_CONNECT_TIMEOUT_S = 5
POSTGRES_LOCK_TIMEOUT_MS = 10_000
"""How long a statement waits for a row lock (a queue lock) before failing with a StorageError, like
SQLite's busy timeout: a stuck transaction elsewhere must not hang every request."""
READ_ONLY = "tts_read_only"
"""Execution option of a connection whose transaction only reads: on SQLite it begins deferred (no write lock)."""


def read_only_options(engine: Engine) -> dict[str, Any]:
    """Execution options for a read-only transaction on ``engine``: one consistent snapshot, no write lock."""
    if engine.dialect.name == "postgresql":
        return {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    return {READ_ONLY: True}


def create_sql_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite the parent directory is created and pragmas are set."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return _postgres_engine(parsed)
    if backend != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _postgres_engine(url: URL) -> Engine:
    # READ COMMITTED is PostgreSQL's default, stated here because the queue locks are designed for it
    return create_engine(
        url,
        pool_size=POSTGRES_POOL_SIZE,
        max_overflow=POSTGRES_MAX_OVERFLOW,
        pool_timeout=POSTGRES_POOL_TIMEOUT_S,
        pool_pre_ping=True,
        isolation_level="READ COMMITTED",
        connect_args={
            "connect_timeout": POSTGRES_CONNECT_TIMEOUT_S,
            "application_name": "tts-server",
            "options": f"-c lock_timeout={POSTGRES_LOCK_TIMEOUT_MS}",
        },
    )


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN is deferred)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock at the start, so two units of work never deadlock on upgrade;
    # a read-only unit begins deferred: in WAL it reads one snapshot beside a writer
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
