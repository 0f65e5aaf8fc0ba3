"""PostgreSQL's conflicts between concurrent transactions become one clear line for ``StorageError``."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from adapters.sql import create_sql_engine
from adapters.sql.errors import describe

pytestmark = pytest.mark.postgres


def test_a_deadlock_is_named_a_conflict_to_retry(postgres_url: str) -> None:
    """Two transactions locking the two counter rows in opposite orders: the one PostgreSQL aborts is described
    as a deadlock between units of work, in one line, saying nothing was changed."""
    engine = create_sql_engine(postgres_url)
    both_hold_one = threading.Barrier(2)
    failures: list[str] = []

    def lock(first: str, second: str) -> None:
        connection: Connection
        with engine.connect() as connection, connection.begin():
            lock_row = text("SELECT 1 FROM queue_counter WHERE queue = :queue FOR UPDATE")
            connection.execute(lock_row, {"queue": first})
            both_hold_one.wait(10)
            try:
                connection.execute(lock_row, {"queue": second})
            except SQLAlchemyError as error:
                failures.append(describe(error))

    threads = [
        threading.Thread(target=lock, args=("mentions", "bits")),
        threading.Thread(target=lock, args=("bits", "mentions")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    engine.dispose()
    assert failures == ["database conflict: deadlock between concurrent units of work; nothing was changed, try again"]
