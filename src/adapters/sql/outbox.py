"""The event outbox: committed events as rows, numbered by ``seq``, for relays in other processes to read."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, func, insert, select, text

from adapters.sql.event_codec import EventCodecError, decode_event, encode_event
from adapters.sql.shared_tables import EventOutboxRow
from adapters.sql.tables import ServerStateRow
from tts_core.events import Event

log = logging.getLogger(__name__)

CHANNEL = "tts_events"
"""The PostgreSQL ``LISTEN/NOTIFY`` channel that wakes relays when events commit."""
_OUTBOX = EventOutboxRow.__table__  # type: ignore[attr-defined]
_STATE = ServerStateRow.__table__  # type: ignore[attr-defined]


def write_outbox(connection: Connection, events: Sequence[Event]) -> None:
    """Add numbered ``events`` to the outbox in ``connection``'s transaction; on PostgreSQL also NOTIFY the
    relays (delivered when, and only if, the transaction commits)."""
    now = datetime.now(UTC)
    rows = [{"seq": e.seq, "type": e.type, "payload": encode_event(e), "created_at": now} for e in events]
    connection.execute(insert(_OUTBOX), rows)
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_notify(:channel, :seq)"), {"channel": CHANNEL, "seq": str(events[-1].seq)})


def read_after(
    connection: Connection, seq: int, *, through: int | None = None, limit: int = 1000
) -> list[tuple[int, Event | None]]:
    """Committed events with a ``seq`` above ``seq`` (and at most ``through``), oldest first, as (seq, event).

    A row this code cannot read (written by a newer version during a rolling upgrade) comes as (seq, ``None``):
    it is skipped with a warning, and the events after it still arrive.
    """
    statement = select(_OUTBOX.c.seq, _OUTBOX.c.payload).where(_OUTBOX.c.seq > seq)
    if through is not None:
        statement = statement.where(_OUTBOX.c.seq <= through)
    statement = statement.order_by(_OUTBOX.c.seq).limit(limit)
    return [(int(row_seq), _decode(int(row_seq), payload)) for row_seq, payload in connection.execute(statement)]


def _decode(seq: int, payload: str) -> Event | None:
    try:
        return decode_event(payload)
    except (EventCodecError, ValueError, TypeError, KeyError) as error:
        log.warning("event %s in the outbox cannot be read here (%s); skipped", seq, error)
        return None


def newest_seq(connection: Connection) -> int:
    """The ``seq`` of the newest committed event (0 before the first)."""
    value = connection.execute(select(func.coalesce(func.max(_STATE.c.seq), 0))).scalar_one()
    return int(value)


def prune_before(connection: Connection, before: datetime) -> int:
    """Delete outbox rows written before ``before``; returns how many."""
    result = connection.execute(delete(_OUTBOX).where(_OUTBOX.c.created_at < before))
    return int(getattr(result, "rowcount", 0) or 0)
