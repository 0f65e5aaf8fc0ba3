"""Queue locks: on a server database, a unit of work that reads a queue's messages first locks that queue's
counter row, always in one queue order, so concurrent units never decide on stale rows or deadlock."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from adapters.sql.tables import QueueCounterRow
from tts_core.model import QueueKind

QUEUE_ORDER = tuple(QueueKind)
"""The one order in which units of work lock queues (a unit locking bits then mentions could deadlock)."""


class QueueLocks:
    """The queue locks one unit of work holds (row locks on ``queue_counter``, released at commit or rollback).

    Why: PostgreSQL at READ COMMITTED lets two transactions read the same message and both act on it (play
    it twice, count it twice). Every unit that reads messages of a queue in order to change them takes the
    queue's lock first, so such units run one after the other per queue; the database also locks each
    counter row when it updates it, so the lock order is always: queues (in ``QUEUE_ORDER``), then message
    rows, then the ``server_state`` row that numbers events at commit. Synthesis and playback themselves run
    outside units of work, so workers and players still work in parallel.

    SQLite needs none of this: its writers take the database lock at BEGIN (``enabled`` is False there).
    """

    def __init__(self, session: Session, *, enabled: bool) -> None:
        self.session = session
        self.enabled = enabled
        self._held: set[QueueKind] = set()

    def take(self, queues: Iterable[QueueKind] = QUEUE_ORDER) -> None:
        """Lock ``queues`` (all by default) for the rest of the transaction; waits for their current holders."""
        if not self.enabled:
            return
        wanted = set(queues) - self._held
        for queue in QUEUE_ORDER:
            if queue in wanted:
                statement = select(col(QueueCounterRow.queue)).where(col(QueueCounterRow.queue) == queue.value)
                self.session.execute(statement.with_for_update())
                self._held.add(queue)
