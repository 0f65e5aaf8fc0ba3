"""SqlRoleLease: a role (``playback``) that one process at a time holds, as a renewable lease in the database."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, Update, or_, update
from sqlalchemy.exc import SQLAlchemyError

from adapters.sql.shared_tables import ProcessLeaseRow
from tts_core.errors import StorageError

_LEASES = ProcessLeaseRow.__table__  # type: ignore[attr-defined]


class SqlRoleLease:
    """Takes, renews and gives up the lease of one role; taking it is one conditional UPDATE, so of several
    processes that try at once exactly one succeeds."""

    def __init__(self, engine: Engine, *, role: str, owner: str, seconds: float) -> None:
        self.engine = engine
        self.role = role
        self.owner = owner
        """Who this process is (host and process id): shown in the row, compared on renewal."""
        self.seconds = seconds

    def hold(self, now: datetime) -> bool:
        """Take the role, or renew it, for ``seconds`` from ``now``; ``False`` while another owner's lease lasts.
        Raises :class:`StorageError` when the database fails (the caller then does not know: it stops acting)."""
        free = or_(_LEASES.c.owner.is_(None), _LEASES.c.owner == self.owner, _LEASES.c.until <= now)
        statement = (
            update(_LEASES)
            .where(_LEASES.c.name == self.role, free)
            .values(owner=self.owner, until=now + timedelta(seconds=self.seconds))
        )
        return self._changed(statement)

    def give_up(self) -> bool:
        """Free the role at once (a clean stop), so another process need not wait for the lease to expire."""
        statement = (
            update(_LEASES)
            .where(_LEASES.c.name == self.role, _LEASES.c.owner == self.owner)
            .values(owner=None, until=None)
        )
        return self._changed(statement)

    def _changed(self, statement: Update) -> bool:
        try:
            with self.engine.begin() as connection:
                result = connection.execute(statement)
        except SQLAlchemyError as error:
            raise StorageError(f"database error: {error.__class__.__name__}: {error}") from error
        return bool(getattr(result, "rowcount", 0))
