"""Queue control: stats, switching the active queue, clearing it, and reading messages."""

from __future__ import annotations

import attrs

from tts_core.counts import QueueCounts
from tts_core.errors import MessageNotFound
from tts_core.events import MessagesRemoved, QueueChanged, QueueSwitched
from tts_core.model import CLEARABLE_STATUSES, DeletionReason, Message, MessageStatus, QueueKind
from tts_core.ports import AudioStore, Clock, EventSink, Storage


@attrs.frozen(kw_only=True)
class QueueStats:
    """What the App shows: the active queue's counts, the mentions audio use, and autoplay."""

    active_queue: QueueKind
    active: QueueCounts
    mentions: QueueCounts
    mentions_budget_bytes: int
    autoplay: bool


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
    events: EventSink
    mentions_budget_bytes: int

    def stats(self) -> QueueStats:
        """The counters of the active queue and of mentions; no table scan."""
        with self.storage.unit_of_work() as uow:
            state = uow.state()
            return QueueStats(
                active_queue=state.active_queue,
                active=uow.counts(state.active_queue),
                mentions=uow.counts(QueueKind.MENTIONS),
                mentions_budget_bytes=self.mentions_budget_bytes,
                autoplay=state.autoplay,
            )

    def switch(self, queue: QueueKind) -> QueueKind:
        """Make ``queue`` the active queue (persisted); switching to the active one changes nothing."""
        with self.storage.unit_of_work() as uow:
            state = uow.state()
            if state.active_queue is queue:
                return queue
            uow.save_state(attrs.evolve(state, active_queue=queue))
            counts = uow.counts(queue)
        self.events.publish(QueueSwitched(active_queue=queue))
        self.events.publish(QueueChanged(counts=counts, active_queue=queue))
        return queue

    def clear_active(self) -> ClearResult:
        """Soft-delete the active queue's pending, synthesizing and ready messages and remove their files.

        Played, playing and failed messages stay as they are.
        """
        now = self.clock.now()
        with self.storage.unit_of_work() as uow:
            queue = uow.state().active_queue
            doomed = list(uow.oldest_first(queue, CLEARABLE_STATUSES))
            for message in doomed:
                message.soft_delete(DeletionReason.CLEARED, now)
                uow.save(message)
            counts = uow.counts(queue)
        for message in doomed:
            if message.audio is not None:
                self.audio_store.delete(message.audio.ref)
        ids = tuple(m.id for m in doomed if m.id is not None)
        if ids:
            self.events.publish(MessagesRemoved(queue=queue, message_ids=ids, reason=DeletionReason.CLEARED))
            self.events.publish(QueueChanged(counts=counts, active_queue=queue))
        return ClearResult(queue=queue, message_ids=ids)

    def get(self, message_id: int) -> Message:
        """The message with this id. Raises :class:`MessageNotFound`."""
        with self.storage.unit_of_work() as uow:
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
        with self.storage.unit_of_work() as uow:
            return uow.find(queue=queue, statuses=statuses, before_id=before_id, limit=limit)
