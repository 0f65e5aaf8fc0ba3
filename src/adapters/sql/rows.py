"""Get-or-insert of a row by primary key that stays correct when another transaction inserts the same key at
the same moment (possible on PostgreSQL, where writers do not lock the whole database)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

Row = TypeVar("Row")


def get_or_insert(session: Session, model: type[Row], key: Any, make: Callable[[], Row]) -> Row:
    """The row of ``model`` with primary key ``key``; if there is none, ``make()`` is inserted (in a savepoint)
    and returned. If a concurrent transaction inserted the key first, its row is returned instead."""
    row = session.get(model, key)
    if row is not None:
        return row
    try:
        with session.begin_nested():
            made = make()
            session.add(made)
        return made
    except IntegrityError:
        # the insert waited for the other transaction's commit, so its row can be read now
        existing = session.get(model, key, populate_existing=True)
        if existing is None:
            raise
        return existing
