"""Database errors as one readable line for ``StorageError``: conflicts between concurrent units of work
(deadlock, serialization failure, lock timeout) are named as such."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

_CONFLICTS = {
    "40P01": "deadlock between concurrent units of work",
    "40001": "serialization failure between concurrent units of work",
    "55P03": "a lock was not granted in time (another unit of work holds it)",
}


def describe(error: SQLAlchemyError) -> str:
    """``error`` in one line: a named conflict (nothing was changed; the operation may be retried) or the
    driver's first line."""
    original = getattr(error, "orig", None)
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if code in _CONFLICTS:
        return f"database conflict: {_CONFLICTS[code]}; nothing was changed, try again"
    detail = str(original if original is not None else error).strip().splitlines()
    first = detail[0] if detail else ""
    return f"database error: {error.__class__.__name__}: {first}"
