"""Queue control: stats, switching the active queue, clearing it, and reading messages."""

from __future__ import annotations

import itertools

import attrs

from tts_core.counts import QueueCounts
from tts_core.errors import MessageNotFound
from tts_core.events import MessagesRemoved, QueueSwitched
from tts_core.model import CLEARABLE_STATUSES, DeletionReason, Message, MessageStatus, QueueKind
from tts_core.ports import AudioStore, Clock, ReadOnlyUnitOfWork, Storage
from tts_core.services.announce import announce_counts
from tts_core.services.cleanup import discard_files

_PLAYING = frozenset({MessageStatus.PLAYING})


@attrs.frozen(kw_only=True)
class QueueStats:
    """What the App shows: the active queue's counts, both queues' counts, the mentions audio use, and autoplay."""

    active_queue: QueueKind
    active: QueueCounts
    mentions: QueueCounts
    mentions_budget_bytes: int
    autoplay: bool
    bits: QueueCounts
    """The bits queue's counts: bits waiting are visible whichever queue plays."""

    def of(self, queue: QueueKind) -> QueueCounts:
        """The counts of ``queue``."""
        return self.mentions if queue is QueueKind.MENTIONS else self.bits


@attrs.frozen(kw_only=True)
class LiveSnapshot:
    """Everything a live client starts from, read in one unit of work, and the ``seq`` it reflects."""

    stats: QueueStats
    playing: tuple[Message, ...]
    """Messages playing now, in any queue, oldest first."""
    lineups: dict[QueueKind, list[Message]]
    """Each queue's playing and waiting messages in play order (at most ``limit`` each): the panel can look at
    the other queue without switching which one plays."""
    seq: int
    """The newest event already reflected: a client ignores events with a ``seq`` up to this one."""

    @property
    def lineup(self) -> list[Message]:
        """The active queue's playing and waiting messages in play order."""
        return self.lineups[self.stats.active_queue]


@attrs.frozen(kw_only=True)
class ClearResult:
    """What a clear did."""

    queue: QueueKind
    message_ids: tuple[int, ...]


@attrs.define
class QueueService:
    """Reads and changes the queues as a whole."""

    storage: Storage
    audio_store: AudioStore
    clock: Clock
    mentions_budget_bytes: int

    def stats(self) -> QueueStats:
        """The counters of the active queue and of mentions; no table scan, no write lock."""
        with self.storage.reading() as uow:
            return self._stats(uow)

    def _stats(self, uow: ReadOnlyUnitOfWork) -> QueueStats:
        state = uow.state()
        return QueueStats(
            active_queue=state.active_queue,
            active=uow.counts(state.active_queue),
            mentions=uow.counts(QueueKind.MENTIONS),
            bits=uow.counts(QueueKind.BITS),
            mentions_budget_bytes=self.mentions_budget_bytes,
            autoplay=state.autoplay,
        )

    def snapshot(self, limit: int = 100) -> LiveSnapshot:
        """Stats, what plays, the lineup and the ``seq`` they reflect, consistent with each other (one read-only
        snapshot: a change committed meanwhile is either in all of them, ``seq`` included, or in none)."""
        with self.storage.reading() as uow:
            stats = self._stats(uow)
            playing = tuple(m for queue in QueueKind for m in uow.oldest_first(queue, _PLAYING))
            lineups = {
                queue: list(itertools.islice(uow.oldest_first(queue, CLEARABLE_STATUSES | _PLAYING), limit))
                for queue in QueueKind
            }
            return LiveSnapshot(stats=stats, playing=playing, lineups=lineups, seq=uow.seq())

    def switch(self, queue: QueueKind) -> QueueKind:
        """Make ``queue`` the active queue (persisted); switching to the active one changes nothing."""
        with self.storage.unit_of_work() as uow:
            state = uow.state()
            if state.active_queue is queue:
                return queue
            uow.save_state(attrs.evolve(state, active_queue=queue))
            uow.emit(QueueSwitched(active_queue=queue))
            announce_counts(uow, queue)
        return queue

    def clear_active(self) -> ClearResult:
        """Soft-delete the active queue's pending, synthesizing and ready messages and remove their files.

        Played, playing and failed messages stay as they are.
        """
        now = self.clock.now()
        with self.storage.unit_of_work() as uow:
            queue = uow.state().active_queue
            doomed = uow.soft_delete_many(queue, CLEARABLE_STATUSES, reason=DeletionReason.CLEARED, now=now)
            ids = tuple(m.id for m in doomed if m.id is not None)
            if ids:
                uow.emit(MessagesRemoved(queue=queue, message_ids=ids, reason=DeletionReason.CLEARED))
                announce_counts(uow, queue)
        discard_files(self.audio_store, [m.audio.ref for m in doomed if m.audio is not None])
        return ClearResult(queue=queue, message_ids=ids)

    def get(self, message_id: int) -> Message:
        """The message with this id. Raises :class:`MessageNotFound`."""
        with self.storage.reading() as uow:
            message = uow.get(message_id)
        if message is None:
            raise MessageNotFound(message_id)
        return message

    def find(
        self,
        *,
        queue: QueueKind | None = None,
        status: MessageStatus | None = None,
        before_id: int | None = None,
        limit: int = 100,
    ) -> list[Message]:
        """Messages matching the filters, newest first."""
        statuses = frozenset({status}) if status is not None else None
        with self.storage.reading() as uow:
            return uow.find(queue=queue, statuses=statuses, before_id=before_id, limit=limit)
