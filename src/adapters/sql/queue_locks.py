"""Queue locks: on a server database, a unit of work that reads or changes messages, counters or the server
state first locks the queue counter rows, always in one order, so concurrent units never act on stale rows
and never deadlock on each other."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select

from adapters.sql.core import QUEUE_COUNTER
from tts_core.model import QueueKind

QUEUE_ORDER = tuple(QueueKind)
"""The one order in which units of work lock the counter rows."""
_LOCK = select(QUEUE_COUNTER.c.queue).where(QUEUE_COUNTER.c.queue == bindparam("queue")).with_for_update()


class QueueLocks:
    """The queue locks of one unit of work: row locks on every ``queue_counter`` row, held until it ends.

    Why: PostgreSQL at READ COMMITTED lets two transactions read the same message and both act on it (play it
    twice, count it twice, overwrite the other's change of the server state), and a unit that updated a counter
    row and then waits for a message row another unit holds (which waits for that counter) deadlocks. So every
    unit that reads messages in order to change them, or reads counters or the server state, locks the counter
    rows first, in ``QUEUE_ORDER``; such units run one after the other, and the lock order is always: counter
    rows, then message rows, then the ``server_state`` row that numbers events at commit. Lists (``find``), the
    ``seq``, mutes and voice settings are read without these locks.
    Synthesis and playback run outside units of work, so workers and players on many machines still work in
    parallel; a unit of work lasts milliseconds.

    All queues are locked, not only the one a unit touches: announcing counts, claiming from both queues and
    switching queues touch both, and a unit that locked bits then mentions could deadlock with one that locked
    mentions then bits. SQLite needs none of this: its writers take the database lock at BEGIN (``enabled`` is
    False there). Read-only units (``Storage.reading``) take none: they read one snapshot and change nothing.
    """

    def __init__(self, connection: Connection, *, enabled: bool) -> None:
        self.connection = connection
        self.enabled = enabled
        self._held = False

    def take(self) -> None:
        """Lock every queue for the rest of the transaction (once); waits for the unit that holds them."""
        if not self.enabled or self._held:
            return
        for queue in QUEUE_ORDER:
            self.connection.execute(_LOCK, {"queue": queue.value})
        self._held = True
