"""Announcing events: a queue's counts after a change, and runtime state no other change carries."""

from __future__ import annotations

from tts_core.events import Event, QueueChanged
from tts_core.model import QueueKind
from tts_core.ports import Storage, UnitOfWork


def announce(storage: Storage, *events: Event) -> None:
    """Publish ``events`` through a unit of work of their own, so they get a ``seq`` in commit order too."""
    with storage.unit_of_work() as uow:
        for event in events:
            uow.emit(event)


def announce_counts(uow: UnitOfWork, queue: QueueKind) -> None:
    """Announce ``queue``'s counters as this unit of work leaves them (``queue_changed``)."""
    uow.emit(QueueChanged(counts=uow.counts(queue), active_queue=uow.state().active_queue))
