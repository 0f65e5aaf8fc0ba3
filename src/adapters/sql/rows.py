"""Insert-or-update of a row by its key that stays correct when another transaction inserts the same key at the
same moment (possible on PostgreSQL, where writers do not lock the whole database); portable (no dialect's
ON CONFLICT)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, insert, update
from sqlalchemy.exc import IntegrityError


def insert_new(connection: Connection, table: Table, values: dict[str, Any]) -> bool:
    """Insert ``values`` into ``table`` in a savepoint; ``False`` (and nothing written) when a row with the same
    key exists, also one a concurrent transaction inserted first (PostgreSQL makes the insert wait for that
    transaction's commit, so its row can be read right after)."""
    try:
        with connection.begin_nested():
            connection.execute(insert(table).values(values))
    except IntegrityError:
        return False
    return True


def upsert(connection: Connection, table: Table, key: dict[str, Any], values: dict[str, Any]) -> None:
    """Update the row of ``key`` with ``values``, or insert it; a concurrent first insert of the same key is
    updated instead."""
    change = update(table).where(*[table.c[name] == value for name, value in key.items()]).values(values)
    if connection.execute(change).rowcount:
        return
    if insert_new(connection, table, {**key, **values}):
        return
    if not connection.execute(change).rowcount:  # the insert failed for another reason than the key
        connection.execute(insert(table).values({**key, **values}))
