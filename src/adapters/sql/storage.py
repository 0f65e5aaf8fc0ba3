"""SqlModelStorage: the Storage port on SQLModel (SQLite now, PostgreSQL-ready queries)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import Engine, and_, delete, func, or_, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from adapters.sql.mapping import message_from_row, message_to_row, new_row, utc
from adapters.sql.outbox import write_outbox
from adapters.sql.tables import MessageRow, MuteRow, QueueCounterRow, RememberedDeletionRow, ServerStateRow
from adapters.sql.voice_settings import SqlVoiceSettings
from tts_core.counts import QueueCounts, count_delta
from tts_core.errors import MessageNotFound, StorageError
from tts_core.events import Event
from tts_core.model import Message, MessageStatus, QueueKind
from tts_core.moderation import Mute
from tts_core.ports import EventSink, Storage, UnitOfWork
from tts_core.state import ServerState

log = logging.getLogger(__name__)

_PAGE = 200


class SqlUnitOfWork(SqlVoiceSettings, UnitOfWork):
    """A unit of work on one SQLModel session (one database transaction)."""

    def __init__(self, session: Session, *, outbox: bool = False) -> None:
        self.session = session
        self.outbox = outbox
        """Whether numbered events are also written to the event outbox (several processes share the database)."""
        self.emitted: list[Event] = []

    def emit(self, event: Event) -> None:
        self.emitted.append(event)

    def seq(self) -> int:
        value = self.session.execute(select(col(ServerStateRow.seq)).where(col(ServerStateRow.id) == 1)).scalar()
        return int(value or 0)

    def number_emitted(self) -> list[Event]:
        """Give the emitted events their ``seq`` (moving the database's counter in this transaction)."""
        if not self.emitted:
            return []
        count = len(self.emitted)
        statement = (
            update(ServerStateRow)
            .where(col(ServerStateRow.id) == 1)
            .values(seq=ServerStateRow.seq + count)
            .returning(col(ServerStateRow.seq))
        )
        last = int(self.session.execute(statement).scalar_one())
        numbered = [attrs.evolve(event, seq=last - count + 1 + i) for i, event in enumerate(self.emitted)]
        if self.outbox:
            write_outbox(self.session, numbered)
        return numbered

    def add(self, message: Message) -> Message:
        if message.id is not None:
            raise ValueError("a new message must not have an id")
        row = new_row(message)
        self.session.add(row)
        self.session.flush()
        stored = message_from_row(row)
        self._count(None, stored)
        return stored

    def get(self, message_id: int) -> Message | None:
        row = self.session.get(MessageRow, message_id)
        return message_from_row(row) if row is not None else None

    def save(self, message: Message) -> None:
        row = self.session.get(MessageRow, message.id) if message.id is not None else None
        if row is None:
            raise MessageNotFound(message.id or 0)
        before = message_from_row(row)
        message_to_row(message, row)
        self.session.flush()
        self._count(before, message)

    def _count(self, before: Message | None, after: Message) -> None:
        delta = count_delta(before, after)
        if delta.is_empty:
            return
        changes: dict[str, Any] = {"audio_bytes": QueueCounterRow.audio_bytes + delta.audio_bytes}
        for status, change in delta.statuses.items():
            column = getattr(QueueCounterRow, status.value)
            changes[status.value] = column + change
        statement = update(QueueCounterRow).where(col(QueueCounterRow.queue) == delta.queue.value).values(changes)
        self.session.execute(statement)

    def _select_in(self, queue: QueueKind, statuses: frozenset[MessageStatus]) -> Any:
        return select(MessageRow).where(
            col(MessageRow.queue) == queue.value, col(MessageRow.status).in_([s.value for s in statuses])
        )

    def next_pending(self, queues: Sequence[QueueKind], now: datetime) -> Message | None:
        claimable = or_(
            and_(
                col(MessageRow.status) == MessageStatus.PENDING.value,
                or_(col(MessageRow.retry_at).is_(None), col(MessageRow.retry_at) <= now),
            ),
            and_(
                col(MessageRow.status) == MessageStatus.SYNTHESIZING.value,
                or_(col(MessageRow.lease_until).is_(None), col(MessageRow.lease_until) <= now),
            ),
        )
        for queue in queues:
            statement = (
                select(MessageRow)
                .where(col(MessageRow.queue) == queue.value, claimable)
                .order_by(col(MessageRow.id))
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            row = self.session.exec(statement).first()
            if row is not None:
                return message_from_row(row)
        return None

    def next_ready(self, queue: QueueKind) -> Message | None:
        statement = self._select_in(queue, frozenset({MessageStatus.READY})).order_by(col(MessageRow.id)).limit(1)
        row = self.session.exec(statement).first()
        return message_from_row(row) if row is not None else None

    def oldest_first(self, queue: QueueKind, statuses: frozenset[MessageStatus]) -> Iterator[Message]:
        # pages instead of one open cursor, so the caller may write between reads
        last_id = 0
        while True:
            statement = (
                self._select_in(queue, statuses)
                .where(col(MessageRow.id) > last_id)
                .order_by(col(MessageRow.id))
                .limit(_PAGE)
            )
            rows = list(self.session.exec(statement).all())
            messages = [message_from_row(row) for row in rows]
            yield from messages
            if len(rows) < _PAGE:
                return
            last_id = rows[-1].id or last_id

    def find(
        self,
        *,
        queue: QueueKind | None = None,
        statuses: frozenset[MessageStatus] | None = None,
        before_id: int | None = None,
        limit: int = 100,
    ) -> list[Message]:
        statement = select(MessageRow)
        if queue is not None:
            statement = statement.where(col(MessageRow.queue) == queue.value)
        if statuses is not None:
            statement = statement.where(col(MessageRow.status).in_([s.value for s in statuses]))
        if before_id is not None:
            statement = statement.where(col(MessageRow.id) < before_id)
        statement = statement.order_by(col(MessageRow.id).desc()).limit(limit)
        return [message_from_row(row) for row in self.session.exec(statement).all()]

    def counts(self, queue: QueueKind) -> QueueCounts:
        row = self.session.get(QueueCounterRow, queue.value)
        if row is None:
            return QueueCounts(queue=queue)
        by_status = {status: int(getattr(row, status.value)) for status in MessageStatus}
        return QueueCounts(queue=queue, by_status=by_status, audio_bytes=row.audio_bytes)

    def recount(self, queue: QueueKind) -> QueueCounts:
        by_status = dict.fromkeys(MessageStatus, 0)
        grouped = select(MessageRow.status, func.count()).where(col(MessageRow.queue) == queue.value)
        for status, count in self.session.execute(grouped.group_by(col(MessageRow.status))).all():
            by_status[MessageStatus(status)] = int(count)
        on_disk = [MessageStatus.READY.value, MessageStatus.PLAYING.value]
        audio = select(func.coalesce(func.sum(MessageRow.audio_size_bytes), 0)).where(
            col(MessageRow.queue) == queue.value,
            col(MessageRow.status).in_(on_disk),
            col(MessageRow.audio_ref).is_not(None),
        )
        return QueueCounts(queue=queue, by_status=by_status, audio_bytes=int(self.session.execute(audio).scalar_one()))

    def replace_counts(self, counts: QueueCounts) -> None:
        values: dict[str, Any] = {status.value: counts[status] for status in MessageStatus}
        values["audio_bytes"] = counts.audio_bytes
        self.session.execute(
            update(QueueCounterRow).where(col(QueueCounterRow.queue) == counts.queue.value).values(values)
        )

    def with_twitch_id(self, twitch_message_id: str) -> list[Message]:
        matching = col(MessageRow.twitch_message_id) == twitch_message_id
        statement = select(MessageRow).where(matching).order_by(col(MessageRow.id))
        return [message_from_row(row) for row in self.session.exec(statement).all()]

    def from_sender(
        self,
        sender: str,
        *,
        queue: QueueKind | None = None,
        statuses: frozenset[MessageStatus] | None = None,
        since: datetime | None = None,
    ) -> list[Message]:
        statement = select(MessageRow).where(col(MessageRow.sender) == sender)
        if since is not None:
            statement = statement.where(col(MessageRow.created_at) >= since)
        if queue is not None:
            statement = statement.where(col(MessageRow.queue) == queue.value)
        if statuses is not None:
            statement = statement.where(col(MessageRow.status).in_([s.value for s in statuses]))
        statement = statement.order_by(col(MessageRow.id))
        return [message_from_row(row) for row in self.session.exec(statement).all()]

    def mute(self, mute: Mute) -> None:
        row = self.session.get(MuteRow, mute.user) or MuteRow(user=mute.user, since=mute.since)
        row.since, row.until = mute.since, mute.until
        self.session.add(row)
        self.session.flush()

    def unmute(self, user: str) -> bool:
        result = self.session.execute(delete(MuteRow).where(col(MuteRow.user) == user))
        return bool(getattr(result, "rowcount", 0))

    def mute_of(self, user: str) -> Mute | None:
        row = self.session.get(MuteRow, user)
        return _mute(row) if row is not None else None

    def mutes(self) -> list[Mute]:
        return [_mute(row) for row in self.session.exec(select(MuteRow).order_by(col(MuteRow.user))).all()]

    def forget_mutes_ended(self, now: datetime) -> int:
        statement = delete(MuteRow).where(col(MuteRow.until).is_not(None), col(MuteRow.until) <= now)
        return int(getattr(self.session.execute(statement), "rowcount", 0))

    def remember_deletion(self, twitch_message_id: str, until: datetime) -> None:
        row = self.session.get(RememberedDeletionRow, twitch_message_id)
        if row is None:
            self.session.add(RememberedDeletionRow(twitch_message_id=twitch_message_id, until=until))
        else:
            known = utc(row.until)
            row.until = until if known is None else max(known, until)
        self.session.flush()

    def deletion_remembered(self, twitch_message_id: str, now: datetime) -> bool:
        row = self.session.get(RememberedDeletionRow, twitch_message_id)
        until = utc(row.until) if row is not None else None
        return until is not None and now < until

    def forget_deletions(self, now: datetime) -> int:
        statement = delete(RememberedDeletionRow).where(col(RememberedDeletionRow.until) <= now)
        return int(getattr(self.session.execute(statement), "rowcount", 0))

    def state(self) -> ServerState:
        row = self.session.get(ServerStateRow, 1)
        if row is None:
            return ServerState()
        return ServerState(active_queue=QueueKind(row.active_queue), autoplay=row.autoplay)

    def save_state(self, state: ServerState) -> None:
        row = self.session.get(ServerStateRow, 1) or ServerStateRow(id=1, active_queue=state.active_queue.value)
        row.active_queue = state.active_queue.value
        row.autoplay = state.autoplay
        self.session.add(row)
        self.session.flush()


def _mute(row: MuteRow) -> Mute:
    since = utc(row.since)
    assert since is not None
    return Mute(user=row.user, since=since, until=utc(row.until))


class SqlModelStorage(Storage):
    """Storage on a SQLAlchemy engine; the schema must be at Alembic's head (see ``upgrade_to_head``).

    Emitted events are numbered in the committing transaction and published to ``events`` after the
    commit. The publish lock is taken before the commit and released after publishing: a unit that
    commits later (the database orders the commits: the ``seq`` row is locked until commit) waits for
    it, so every listener of this process sees events in commit order.

    With ``outbox`` (several processes share the database) the events are also written to the event outbox in
    the same transaction, and ``events`` should be a :class:`~adapters.sql.event_relay.SqlEventRelay`: it hands
    them on together with the other processes' events, in ``seq`` order.
    """

    def __init__(self, engine: Engine, events: EventSink | None = None, *, outbox: bool = False) -> None:
        self.engine = engine
        self.events = events
        self.outbox = outbox
        self._publish_lock = threading.Lock()

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                uow = SqlUnitOfWork(session, outbox=self.outbox)
                yield uow
                numbered = uow.number_emitted()
                if not numbered:
                    session.commit()
                    return
                with self._publish_lock:
                    session.commit()
                    self._publish(numbered)
        except SQLAlchemyError as error:
            raise StorageError(f"database error: {error.__class__.__name__}: {error}") from error

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
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True
