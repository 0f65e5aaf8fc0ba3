"""The read side of the SQL units of work: Core SELECTs on one connection, no ORM bookkeeping."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, select

from adapters.sql.core import MESSAGE, MUTE, QUEUE_COUNTER, REMEMBERED_DELETION, SERVER_STATE
from adapters.sql.mapping import message_from_row, utc
from adapters.sql.voice_settings import SqlVoiceSettingsReader
from tts_core.counts import QueueCounts
from tts_core.model import AUDIO_STATUSES, Message, MessageStatus, QueueKind
from tts_core.moderation import Mute
from tts_core.ports import ReadOnlyUnitOfWork
from tts_core.state import ServerState

PAGE = 200
"""Rows per page of ``oldest_first``: pages instead of one open cursor, so the caller may write between reads."""

_M = MESSAGE.c
_SEQ = select(SERVER_STATE.c.seq).where(SERVER_STATE.c.id == 1)
_STATE = select(SERVER_STATE.c.active_queue, SERVER_STATE.c.autoplay).where(SERVER_STATE.c.id == 1)
_GET = select(MESSAGE).where(_M.id == bindparam("id"))
_COUNTS = select(QUEUE_COUNTER).where(QUEUE_COUNTER.c.queue == bindparam("queue"))
_OLDEST_PAGE = (
    select(MESSAGE)
    .where(
        _M.queue == bindparam("queue"), _M.status.in_(bindparam("statuses", expanding=True)), _M.id > bindparam("after")
    )
    .order_by(_M.id)
    .limit(bindparam("page"))
)
_WITH_TWITCH_ID = select(MESSAGE).where(_M.twitch_message_id == bindparam("twitch_id")).order_by(_M.id)
_MUTE_OF = select(MUTE).where(MUTE.c.user == bindparam("user"))
_MUTES_OF = select(MUTE).where(MUTE.c.user.in_(bindparam("users", expanding=True)))
_DELETION_UNTIL = select(REMEMBERED_DELETION.c.until).where(
    REMEMBERED_DELETION.c.twitch_message_id == bindparam("twitch_id")
)


def _as_is(message: Message) -> Message:
    return message


def _no_locks() -> None:
    pass


class SqlReadOnlyUnit(SqlVoiceSettingsReader, ReadOnlyUnitOfWork):
    """Reads of one transaction on ``connection``. Every message handed out passes ``_note`` (a unit that writes
    notes it for its saves' compare-and-set). Reads of messages, counters and the state first call
    ``_lock_queues`` (a unit that writes on PostgreSQL takes its queue locks there); ``find``, ``seq``, mutes,
    remembered deletions and voice settings do not."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._note: Callable[[Message], Message] = _as_is
        self._lock_queues: Callable[[], None] = _no_locks

    def _messages(self, statement: Select[Any], params: dict[str, Any] | None = None) -> list[Message]:
        note = self._note
        return [note(message_from_row(row)) for row in self.connection.execute(statement, params or {})]

    def seq(self) -> int:
        return int(self.connection.execute(_SEQ).scalar() or 0)

    def get(self, message_id: int) -> Message | None:
        self._lock_queues()
        row = self.connection.execute(_GET, {"id": message_id}).first()
        return self._note(message_from_row(row)) if row is not None else None

    def next_ready(self, queue: QueueKind) -> Message | None:
        return next(self.oldest_first(queue, frozenset({MessageStatus.READY}), page=1), None)

    def oldest_first(
        self, queue: QueueKind, statuses: frozenset[MessageStatus], *, page: int = PAGE
    ) -> Iterator[Message]:
        self._lock_queues()
        after = 0
        wanted = [status.value for status in statuses]
        while True:
            params = {"queue": queue.value, "statuses": wanted, "after": after, "page": page}
            messages = self._messages(_OLDEST_PAGE, params)
            yield from messages
            if len(messages) < page:
                return
            after = messages[-1].id or after
            page = PAGE

    def find(
        self,
        *,
        queue: QueueKind | None = None,
        statuses: frozenset[MessageStatus] | None = None,
        before_id: int | None = None,
        limit: int = 100,
    ) -> list[Message]:
        statement = select(MESSAGE)
        if queue is not None:
            statement = statement.where(_M.queue == queue.value)
        if statuses is not None:
            statement = statement.where(_M.status.in_([s.value for s in statuses]))
        if before_id is not None:
            statement = statement.where(_M.id < before_id)
        return self._messages(statement.order_by(_M.id.desc()).limit(limit))

    def counts(self, queue: QueueKind) -> QueueCounts:
        self._lock_queues()
        row = self.connection.execute(_COUNTS, {"queue": queue.value}).first()
        return counts_from_row(row) if row is not None else QueueCounts(queue=queue)

    def recount(self, queue: QueueKind) -> QueueCounts:
        self._lock_queues()
        by_status = dict.fromkeys(MessageStatus, 0)
        grouped = select(_M.status, func.count()).where(_M.queue == queue.value).group_by(_M.status)
        for status, count in self.connection.execute(grouped):
            by_status[MessageStatus(status)] = int(count)
        audio = select(func.coalesce(func.sum(_M.audio_size_bytes), 0)).where(
            _M.queue == queue.value,
            _M.status.in_([s.value for s in AUDIO_STATUSES]),
            _M.audio_ref.is_not(None),
        )
        audio_bytes = int(self.connection.execute(audio).scalar_one())
        return QueueCounts(queue=queue, by_status=by_status, audio_bytes=audio_bytes)

    def with_twitch_id(self, twitch_message_id: str) -> list[Message]:
        self._lock_queues()
        return self._messages(_WITH_TWITCH_ID, {"twitch_id": twitch_message_id})

    def from_sender(
        self,
        sender: str,
        *,
        queue: QueueKind | None = None,
        statuses: frozenset[MessageStatus] | None = None,
        since: datetime | None = None,
    ) -> list[Message]:
        self._lock_queues()
        statement = select(MESSAGE).where(_M.sender == sender)
        if since is not None:
            statement = statement.where(_M.created_at >= since)
        if queue is not None:
            statement = statement.where(_M.queue == queue.value)
        if statuses is not None:
            statement = statement.where(_M.status.in_([s.value for s in statuses]))
        return self._messages(statement.order_by(_M.id))

    def mute_of(self, user: str) -> Mute | None:
        row = self.connection.execute(_MUTE_OF, {"user": user}).first()
        return _mute(row) if row is not None else None

    def mutes_of(self, users: Collection[str]) -> dict[str, Mute]:
        if not users:
            return {}
        rows = self.connection.execute(_MUTES_OF, {"users": sorted(set(users))})
        return {row.user: _mute(row) for row in rows}

    def mutes(self) -> list[Mute]:
        return [_mute(row) for row in self.connection.execute(select(MUTE).order_by(MUTE.c.user))]

    def deletion_remembered(self, twitch_message_id: str, now: datetime) -> bool:
        until = utc(self.connection.execute(_DELETION_UNTIL, {"twitch_id": twitch_message_id}).scalar())
        return until is not None and now < until

    def state(self) -> ServerState:
        self._lock_queues()  # a unit that saves the state read it here: no other unit may change it meanwhile
        row = self.connection.execute(_STATE).first()
        if row is None:
            return ServerState()
        return ServerState(active_queue=QueueKind(row.active_queue), autoplay=bool(row.autoplay))


def counts_from_row(row: Any) -> QueueCounts:
    """The counters a ``queue_counter`` row holds."""
    values = row._mapping
    by_status = {status: int(values[name]) for status, name in _STATUS_COLUMNS}
    return QueueCounts(queue=QueueKind(values["queue"]), by_status=by_status, audio_bytes=int(values["audio_bytes"]))


_STATUS_COLUMNS = [(status, status.value) for status in MessageStatus]


def _mute(row: Any) -> Mute:
    since = utc(row.since)
    assert since is not None
    return Mute(user=row.user, since=since, until=utc(row.until))
