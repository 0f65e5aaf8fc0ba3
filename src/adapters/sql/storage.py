"""SqlModelStorage: the Storage port in SQLAlchemy Core statements on the SQLModel tables (SQLite, PostgreSQL)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import Connection, Engine, and_, bindparam, delete, insert, or_, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from adapters.fair_lock import FairLock
from adapters.read_set import AsRead, ReadSet
from adapters.sql.core import MESSAGE, MUTE, QUEUE_COUNTER, REMEMBERED_DELETION, SERVER_STATE
from adapters.sql.engine import SQLITE_BUSY_TIMEOUT_MS, read_only_options
from adapters.sql.errors import describe
from adapters.sql.mapping import message_from_row, message_values, soft_deleted_values
from adapters.sql.outbox import write_outbox
from adapters.sql.queue_locks import QueueLocks
from adapters.sql.reading import SqlReadOnlyUnit, counts_from_row
from adapters.sql.rows import insert_new, upsert
from adapters.sql.voice_settings import SqlVoiceSettings
from tts_core.counts import CountDelta, QueueCounts, count_delta
from tts_core.errors import ConcurrentUpdate, MessageNotFound, StorageError
from tts_core.events import Event
from tts_core.model import AUDIO_STATUSES, CLEARABLE_STATUSES, DeletionReason, Message, MessageStatus, QueueKind
from tts_core.moderation import Mute
from tts_core.ports import EventSink, ReadOnlyUnitOfWork, Storage, UnitOfWork
from tts_core.state import ServerState

log = logging.getLogger(__name__)

_M = MESSAGE.c
_C = QUEUE_COUNTER.c
_INSERT = insert(MESSAGE).returning(_M.id)
_SAVE = update(MESSAGE).where(
    _M.id == bindparam("was_id"), _M.status == bindparam("was_status"), _M.attempts == bindparam("was_attempts")
)
_LOCK_ROW = select(_M.status, _M.attempts, _M.audio_ref, _M.audio_size_bytes).where(_M.id == bindparam("id"))
_COUNTERS = [*(status.value for status in MessageStatus), "audio_bytes"]
_DELTA_KEYS = [(status, f"d_{status.value}") for status in MessageStatus]
_MOVE_COUNTERS = (
    update(QUEUE_COUNTER)
    .where(_C.queue == bindparam("counter_queue"))
    .values({name: _C[name] + bindparam(f"d_{name}") for name in _COUNTERS})
    .returning(*QUEUE_COUNTER.c)
)
_NOW = bindparam("now", type_=MESSAGE.c.retry_at.type)
_CLAIM = (
    select(MESSAGE)
    .where(
        _M.queue == bindparam("queue"),
        or_(
            and_(_M.status == MessageStatus.PENDING.value, or_(_M.retry_at.is_(None), _M.retry_at <= _NOW)),
            and_(_M.status == MessageStatus.SYNTHESIZING.value, or_(_M.lease_until.is_(None), _M.lease_until <= _NOW)),
        ),
    )
    .order_by(_M.id)
    .limit(1)
    .with_for_update(skip_locked=True)
)
"""The oldest claimable message of a queue (``Message.claimable``), locked; rows other workers hold are skipped."""
_NUMBER_EVENTS = (
    update(SERVER_STATE)
    .where(SERVER_STATE.c.id == 1)
    .values(seq=SERVER_STATE.c.seq + bindparam("count"))
    .returning(SERVER_STATE.c.seq)
)


class SqlUnitOfWork(SqlVoiceSettings, SqlReadOnlyUnit, UnitOfWork):
    """A unit of work on one connection (one database transaction), in Core statements."""

    def __init__(self, connection: Connection, *, outbox: bool = False, queue_locks: bool = False) -> None:
        super().__init__(connection)
        self.outbox = outbox
        """Whether numbered events are also written to the event outbox (several processes share the database)."""
        self.emitted: list[Event] = []
        self.read = ReadSet()
        self._note = self.read.remember
        self.locks = QueueLocks(connection, enabled=queue_locks)
        self._lock_queues = self.locks.take
        self._counted: dict[QueueKind, QueueCounts] = {}
        """Counters this unit wrote: their rows stay locked by this transaction (and on PostgreSQL every unit that
        moves counters took the queue locks before), so they need no new read."""
        self._deferred: dict[QueueKind, CountDelta] = {}
        """What the messages added so far change in the counters, written before anything reads or moves them
        (one UPDATE per queue for a whole batch of chat instead of one per message)."""

    def counts(self, queue: QueueKind) -> QueueCounts:
        self._write_deferred_counts()
        known = self._counted.get(queue)
        return known if known is not None else super().counts(queue)

    def emit(self, event: Event) -> None:
        self.emitted.append(event)

    def recount(self, queue: QueueKind) -> QueueCounts:
        self._write_deferred_counts()
        return super().recount(queue)

    def number_emitted(self) -> list[Event]:
        """Give the emitted events their ``seq`` (moving the database's counter in this transaction); called last,
        before the commit, it also writes the counters still deferred."""
        self._write_deferred_counts()
        if not self.emitted:
            return []
        count = len(self.emitted)
        last = int(self.connection.execute(_NUMBER_EVENTS, {"count": count}).scalar_one())
        numbered = [attrs.evolve(event, seq=last - count + 1 + i) for i, event in enumerate(self.emitted)]
        if self.outbox:
            write_outbox(self.connection, numbered)
        return numbered

    def add(self, message: Message) -> Message:
        if message.id is not None:
            raise ValueError("a new message must not have an id")
        self.locks.take()
        new_id = self.connection.execute(_INSERT, message_values(message)).scalar_one()
        stored = attrs.evolve(message, id=int(new_id))
        self._defer_count(count_delta(None, stored))
        return self._note(stored)

    def save(self, message: Message) -> None:
        if message.id is None:
            raise MessageNotFound(0)
        self.locks.take()
        self._write_deferred_counts()
        before = self.read.expected(message) or self._lock(message.id)
        params = message_values(message)
        params.update(was_id=message.id, was_status=before.status.value, was_attempts=before.attempts)
        if not self.connection.execute(_SAVE, params).rowcount:
            raise ConcurrentUpdate(message.id)
        self._count(count_delta(before, message))
        self._note(message)

    def _lock(self, message_id: int) -> AsRead:
        # a message this unit never read: compare with the row as it is now, locked until commit
        row = self.connection.execute(_LOCK_ROW.with_for_update(), {"id": message_id}).first()
        if row is None:
            raise MessageNotFound(message_id)
        status = MessageStatus(row.status)
        on_disk = (row.audio_size_bytes or 0) if row.audio_ref is not None and status in AUDIO_STATUSES else 0
        return AsRead(status, row.attempts, on_disk)

    def _defer_count(self, delta: CountDelta) -> None:
        known = self._deferred.get(delta.queue)
        self._deferred[delta.queue] = delta if known is None else known.plus(delta)

    def _write_deferred_counts(self) -> None:
        deferred, self._deferred = self._deferred, {}
        for delta in deferred.values():
            self._count(delta)

    def _count(self, delta: CountDelta) -> None:
        if delta.is_empty:
            return
        changes = delta.statuses
        params: dict[str, Any] = {key: changes.get(status, 0) for status, key in _DELTA_KEYS}
        params.update(d_audio_bytes=delta.audio_bytes, counter_queue=delta.queue.value)
        row = self.connection.execute(_MOVE_COUNTERS, params).first()
        if row is not None:
            self._counted[delta.queue] = counts_from_row(row)

    def soft_delete_many(
        self,
        queue: QueueKind,
        statuses: frozenset[MessageStatus],
        *,
        reason: DeletionReason,
        now: datetime,
        ids: Collection[int] | None = None,
    ) -> list[Message]:
        if not statuses <= CLEARABLE_STATUSES:
            raise ValueError(f"cannot soft-delete messages that are {sorted(statuses - CLEARABLE_STATUSES)}")
        if ids is not None and not ids:
            return []
        self.locks.take()
        self._write_deferred_counts()
        deleted: list[Message] = []
        statuses_delta: dict[MessageStatus, int] = {}
        audio = 0
        # one UPDATE per former status: RETURNING shows the new row, and the counters need the old status
        for status in sorted(statuses):
            statement = update(MESSAGE).where(_M.queue == queue.value, _M.status == status.value)
            if ids is not None:
                statement = statement.where(_M.id.in_(list(ids)))
            rows = self.connection.execute(statement.values(soft_deleted_values(reason, now)).returning(*MESSAGE.c))
            gone = [self._note(message_from_row(row)) for row in rows]
            if not gone:
                continue
            deleted.extend(gone)
            statuses_delta[status] = -len(gone)
            if status in AUDIO_STATUSES:
                audio -= sum(m.audio.size_bytes for m in gone if m.audio is not None)
        if deleted:
            statuses_delta[MessageStatus.DELETED] = len(deleted)
            self._count(CountDelta(queue=queue, statuses=statuses_delta, audio_bytes=audio))
        return sorted(deleted, key=lambda m: m.id or 0)

    def next_pending(self, queues: Sequence[QueueKind], now: datetime) -> Message | None:
        self.locks.take()
        for queue in queues:
            row = self.connection.execute(_CLAIM, {"queue": queue.value, "now": now}).first()
            if row is not None:
                return self._note(message_from_row(row))
        return None

    def replace_counts(self, counts: QueueCounts) -> None:
        values: dict[str, Any] = {status.value: counts[status] for status in MessageStatus}
        values["audio_bytes"] = counts.audio_bytes
        self.locks.take()
        self._write_deferred_counts()
        self.connection.execute(update(QUEUE_COUNTER).where(_C.queue == counts.queue.value).values(values))
        self._counted.pop(counts.queue, None)

    def mute(self, mute: Mute) -> None:
        upsert(self.connection, MUTE, {"user": mute.user}, {"since": mute.since, "until": mute.until})

    def unmute(self, user: str) -> bool:
        return bool(self.connection.execute(delete(MUTE).where(MUTE.c.user == user)).rowcount)

    def forget_mutes_ended(self, now: datetime) -> int:
        statement = delete(MUTE).where(MUTE.c.until.is_not(None), MUTE.c.until <= now)
        return int(self.connection.execute(statement).rowcount)

    def remember_deletion(self, twitch_message_id: str, until: datetime) -> None:
        key = REMEMBERED_DELETION.c.twitch_message_id == twitch_message_id
        known = self.connection.execute(select(REMEMBERED_DELETION.c.until).where(key)).first()
        if known is None and insert_new(
            self.connection, REMEMBERED_DELETION, {"twitch_message_id": twitch_message_id, "until": until}
        ):
            return
        # remembered before (or inserted by a concurrent unit meanwhile): keep the later end
        later = update(REMEMBERED_DELETION).where(key, REMEMBERED_DELETION.c.until < until).values(until=until)
        self.connection.execute(later)

    def forget_deletions(self, now: datetime) -> int:
        statement = delete(REMEMBERED_DELETION).where(REMEMBERED_DELETION.c.until <= now)
        return int(self.connection.execute(statement).rowcount)

    def save_state(self, state: ServerState) -> None:
        self.locks.take()  # before the state row: units that number events lock that row last
        values = {"active_queue": state.active_queue.value, "autoplay": state.autoplay}
        upsert(self.connection, SERVER_STATE, {"id": 1}, values)


class SqlModelStorage(Storage):
    """Storage on a SQLAlchemy engine; the schema must be at Alembic's head (see ``upgrade_to_head``).

    Emitted events are numbered in the committing transaction and published to ``events`` after the
    commit. The publish lock is taken before the commit and released after publishing: a unit that
    commits later (the database orders the commits: the ``seq`` row is locked until commit) waits for
    it, so every listener of this process sees events in commit order.

    Units of work that change messages run one after the other: on SQLite because writers take the database
    lock at BEGIN, on PostgreSQL (several processes) through the queue locks (``adapters.sql.queue_locks``).

    With ``outbox`` (several processes share the database) the events are also written to the event outbox in
    the same transaction, and ``events`` should be a :class:`~adapters.sql.event_relay.SqlEventRelay`: it hands
    them on together with the other processes' events, in ``seq`` order.
    """

    def __init__(self, engine: Engine, events: EventSink | None = None, *, outbox: bool = False) -> None:
        self.engine = engine
        self.events = events
        self.outbox = outbox
        self._publish_lock = threading.Lock()
        self._read_only = read_only_options(engine)
        sqlite = engine.dialect.name == "sqlite"
        self._writers = FairLock() if sqlite else None
        """SQLite only: PostgreSQL's writers wait for each other on row locks in the server, not on the file."""
        self._queue_locks = not sqlite

    @contextmanager
    def reading(self) -> Iterator[ReadOnlyUnitOfWork]:
        try:
            with self.engine.connect() as connection:
                connection.execution_options(**self._read_only)
                transaction = connection.begin()
                try:
                    yield SqlReadOnlyUnit(connection)
                finally:
                    transaction.rollback()
        except SQLAlchemyError as error:
            raise StorageError(describe(error)) from error

    @contextmanager
    def _writer_turn(self) -> Iterator[None]:
        # SQLite's busy handler polls with growing sleeps: with many threads of this process writing, a writer that
        # just committed takes the lock again before a sleeping one wakes, which can starve that one past the busy
        # timeout; a first-come-first-served lock lets this process's writers queue instead (other processes still
        # meet the busy timeout)
        if self._writers is None:
            yield
            return
        if not self._writers.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
            raise StorageError("database error: the database stayed locked by other units of work")
        try:
            yield
        finally:
            self._writers.release()

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        try:
            with self._writer_turn(), self.engine.connect() as connection:
                transaction = connection.begin()
                uow = SqlUnitOfWork(connection, outbox=self.outbox, queue_locks=self._queue_locks)
                yield uow
                numbered = uow.number_emitted()
                if not numbered:
                    transaction.commit()
                    return
                with self._publish_lock:
                    transaction.commit()
                    self._publish(numbered)
        except SQLAlchemyError as error:
            raise StorageError(describe(error)) from error

    def _publish(self, events: list[Event]) -> None:
        if self.events is None:
            return
        for event in events:
            try:
                self.events.publish(event)
            except Exception:  # a listener's failure never undoes or fails a committed change
                log.exception("publishing %s failed", event.type)

    def healthy(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execution_options(**self._read_only)
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True
